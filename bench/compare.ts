import { runLoad, type LoadOptions, type LoadResult } from './load.js';
import { health } from './payloads.js';
import type { Scenario } from './scenarios.js';
import {
  freePort,
  peakRss,
  resetPeakRss,
  spawnServer,
  stopServer,
  waitReady,
  type RunningServer,
  type ServerKind,
} from './servers.js';
import { median } from './stats.js';

export interface CompareSettings {
  secret: string;
  durationS: number;
  warmupS: number;
  rounds: number;
  /** Extra node flags for the module server (e.g. --cpu-prof). */
  moduleNodeArgs: string[];
  log(line: string): void;
}

export interface SideSummary {
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  peakRssBytes: number | undefined;
  unexpected: number;
}

export interface ScenarioSummary {
  scenario: Scenario;
  module: SideSummary;
  baseline: SideSummary;
  /** Medians of the per-round module/baseline ratios: each pair ran back to back. */
  throughputRatio: number;
  p50Ratio: number;
  p99Ratio: number;
}

function summarise(runs: LoadResult[], peak: number | undefined): SideSummary {
  return {
    requestsPerS: median(runs.map((r) => r.requestsPerS)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    peakRssBytes: peak,
    unexpected: runs.reduce((n, r) => n + r.unexpected, 0),
  };
}

function ratios(a: LoadResult[], b: LoadResult[], pick: (r: LoadResult) => number): number {
  return median(a.map((r, i) => pick(r) / pick(b[i])));
}

/**
 * Starts the sample app and the baseline, warms both up, then drives them in turn for `rounds`
 * rounds (the order flips each round, so neither always runs on the warmer machine).
 */
export async function compareScenario(
  scenario: Scenario,
  settings: CompareSettings,
): Promise<ScenarioSummary> {
  const { secret } = settings;
  const call = scenario.call(secret);
  const requests = [{ method: 'POST', path: '/', headers: call.headers, body: call.body }];
  const servers: Record<ServerKind, RunningServer> = {
    module: spawnServer('module', await freePort(), secret, settings.moduleNodeArgs),
    baseline: spawnServer('baseline', await freePort(), secret),
  };
  const runs: Record<ServerKind, LoadResult[]> = { module: [], baseline: [] };
  const load = (server: RunningServer): LoadOptions => ({
    url: server.url,
    connections: scenario.connections,
    durationS: settings.durationS,
    requests,
    expectStatus: scenario.expectStatus,
  });
  try {
    for (const server of Object.values(servers)) {
      await waitReady(server, health(secret));
      await runLoad({ ...load(server), durationS: settings.warmupS });
      resetPeakRss(server);
    }
    for (let round = 0; round < settings.rounds; round++) {
      const order: ServerKind[] = round % 2 === 0 ? ['module', 'baseline'] : ['baseline', 'module'];
      for (const kind of order) {
        const result = await runLoad(load(servers[kind]));
        runs[kind].push(result);
        settings.log(
          `  ${scenario.name} round ${round + 1} ${kind}: ${Math.round(result.requestsPerS)} req/s, ` +
            `p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`,
        );
      }
    }
    return {
      scenario,
      module: summarise(runs.module, peakRss(servers.module)),
      baseline: summarise(runs.baseline, peakRss(servers.baseline)),
      throughputRatio: ratios(runs.module, runs.baseline, (r) => r.requestsPerS),
      p50Ratio: ratios(runs.module, runs.baseline, (r) => r.p50Ms),
      p99Ratio: ratios(runs.module, runs.baseline, (r) => r.p99Ms),
    };
  } finally {
    await Promise.all(Object.values(servers).map(stopServer));
  }
}
