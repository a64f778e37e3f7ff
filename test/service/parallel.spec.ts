import { availableParallelism } from 'node:os';
import { LcTimeoutError, parallelExec, parallelExecEx } from '../../src/service/parallel.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Wraps `fn` to record the highest number of calls in flight at once. */
function measured<T, R>(
  fn: (item: T) => Promise<R>,
): {
  fn: (item: T) => Promise<R>;
  maxInFlight: () => number;
} {
  let inFlight = 0;
  let max = 0;
  return {
    fn: async (item) => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      try {
        return await fn(item);
      } finally {
        inFlight -= 1;
      }
    },
    maxInFlight: () => max,
  };
}

describe('parallelExec', () => {
  it('returns results in input order, not completion order', async () => {
    const results = await parallelExec(
      async (ms: number) => {
        await sleep(ms);
        return ms * 2;
      },
      [30, 5, 15],
    );

    expect(results).toEqual([60, 10, 30]);
  });

  it('returns failures in place instead of throwing', async () => {
    const results = await parallelExec(
      (n: number) => {
        if (n === 1) throw new Error('sync failure');
        if (n === 2) return Promise.reject(new Error('async failure'));
        if (n === 3) throw 'a bare string';
        return n;
      },
      [0, 1, 2, 3],
    );

    expect(results[0]).toBe(0);
    expect(results.slice(1).map((result) => (result as Error).message)).toEqual([
      'sync failure',
      'async failure',
      'a bare string',
    ]);
    expect(results.slice(1).every((result) => result instanceof Error)).toBe(true);
  });

  it('resolves an empty batch at once', async () => {
    await expect(parallelExec(() => 1, [])).resolves.toEqual([]);
  });

  it('respects maxConcurrent', async () => {
    const probe = measured(async (n: number) => {
      await sleep(5);
      return n;
    });

    const results = await parallelExec(probe.fn, [...Array(12).keys()], { maxConcurrent: 3 });

    expect(results).toEqual([...Array(12).keys()]);
    expect(probe.maxInFlight()).toBe(3);
  });

  it("bounds concurrency by the RI's default, min(32, CPUs + 4)", async () => {
    const probe = measured(async (n: number) => {
      await sleep(2);
      return n;
    });

    await parallelExec(probe.fn, [...Array(40).keys()]);

    expect(probe.maxInFlight()).toBe(Math.min(32, availableParallelism() + 4));
  });

  it('returns at the timeout while a call still hangs, and starts nothing more', async () => {
    const started: string[] = [];
    let hungSignal: AbortSignal | undefined;
    const startedAt = Date.now();

    const results = await parallelExec(
      (item: string, signal) => {
        started.push(item);
        if (item === 'fast') return 'done';
        hungSignal = signal;
        return new Promise<string>(() => undefined);
      },
      ['fast', 'hangs', 'queued'],
      { timeoutMs: 40, maxConcurrent: 1 },
    );

    // The hung call never settles: returning at all shows the timeout; the bound only keeps a
    // regression from running into jest's timeout.
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(results[0]).toBe('done');
    expect(results[1]).toBeInstanceOf(LcTimeoutError);
    expect((results[1] as Error).message).toMatch(/still running/);
    expect(results[2]).toBeInstanceOf(LcTimeoutError);
    expect((results[2] as Error).message).toMatch(/not started/);
    expect(started).toEqual(['fast', 'hangs']);
    expect(hungSignal?.aborted).toBe(true);
  });

  it('does not start anything when the signal is already aborted', async () => {
    let calls = 0;
    const results = await parallelExec(
      () => {
        calls += 1;
        return 1;
      },
      [1, 2],
      { signal: AbortSignal.abort() },
    );

    expect(calls).toBe(0);
    expect(results.every((result) => result instanceof LcTimeoutError)).toBe(true);
  });

  it('ends the batch when the signal aborts mid-way', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);

    const results = await parallelExec(
      (n: number) => (n === 0 ? n : new Promise<number>(() => undefined)),
      [0, 1],
      { signal: controller.signal },
    );

    expect(results[0]).toBe(0);
    expect((results[1] as Error).message).toMatch(/aborted/);
  });

  it('rejects invalid options', async () => {
    await expect(parallelExec(() => 1, [1], { maxConcurrent: 1.5 })).rejects.toThrow(RangeError);
    await expect(parallelExec(() => 1, [1], { timeoutMs: -1 })).rejects.toThrow(RangeError);
  });
});

describe('parallelExecEx', () => {
  it('pairs each result with its key, failures included, for a record', async () => {
    const results = await parallelExecEx(
      async (sid: string) => {
        if (sid === 'bad') throw new Error('offline');
        return sid.toUpperCase();
      },
      { host1: 'abc', host2: 'bad' },
    );

    expect(results).toEqual([
      { key: 'host1', ok: true, result: 'ABC' },
      { key: 'host2', ok: false, error: new Error('offline') },
    ]);
  });

  it('accepts a Map with any key type and honours the timeout', async () => {
    const items = new Map<number, number>([
      [1, 10],
      [2, -1],
    ]);

    const results = await parallelExecEx(
      (value) => (value < 0 ? new Promise<number>(() => undefined) : value + 1),
      items,
      { timeoutMs: 20 },
    );

    expect(results[0]).toEqual({ key: 1, ok: true, result: 11 });
    expect(results[1]?.key).toBe(2);
    expect(results[1]?.ok === false && results[1].error).toBeInstanceOf(LcTimeoutError);
  });
});
