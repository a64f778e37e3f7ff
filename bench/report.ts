import { cpus, release, totalmem, type as osType } from 'node:os';
import type { ColdStart } from './cold-start.js';
import type { ScenarioSummary, ServerSummary } from './compare.js';
import type { ServerKind } from './servers.js';
import type { SoakResult } from './soak.js';

export interface BenchReport {
  date: Date;
  command: string;
  durationS: number;
  rounds: number;
  loadAvgAtStart: number[];
  scenarios: ScenarioSummary[];
  coldStart: ColdStart[] | undefined;
  soak: SoakResult | undefined;
}

/** The targets; the numbers they compare are ratios from the same run. */
export const TARGETS = {
  detectionThroughputRatio: 0.8,
  detectionP99Ratio: 1.5,
  extRequestThroughputRatio: 0.8,
  extRequestP99Ratio: 1.5,
  bigBodyTimeRatio: 1.5,
  coldStartMs: 1000,
  /**
   * The module's own share of cold start, whatever the machine: the same bound as the other
   * latency ratios, against the Nest + Fastify route started in the same run.
   */
  coldStartVsNestRatio: 1.5,
  /** With `fastPath: false` the module costs at most 10% over the bare Nest + Fastify route. */
  frameworkRouteVsNestRatio: 0.9,
  soakRssBytes: 150 * 1024 * 1024,
  /** "No upward trend": the last quarter of the soak is no more than this above its 2nd quarter. */
  soakLateGrowthBytes: 10 * 1024 * 1024,
};

const MiB = 1024 * 1024;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
const ratio = (n: number): string => `${n.toFixed(2)}×`;
const mib = (n: number | undefined): string =>
  n === undefined ? 'n/a' : `${(n / MiB).toFixed(0)}`;
const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

const SERVER_LABEL: Record<ServerKind, string> = {
  module: 'module (sample app)',
  baseline: 'baseline (node:http)',
  'nest-fastify': 'Nest + Fastify route',
  'module-framework-route': 'module, fastPath: false',
  'module-async-context': 'module, asyncContext: true',
};

function scenarioTable(scenarios: ScenarioSummary[]): string[] {
  const rows: string[] = [];
  for (const { scenario, servers } of scenarios) {
    for (const s of servers) {
      const vs = s.kind === 'baseline' ? undefined : s.vsBaseline;
      rows.push(
        [
          s === servers[0]
            ? `${scenario.name}: ${scenario.description}, ${scenario.connections} conn.`
            : '',
          SERVER_LABEL[s.kind],
          int(s.requestsPerS),
          `${ms(s.p50Ms)} / ${ms(s.p99Ms)}`,
          int(s.cpuUsPerCall),
          mib(s.peakRssBytes),
          vs === undefined ? '' : ratio(vs.requestsPerS),
          vs === undefined ? '' : `${ratio(vs.p50)} / ${ratio(vs.p99)}`,
          vs === undefined ? '' : ratio(vs.cpu),
        ].join(' | '),
      );
    }
  }
  return [
    '| scenario | server | req/s | p50 / p99 ms | CPU µs/call | peak RSS MiB | req/s ÷ baseline | p50 / p99 ÷ baseline | CPU ÷ baseline |',
    '| --- | --- | --: | --: | --: | --: | --: | --: | --: |',
    ...rows.map((r) => `| ${r} |`),
  ];
}

function moduleOf(
  report: BenchReport,
  name: string,
  kind: ServerKind = 'module',
): ServerSummary | undefined {
  return report.scenarios
    .find((s) => s.scenario.name === name)
    ?.servers.find((s) => s.kind === kind);
}

