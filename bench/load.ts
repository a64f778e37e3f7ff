import autocannon, { type AutocannonRequest } from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  /** Sent in turn on every connection. */
  requests: AutocannonRequest[];
  /** The status every answer must have; any other is counted in `unexpected`. */
  expectStatus: number;
}

export interface LoadResult {
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  answered: number;
  /** Answers with another status than expected, plus connection errors and timeouts. */
  unexpected: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * One autocannon run. Latencies are taken from each response's own timing (sub-millisecond),
 * not from autocannon's histogram, which rounds to whole milliseconds.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let answered = 0;
  let wrongStatus = 0;
  const instance = autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: options.durationS,
    timeout: 30,
    requests: options.requests,
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status !== options.expectStatus) wrongStatus++;
    if (answered === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[answered++] = ms;
  });
  const result = await instance;
  const sorted = latencies.subarray(0, answered).sort();
  return {
    requestsPerS: answered / result.duration,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    answered,
    unexpected: wrongStatus + result.errors,
  };
}
