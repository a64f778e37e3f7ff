import { performance } from 'node:perf_hooks';
import { health } from './payloads.js';
import { freePort, spawnServer, stopServer, waitReady, type ServerKind } from './servers.js';
import { median } from './stats.js';

export interface ColdStart {
  kind: ServerKind;
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

/** Takes turns between the servers, `runs` times each. */
export async function coldStarts(
  kinds: ServerKind[],
  runs: number,
  secret: string,
): Promise<ColdStart[]> {
  const times = new Map<ServerKind, number[]>(kinds.map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const kind of kinds) times.get(kind)!.push(await once(kind, secret));
  }
  return kinds.map((kind) => {
    const runsMs = times.get(kind)!;
    return { kind, medianMs: median(runsMs), runsMs };
  });
}
