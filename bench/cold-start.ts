import { performance } from 'node:perf_hooks';
import { health } from './payloads.js';
import { freePort, spawnServer, stopServer, waitReady, type ServerKind } from './servers.js';
import { median } from './stats.js';

export interface ColdStart {
  medianMs: number;
  runsMs: number[];
}

/** Process spawn to the first signed `health` answered 200, polled every 2 ms. */
async function once(kind: ServerKind, secret: string): Promise<number> {
  const port = await freePort();
  const probe = health(secret);
  const started = performance.now();
  const server = spawnServer(kind, port, secret);
  try {
    await waitReady(server, probe, 20_000, 2);
    return performance.now() - started;
  } finally {
    await stopServer(server);
  }
}

/** Alternates the two servers, `runs` times each. */
export async function coldStarts(
  runs: number,
  secret: string,
): Promise<Record<ServerKind, ColdStart>> {
  const times: Record<ServerKind, number[]> = { module: [], baseline: [] };
  for (let i = 0; i < runs; i++) {
    for (const kind of ['module', 'baseline'] as const) times[kind].push(await once(kind, secret));
  }
  return {
    module: { medianMs: median(times.module), runsMs: times.module },
    baseline: { medianMs: median(times.baseline), runsMs: times.baseline },
  };
}