function targetLines(report: BenchReport): string[] {
  const lines = ['| target | measured | verdict |', '| --- | --: | --- |'];
  const row = (name: string, value: string, ok: boolean): void => {
    lines.push(`| ${name} | ${value} | ${verdict(ok)} |`);
  };
  const detection = moduleOf(report, 'detection-1k');
  if (detection !== undefined) {
    row(
      `1 KB detection throughput ≥ ${TARGETS.detectionThroughputRatio}× baseline`,
      ratio(detection.vsBaseline.requestsPerS),
      detection.vsBaseline.requestsPerS >= TARGETS.detectionThroughputRatio,
    );
    row(
      `1 KB detection p99 ≤ ${TARGETS.detectionP99Ratio}× baseline`,
      ratio(detection.vsBaseline.p99),
      detection.vsBaseline.p99 <= TARGETS.detectionP99Ratio,
    );
  }
  const extRequest = moduleOf(report, 'ext-request-1k');
  if (extRequest !== undefined) {
    row(
      `1 KB extension request throughput ≥ ${TARGETS.extRequestThroughputRatio}× baseline`,
      ratio(extRequest.vsBaseline.requestsPerS),
      extRequest.vsBaseline.requestsPerS >= TARGETS.extRequestThroughputRatio,
    );
    row(
      `1 KB extension request p99 ≤ ${TARGETS.extRequestP99Ratio}× baseline`,
      ratio(extRequest.vsBaseline.p99),
      extRequest.vsBaseline.p99 <= TARGETS.extRequestP99Ratio,
    );
  }
  const frameworkRoute = moduleOf(report, 'detection-1k', 'module-framework-route');
  const nest = moduleOf(report, 'detection-1k', 'nest-fastify');
  if (frameworkRoute !== undefined && nest !== undefined) {
    const vsNest = frameworkRoute.vsBaseline.requestsPerS / nest.vsBaseline.requestsPerS;
    row(
      `1 KB detection, fastPath: false ≥ ${TARGETS.frameworkRouteVsNestRatio}× the Nest + Fastify route`,
      ratio(vsNest),
      vsNest >= TARGETS.frameworkRouteVsNestRatio,
    );
  }
  const big = moduleOf(report, 'log-10m');
  if (big !== undefined) {
    row(
      `10 MB body time (p50) ≤ ${TARGETS.bigBodyTimeRatio}× baseline`,
      ratio(big.vsBaseline.p50),
      big.vsBaseline.p50 <= TARGETS.bigBodyTimeRatio,
    );
  }
  const cold = report.coldStart?.find((c) => c.kind === 'module')?.medianMs;
  if (cold !== undefined) {
    row(`cold start ≤ ${TARGETS.coldStartMs} ms`, `${int(cold)} ms`, cold <= TARGETS.coldStartMs);
    const floor = report.coldStart?.find((c) => c.kind === 'nest-fastify')?.medianMs;
    if (floor !== undefined) {
      row(
        `cold start ≤ ${TARGETS.coldStartVsNestRatio}× the Nest + Fastify route (${int(floor)} ms)`,
        ratio(cold / floor),
        cold / floor <= TARGETS.coldStartVsNestRatio,
      );
    }
  }
  if (report.soak !== undefined) {
    const { finalRssBytes, lateGrowthBytes, durationS } = report.soak;
    row(
      `RSS after ${durationS} s of load ≤ ${mib(TARGETS.soakRssBytes)} MiB`,
      `${mib(finalRssBytes)} MiB`,
      finalRssBytes <= TARGETS.soakRssBytes,
    );
    row(
      `no upward RSS trend (last quarter ≤ 2nd quarter + ${mib(TARGETS.soakLateGrowthBytes)} MiB)`,
      `${(lateGrowthBytes / MiB).toFixed(1)} MiB`,
      lateGrowthBytes <= TARGETS.soakLateGrowthBytes,
    );
  }
  return lines;
}

function coldStartLines(cold: ColdStart[]): string[] {
  return [
    '## Cold start',
    '',
    'Process spawn to the first signed `health` answered 200 (polled every 2 ms), median of the runs.',
    '',
    '| server | median ms | runs ms |',
    '| --- | --: | --- |',
    ...cold.map(
      (c) => `| ${SERVER_LABEL[c.kind]} | ${int(c.medianMs)} | ${c.runsMs.map(int).join(', ')} |`,
    ),
    '',
  ];
}

