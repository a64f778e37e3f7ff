/** Cancels a pending `delay` or further `schedule` runs. A run already in progress finishes. */
export interface LcTimerHandle {
  cancel(): void;
}

// Node clamps longer timeouts to 1 ms, so long waits are armed in steps of at most this.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

const NOOP_HANDLE: LcTimerHandle = Object.freeze({ cancel: () => undefined });

interface Entry {
  timer: NodeJS.Timeout | undefined;
  run: Promise<void> | undefined;
  cancelled: boolean;
}

function toMs(seconds: number, name: string, allowZero: boolean): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`${name} must be a finite number of seconds, got ${String(seconds)}`);
  }
  if (!allowZero && seconds === 0) throw new RangeError(`${name} must be more than 0 seconds`);
  return seconds * 1000;
}

/**
 * In-process timers for the RI's `delay` and `schedule` helpers. They run on this replica only:
 * LimaCharlie crons are webhooks, not these.
 *
 * - Errors thrown or rejected by `fn` go to `onError`; nothing escapes as a crash or an unhandled
 *   rejection.
 * - Only live timers are held (a pending delay, a schedule until cancelled), so the set does not
 *   grow with the number of runs as the RI's thread list did.
 * - Timers are `unref()`'d: pending work never keeps the process alive.
 * - After `shutdown()`, `delay` and `schedule` do nothing and return a no-op handle, as the RI does
 *   once its stop event is set: a late call during shutdown cannot throw into a shutdown sequence.
 */
export class LcTimers {
  private readonly entries = new Set<Entry>();
  private closed = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Live timers: pending delays, active schedules and runs still in progress. */
  get size(): number {
    return this.entries.size;
  }

  get isShutDown(): boolean {
    return this.closed;
  }

  /** Runs `fn(...args)` once, `seconds` from now. */
  delay<A extends unknown[]>(
    seconds: number,
    fn: (...args: A) => unknown,
    ...args: A
  ): LcTimerHandle {
    const ms = toMs(seconds, 'delay', true);
    if (this.closed) return NOOP_HANDLE;
    const entry = this.track();
    this.arm(entry, ms, () => this.start(entry, fn, args, undefined));
    return this.handleFor(entry);
  }

  /**
   * Runs `fn(...args)` now, then again `everySeconds` after each run *finishes*, as the RI does
   * (its first call is made inline, before `schedule` returns; so is ours). Measuring the interval
   * from the end of a run means a slow run delays the next one instead of overlapping it.
   * Unlike the RI, an error in the first run goes to `onError` instead of to the caller.
   */
  schedule<A extends unknown[]>(
    everySeconds: number,
    fn: (...args: A) => unknown,
    ...args: A
  ): LcTimerHandle {
    const ms = toMs(everySeconds, 'schedule interval', false);
    if (this.closed) return NOOP_HANDLE;
    const entry = this.track();
    const again = (): void => this.arm(entry, ms, () => this.start(entry, fn, args, again));
    this.start(entry, fn, args, again);
    return this.handleFor(entry);
  }

  /**
   * Cancels every pending timer and waits up to `graceMs` for runs in progress to finish.
   * Resolves `true` when all of them finished, `false` when the grace period ran out first.
   */
  async shutdown(graceMs: number): Promise<boolean> {
    this.closed = true;
    const running: Promise<void>[] = [];
    for (const entry of this.entries) {
      this.stop(entry);
      if (entry.run !== undefined) running.push(entry.run);
    }
    if (running.length === 0) return true;
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((resolve) => {
      graceTimer = setTimeout(() => resolve(false), Math.max(0, graceMs));
    });
    try {
      return await Promise.race([Promise.all(running).then(() => true), graceOver]);
    } finally {
      clearTimeout(graceTimer);
    }
  }

  private track(): Entry {
    const entry: Entry = { timer: undefined, run: undefined, cancelled: false };
    this.entries.add(entry);
    return entry;
  }

  private handleFor(entry: Entry): LcTimerHandle {
    return { cancel: () => this.stop(entry) };
  }

  /** Stops future runs; an entry with a run in progress is dropped when that run ends. */
  private stop(entry: Entry): void {
    entry.cancelled = true;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    if (entry.run === undefined) this.entries.delete(entry);
  }

  private arm(entry: Entry, ms: number, fire: () => void): void {
    const step = Math.min(ms, MAX_TIMEOUT_MS);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (ms > step) this.arm(entry, ms - step, fire);
      else fire();
    }, step);
    entry.timer.unref();
  }

  private start<A extends unknown[]>(
    entry: Entry,
    fn: (...args: A) => unknown,
    args: A,
    next: (() => void) | undefined,
  ): void {
    // The run is recorded before `fn` is called: `fn` may cancel its own handle synchronously, and
    // the entry must then stay tracked (and awaited by shutdown) until the run ends.
    let finished!: () => void;
    entry.run = new Promise<void>((resolve) => {
      finished = resolve;
    });
    void this.invoke(fn, args).then(() => {
      entry.run = undefined;
      if (entry.cancelled || this.closed || next === undefined) this.entries.delete(entry);
      else next();
      finished();
    });
  }

  /** Never rejects: whatever `fn` throws goes to `onError`. */
  private async invoke<A extends unknown[]>(fn: (...args: A) => unknown, args: A): Promise<void> {
    try {
      await fn(...args);
    } catch (error) {
      try {
        this.onError(error);
      } catch {
        // A failing error reporter has nowhere left to report to; keeping the process up matters more.
      }
    }
  }
}
