import { runLoad, type LoadOptions, type LoadResult } from './load.js';
import { extHeartbeat, health } from './payloads.js';
import type { Scenario } from './scenarios.js';
import {
  cpuMs,
  freePort,
  peakRss,
  resetPeakRss,
  SAMPLE_KINDS,
  spawnServer,
  stopServer,
  waitReady,
  type RunningServer,
  type ServerKind,
} from './servers.js';
import { median } from './stats.js';
import { withSteal } from './steal.js';

export interface CompareSettings {
  secret: string;
  /** The servers to drive; 'baseline' is the one ratios divide by. */
  kinds: ServerKind[];
  durationS: number;
  warmupS: number;
  rounds: number;
  /** Extra node flags for the module server (e.g. --cpu-prof). */
  moduleNodeArgs: string[];
  /**
   * A round in which the host took more than this share of the CPU from the VM (steal) is run
   * again, up to `rounds` more times; the rounds with the least steal are kept.
   */
  maxSteal: number;
  log(line: string): void;
}

interface Run extends LoadResult {
  /** Server CPU time per answered call, in microseconds: steadier than req/s on a busy machine. */
  cpuUsPerCall: number;
  /** The host's steal during the run (see `withSteal`); 0 where it cannot be read. */
  steal: number;
}

export interface ServerSummary {
  kind: ServerKind;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerCall: number;
  peakRssBytes: number | undefined;
  unexpected: number;
  /** Medians of the per-round ratios to the baseline (each round ran the servers back to back). */
  vsBaseline: { requestsPerS: number; p50: number; p99: number; cpu: number };
}

export interface ScenarioSummary {
  scenario: Scenario;
  servers: ServerSummary[];
  /** Rounds run again because the host stole more than `maxSteal` of the CPU. */
  roundsRerun: number;
  /** The highest steal among the rounds kept. */
  maxStealKept: number;
}

function ratio(runs: Run[], base: Run[], pick: (r: Run) => number): number {
  return median(runs.map((r, i) => pick(r) / pick(base[i])));
}

async function measured(server: RunningServer, options: LoadOptions): Promise<Run> {
  const before = cpuMs(server);
  const { value: result, steal = 0 } = await withSteal(() => runLoad(options));
  const after = cpuMs(server);
  const cpuUsPerCall =
    before === undefined || after === undefined || result.answered === 0
      ? Number.NaN
      : ((after - before) * 1000) / result.answered;
  return { ...result, cpuUsPerCall, steal };
}

/**
 * Starts every server, warms each up, then drives them in turn for `rounds` rounds; the order is
 * reversed every other round, so no server always runs on the warmer machine.
 */
export async function compareScenario(
  scenario: Scenario,
  settings: CompareSettings,
): Promise<ScenarioSummary> {
  const { secret } = settings;
  // The extension sample reads neither LC_FAST_PATH nor LC_ASYNC_CONTEXT: those variants would be
  // the plain module again under another name.
  const kinds =
    scenario.sample === 'extension'
      ? settings.kinds.filter((k) => k === 'module' || !SAMPLE_KINDS.includes(k))
      : settings.kinds;
  const call = scenario.call(secret);
  const ready = scenario.sample === 'extension' ? extHeartbeat(secret) : health(secret);
  const requests = [{ method: 'POST', path: '/', headers: call.headers, body: call.body }];
  const servers = new Map<ServerKind, RunningServer>();
  const runs = new Map<ServerKind, Run[]>(kinds.map((k) => [k, []]));
  const load = (server: RunningServer): LoadOptions => ({
    url: server.url,
    connections: scenario.connections,
    durationS: settings.durationS,
    requests,
    expectStatus: scenario.expectStatus,
  });
  try {
    for (const kind of kinds) {
      const args = kind === 'module' ? settings.moduleNodeArgs : [];
      servers.set(kind, spawnServer(kind, await freePort(), secret, args, scenario.sample));
    }
    for (const server of servers.values()) {
      await waitReady(server, ready);
      await runLoad({ ...load(server), durationS: settings.warmupS });
      resetPeakRss(server);
    }
    // Every server of a round runs back to back: a round is kept or run again as a whole, so
    // the ratios always divide runs made under the same conditions.
    const attempts: { runs: Map<ServerKind, Run>; steal: number }[] = [];
    let clean = 0;
    for (let round = 0; clean < settings.rounds && round < 2 * settings.rounds; round++) {
      const order = round % 2 === 0 ? kinds : [...kinds].reverse();
      const roundRuns = new Map<ServerKind, Run>();
      for (const kind of order) {
        const run = await measured(servers.get(kind)!, load(servers.get(kind)!));
        roundRuns.set(kind, run);
        settings.log(
          `  ${scenario.name} round ${round + 1} ${kind}: ${Math.round(run.requestsPerS)} req/s, ` +
            `p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, ${Math.round(run.cpuUsPerCall)} µs CPU/call, ` +
            `steal ${(100 * run.steal).toFixed(0)}%`,
        );
      }
      const steal = Math.max(...[...roundRuns.values()].map((r) => r.steal));
      attempts.push({ runs: roundRuns, steal });
      if (steal <= settings.maxSteal) clean++;
      else
        settings.log(
          `  ${scenario.name} round ${round + 1}: steal ${(100 * steal).toFixed(0)}%, run again`,
        );
    }
    const kept = [...attempts].sort((a, b) => a.steal - b.steal).slice(0, settings.rounds);
    for (const attempt of kept) {
      for (const kind of kinds) runs.get(kind)!.push(attempt.runs.get(kind)!);
    }
    const base = runs.get('baseline')!;
    return {
      scenario,
      roundsRerun: attempts.length - kept.length,
      maxStealKept: Math.max(...kept.map((k) => k.steal)),
      servers: kinds.map((kind) => {
        const own = runs.get(kind)!;
        return {
          kind,
          requestsPerS: median(own.map((r) => r.requestsPerS)),
          p50Ms: median(own.map((r) => r.p50Ms)),
          p99Ms: median(own.map((r) => r.p99Ms)),
          cpuUsPerCall: median(own.map((r) => r.cpuUsPerCall)),
          peakRssBytes: peakRss(servers.get(kind)!),
          unexpected: own.reduce((n, r) => n + r.unexpected, 0),
          vsBaseline: {
            requestsPerS: ratio(own, base, (r) => r.requestsPerS),
            p50: ratio(own, base, (r) => r.p50Ms),
            p99: ratio(own, base, (r) => r.p99Ms),
            cpu: ratio(own, base, (r) => r.cpuUsPerCall),
          },
        };
      }),
    };
  } finally {
    await Promise.all([...servers.values()].map(stopServer));
  }
}
