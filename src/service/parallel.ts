import { availableParallelism } from 'node:os';

/** Reported in place of a call that was still running, or never started, when time ran out. */
export class LcTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LcTimeoutError';
  }
}

export interface ParallelExecOptions {
  /** Overall budget for the whole batch, from the call; none by default (like the RI). */
  timeoutMs?: number;
  /**
   * Calls in flight at once. Defaults to the RI's ThreadPoolExecutor default,
   * min(32, CPUs + 4), which also keeps a large batch from flooding the LimaCharlie API.
   */
  maxConcurrent?: number;
  /** Ends the batch like the timeout does, e.g. the request's deadline signal. */
  signal?: AbortSignal;
}

/**
 * `fn` receives a signal that aborts when the batch times out, so it can stop its own work
 * (pass it to fetch or to the LimaCharlie client).
 */
export type ParallelFn<T, R> = (item: T, signal: AbortSignal) => R | PromiseLike<R>;

export type ParallelOutcome<R> = { ok: true; result: R } | { ok: false; error: Error };

/** One entry of `parallelExecEx`: unlike the RI, a failure keeps its key. */
export type ParallelExResult<K, R> =
  { key: K; ok: true; result: R } | { key: K; ok: false; error: Error };

function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const message = typeof thrown === 'string' ? thrown : `non-Error value thrown (${typeof thrown})`;
  return new Error(message, { cause: thrown });
}

function resolveLimit(maxConcurrent: number | undefined): number {
  if (maxConcurrent === undefined) return Math.min(32, availableParallelism() + 4);
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new RangeError(`maxConcurrent must be a positive integer, got ${String(maxConcurrent)}`);
  }
  return maxConcurrent;
}

function checkTimeout(timeoutMs: number | undefined): void {
  if (timeoutMs === undefined) return;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new RangeError(`timeoutMs must be a finite number >= 0, got ${String(timeoutMs)}`);
  }
}

/**
 * Runs `fn` over `items` with bounded concurrency; one outcome per item, in input order. Never
 * rejects for a failed call. When the timeout passes or `signal` aborts, it resolves at once: calls
 * still running are reported as `LcTimeoutError` (their late results are dropped), and items not
 * started yet are never started.
 */
function runParallel<T, R>(
  fn: ParallelFn<T, R>,
  items: readonly T[],
  options: ParallelExecOptions = {},
): Promise<ParallelOutcome<R>[]> {
  const limit = resolveLimit(options.maxConcurrent);
  checkTimeout(options.timeoutMs);
  const { timeoutMs, signal } = options;
  const outcomes: (ParallelOutcome<R> | undefined)[] = new Array<undefined>(items.length);
  const controller = new AbortController();

  return new Promise((resolve) => {
    let nextIndex = 0;
    let running = 0;
    let settled = 0;
    let finished = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (): void => {
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', expire);
      resolve(outcomes as ParallelOutcome<R>[]);
    };

    const settle = (index: number, outcome: ParallelOutcome<R>): void => {
      if (finished) return;
      outcomes[index] = outcome;
      running -= 1;
      settled += 1;
      launch();
    };

    const launch = (): void => {
      while (!finished && running < limit && nextIndex < items.length) {
        const index = nextIndex;
        nextIndex += 1;
        running += 1;
        const call = async (): Promise<R> => fn(items[index], controller.signal);
        call().then(
          (result) => settle(index, { ok: true, result }),
          (error: unknown) => settle(index, { ok: false, error: toError(error) }),
        );
      }
      if (!finished && settled === items.length) finish();
    };

    const expire = (): void => {
      if (finished) return;
      const why = signal?.aborted ? 'the batch was aborted' : `the ${timeoutMs} ms timeout passed`;
      for (let index = 0; index < items.length; index += 1) {
        if (outcomes[index] !== undefined) continue;
        const message =
          index < nextIndex ? `call still running when ${why}` : `call not started: ${why} first`;
        outcomes[index] = { ok: false, error: new LcTimeoutError(message) };
      }
      controller.abort(new LcTimeoutError(`parallel execution ended: ${why}`));
      finish();
    };

    if (signal?.aborted) {
      expire();
      return;
    }
    signal?.addEventListener('abort', expire, { once: true });
    if (timeoutMs !== undefined) timer = setTimeout(expire, timeoutMs);
    launch();
  });
}

/**
 * The RI's `parallelExec`: results in input order, with the error in place of each failed call
 * (a call that returns an Error is indistinguishable from one that threw, as in the RI).
 */
export async function parallelExec<T, R>(
  fn: ParallelFn<T, R>,
  items: readonly T[],
  options?: ParallelExecOptions,
): Promise<(R | Error)[]> {
  const outcomes = await runParallel(fn, items, options);
  return outcomes.map((outcome) => (outcome.ok ? outcome.result : outcome.error));
}

/**
 * The RI's `parallelExecEx`: `fn` is applied to each value of a keyed collection, and each result
 * comes back with its key, in the collection's order.
 */
export function parallelExecEx<K, T, R>(
  fn: ParallelFn<T, R>,
  items: ReadonlyMap<K, T>,
  options?: ParallelExecOptions,
): Promise<ParallelExResult<K, R>[]>;
export function parallelExecEx<T, R>(
  fn: ParallelFn<T, R>,
  items: Readonly<Record<string, T>>,
  options?: ParallelExecOptions,
): Promise<ParallelExResult<string, R>[]>;
export async function parallelExecEx<T, R>(
  fn: ParallelFn<T, R>,
  items: ReadonlyMap<unknown, T> | Readonly<Record<string, T>>,
  options?: ParallelExecOptions,
): Promise<ParallelExResult<unknown, R>[]> {
  const entries: [unknown, T][] =
    items instanceof Map ? [...items.entries()] : Object.entries(items as Record<string, T>);
  const outcomes = await runParallel(
    fn,
    entries.map(([, value]) => value),
    options,
  );
  return outcomes.map((outcome, index) => ({ key: entries[index][0], ...outcome }));
}