function soakLines(soak: SoakResult): string[] {
  return [
    `## RSS soak (${soak.durationS} s)`,
    '',
    'The sample app alone, 32 connections cycling 4 detections, a health, a get_resource and a',
    '100 KB log_event; RSS sampled every second.',
    '',
    `- ${int(soak.load.requestsPerS)} req/s, p99 ${ms(soak.load.p99Ms)} ms, ${soak.load.unexpected} unexpected answers`,
    `- RSS: final ${mib(soak.finalRssBytes)} MiB, max ${mib(soak.maxRssBytes)} MiB; last quarter vs 2nd quarter ${(soak.lateGrowthBytes / MiB).toFixed(1)} MiB; slope over the 2nd half ${(soak.slopeBytesPerMin / MiB).toFixed(1)} MiB/min`,
    `- samples (MiB): ${soak.samples.map((s) => mib(s)).join(' ')}`,
    '',
  ];
}

/**
 * How much of the CPU the host took from this VM in the rounds kept (steal), and how many rounds
 * were run again because it took more: on a shared host, what the ratios can be trusted for.
 */
function stealLines(scenarios: ScenarioSummary[]): string[] {
  const parts = scenarios.map(
    (s) =>
      `${s.scenario.name} ${(100 * s.maxStealKept).toFixed(0)}%` +
      (s.roundsRerun > 0
        ? ` (${s.roundsRerun} round${s.roundsRerun === 1 ? '' : 's'} run again)`
        : ''),
  );
  return [
    `Host steal, the highest share of the CPU taken from this VM in a kept round: ${parts.join(', ')}.`,
    '',
  ];
}

function machineLines(report: BenchReport): string[] {
  const cpu = cpus();
  return [
    '## Machine',
    '',
    `- ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${osType()} ${release()}`,
    `- Node ${process.version}; load generator (autocannon) in the driver process, servers in their own processes, all on the same cores`,
    `- load average at start: ${report.loadAvgAtStart.map((l) => l.toFixed(2)).join(' ')} (other work shares the machine: read the ratios, not the absolute numbers)`,
    '',
  ];
}

/** RESULTS.md: generated sections, then the hand-written `## Notes` kept from the previous file. */
export function renderResults(report: BenchReport, previous: string | undefined): string {
  const notesAt = previous?.indexOf('\n## Notes') ?? -1;
  const notes = previous !== undefined && notesAt >= 0 ? previous.slice(notesAt + 1) : undefined;
  const unexpected = report.scenarios.filter((s) => s.servers.some((x) => x.unexpected > 0));
  return [
    '# Benchmark results',
    '',
    `${report.date.toISOString()} — \`${report.command}\` — ${report.rounds} rounds of ${report.durationS} s per server and scenario, medians.`,
    '',
    '"module" is the sample app (`dist/sample-app/main.js`, NODE_ENV=production, traceComms off); in',
    '`ext-request-1k` it is the sample extension (`dist/sample-app/main.js extension`).',
    '"baseline" is `bench/baseline-server.ts`: bare `node:http` doing the minimum work per call',
    '(whole body, HMAC-SHA256 hex, constant-time compare, JSON.parse, JSON.stringify of a small reply),',
    'over `lc-svc-sig`, or `lc-ext-sig` for the extension scenario.',
    '"Nest + Fastify route" (BENCH_REFERENCE=1) is `bench/nest-fastify-server.ts`: the same minimum',
    'work in a route of a Nest app on the Fastify adapter, without the module: the framework floor.',
    '"module, fastPath: false" and "module, asyncContext: true" (BENCH_REFERENCE=1) are the sample app',
    'with the webhook served through the Fastify route only, and with call tracking (AsyncLocalStorage) on.',
    'Ratios are taken per round (the servers ran back to back) and their median is shown. CPU µs/call',
    "is the server process's CPU time over the calls it answered: the steadiest number on a shared machine.",
    '',
    '## Targets',
    '',
    ...targetLines(report),
    '',
    '## Scenarios',
    '',
    ...scenarioTable(report.scenarios),
    '',
    ...stealLines(report.scenarios),
    ...(unexpected.length > 0
      ? [
          `Unexpected answers or connection errors in: ${unexpected.map((s) => s.scenario.name).join(', ')}.`,
          '',
        ]
      : []),
    ...(report.coldStart === undefined ? [] : coldStartLines(report.coldStart)),
    ...(report.soak === undefined ? [] : soakLines(report.soak)),
    ...machineLines(report),
    ...(notes === undefined ? [] : [notes.trimEnd(), '']),
  ].join('\n');
}
