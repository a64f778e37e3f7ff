import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { coldStarts } from './cold-start.js';
import { compareScenario, type ScenarioSummary } from './compare.js';
import { renderResults, type BenchReport } from './report.js';
import { SCENARIOS } from './scenarios.js';
import type { ServerKind } from './servers.js';
import { soak } from './soak.js';

/**
 * `npm run bench`: the sample app against a bare node:http baseline, scenario by scenario, then
 * cold start and (with BENCH_SOAK) an RSS soak; writes bench/RESULTS.md. The load generator runs
 * here, each server in its own process.
 *
 * BENCH_DURATION   seconds per measured run (default 5)
 * BENCH_WARMUP     seconds of warm-up per server and scenario (default 1)
 * BENCH_ROUNDS     measured runs per server and scenario, alternating (default 3)
 * BENCH_COLD_RUNS  cold starts per server (default 5)
 * BENCH_SOAK       seconds of RSS soak; 0 skips it (default 0)
 * BENCH_SCENARIOS  comma-separated scenario names; a subset is printed, RESULTS.md is left alone
 * BENCH_REFERENCE  1 adds reference servers: the same minimum work in a Nest + Fastify route, and
 *                  the sample app with fastPath off, and with asyncContext on
 * BENCH_MAX_STEAL  percent of the CPU the host may steal from this VM during a kept round; a round
 *                  over it is run again, up to BENCH_ROUNDS more times (default 5)
 * BENCH_CPU_PROF   a directory: the module server runs with --cpu-prof and writes its profiles there
 */

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number, got '${raw}'`);
  }
  return value;
}

const durationS = numberFromEnv('BENCH_DURATION', 5);
const warmupS = numberFromEnv('BENCH_WARMUP', 1);
const rounds = Math.max(1, Math.round(numberFromEnv('BENCH_ROUNDS', 3)));
const coldRuns = Math.round(numberFromEnv('BENCH_COLD_RUNS', 5));
const soakS = numberFromEnv('BENCH_SOAK', 0);
const only = process.env.BENCH_SCENARIOS?.split(',').filter((s) => s !== '');
const profileDir = process.env.BENCH_CPU_PROF;
const withReference = process.env.BENCH_REFERENCE === '1';
const maxSteal = numberFromEnv('BENCH_MAX_STEAL', 5) / 100;
const kinds: ServerKind[] = withReference
  ? ['module', 'module-framework-route', 'module-async-context', 'nest-fastify', 'baseline']
  : ['module', 'baseline'];

const resultsPath = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function main(): Promise<void> {
  const unknown = only?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  const secret = randomBytes(24).toString('hex');
  const started = new Date();
  const loadAvgAtStart = loadavg();
  const scenarios: ScenarioSummary[] = [];
  for (const scenario of SCENARIOS) {
    if (only !== undefined && !only.includes(scenario.name)) continue;
    log(`${scenario.name}: ${scenario.description}`);
    scenarios.push(
      await compareScenario(scenario, {
        secret,
        kinds,
        durationS,
        warmupS,
        rounds,
        maxSteal,
        moduleNodeArgs:
          profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
        log,
      }),
    );
  }
  if (coldRuns > 0) log('cold start');
  const coldStart = coldRuns > 0 ? await coldStarts(kinds, coldRuns, secret) : undefined;
  if (soakS > 0) log(`soak: ${soakS} s`);
  const soaked = soakS > 0 ? await soak(soakS, secret) : undefined;

  const settings = Object.entries({
    BENCH_DURATION: durationS,
    BENCH_ROUNDS: rounds,
    BENCH_SOAK: soakS,
    BENCH_REFERENCE: withReference ? 1 : 0,
    BENCH_MAX_STEAL: Math.round(maxSteal * 100),
  })
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const report: BenchReport = {
    date: started,
    command: `${settings} npm run bench`,
    durationS,
    rounds,
    loadAvgAtStart,
    scenarios,
    coldStart,
    soak: soaked,
  };
  const previous = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : undefined;
  const markdown = renderResults(report, previous);
  process.stdout.write(`${markdown}\n`);
  if (only === undefined) {
    writeFileSync(resultsPath, markdown);
    log(`wrote ${resultsPath}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
