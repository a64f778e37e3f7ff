import { runLoad, type LoadResult } from './load.js';
import { detection, getResource, health, logEvent } from './payloads.js';
import { freePort, rss, spawnServer, stopServer, waitReady } from './servers.js';
import { mean, slope } from './stats.js';

export interface SoakResult {
  durationS: number;
  load: LoadResult;
  /** RSS sampled once a second, in bytes. */
  samples: number[];
  finalRssBytes: number;
  maxRssBytes: number;
  /** Mean RSS of the last quarter minus that of the second quarter (after warm-up effects). */
  lateGrowthBytes: number;
  /** Least-squares slope over the second half, bytes per minute. */
  slopeBytesPerMin: number;
}

/**
 * The sample app under a mixed load (detections, health, get_resource, 100 KB log events) for
 * `durationS` seconds, its RSS sampled every second: does memory settle or keep climbing?
 */
export async function soak(durationS: number, secret: string): Promise<SoakResult> {
  const server = spawnServer('module', await freePort(), secret);
  const calls = [
    ...Array.from({ length: 4 }, () => detection(secret, 1024)),
    health(secret),
    getResource(secret, ['evil-hashes']),
    logEvent(secret, 100 * 1024),
  ];
  const requests = calls.map((c) => ({
    method: 'POST',
    path: '/',
    headers: c.headers,
    body: c.body,
  }));
  const options = { url: server.url, connections: 32, requests, expectStatus: 200 };
  try {
    await waitReady(server, health(secret));
    await runLoad({ ...options, durationS: 2 });
    const samples: number[] = [];
    const sampler = setInterval(() => {
      const now = rss(server);
      if (now !== undefined) samples.push(now);
    }, 1000);
    const load = await runLoad({ ...options, durationS });
    clearInterval(sampler);
    const quarter = Math.max(1, Math.floor(samples.length / 4));
    const half = samples.slice(Math.floor(samples.length / 2));
    return {
      durationS,
      load,
      samples,
      finalRssBytes: samples.at(-1) ?? Number.NaN,
      maxRssBytes: Math.max(...samples),
      lateGrowthBytes: mean(samples.slice(-quarter)) - mean(samples.slice(quarter, 2 * quarter)),
      slopeBytesPerMin: slope(
        half.map((_, i) => i / 60),
        half,
      ),
    };
  } finally {
    await stopServer(server);
  }
}
