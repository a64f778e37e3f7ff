/** setTimeout cannot wait longer; a later expiry is re-armed when this much has passed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One watched call: when it expires, and what to do then. */
export interface LcWatchedDeadline {
  readonly at: number;
}

/** A list node: calls in flight are linked, so watching and cancelling allocate nothing else. */
class Watched implements LcWatchedDeadline {
  prev: Watched | undefined = undefined;
  next: Watched | undefined = undefined;
  linked = true;

  constructor(
    readonly at: number,
    readonly expire: () => void,
  ) {}
}

/**
 * Node deletes the timer list of a cleared timer only when the timer is ref'd: clearing an
 * unref'd one leaves an empty list per distinct duration until that duration has passed.
 */
function clearUnrefTimer(timer: NodeJS.Timeout): void {
  timer.ref();
  clearTimeout(timer);
}

/**
 * The deadlines of every call in flight behind one timer. A timer per call costs a Node timer
 * list per call (each call's duration is different), which was a fifth of the dispatch cost of a
 * small call. The timer is armed for the earliest expiry and moved only when a call expires
 * sooner than it. Calls that finish leave the timer where it is: it fires once, finds nothing
 * due, and moves to the earliest call still in flight, so under a steady flow of LimaCharlie's
 * ~10 minute deadlines it is re-armed about once per deadline, not per call.
 *
 * Calls are nodes of a linked list rather than Set entries: a Set that is old and churns tens of
 * thousands of entries a second keeps reallocating its table in the old generation, garbage that
 * only a full GC frees (RSS climbed ~60 MiB a minute under the benchmark's soak).
 */
export class LcDeadlineWatch {
  private head: Watched | undefined;
  private tail: Watched | undefined;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  /** Calls `expire` once at epoch millisecond `at`, unless `cancel`led first. */
  watch(at: number, expire: () => void): LcWatchedDeadline {
    const entry = new Watched(at, expire);
    entry.prev = this.tail;
    if (this.tail === undefined) this.head = entry;
    else this.tail.next = entry;
    this.tail = entry;
    this.count++;
    if (at < this.armedAt) this.arm(at);
    return entry;
  }

  cancel(entry: LcWatchedDeadline): void {
    this.unlink(entry as Watched);
  }

  /**
   * Settles with `running`, or rejects with what `expire` returns once `at` passes first. What
   * `running` still does after that is the caller's to handle (inside `expire`).
   */
  race<T>(at: number, running: Promise<T>, expire: () => Error): Promise<T> {
    return new Promise((resolve, reject) => {
      const watched = this.watch(at, () => reject(expire()));
      running.then(
        (value) => {
          this.cancel(watched);
          resolve(value);
        },
        (err: unknown) => {
          this.cancel(watched);
          reject(err);
        },
      );
    });
  }

  /** Calls being watched now. */
  get size(): number {
    return this.count;
  }

  private unlink(entry: Watched): void {
    if (!entry.linked) return;
    entry.linked = false;
    if (entry.prev === undefined) this.head = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === undefined) this.tail = entry.prev;
    else entry.next.prev = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
    this.count--;
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearUnrefTimer(this.timer);
    this.armedAt = at;
    this.timer = setTimeout(this.fire, Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())));
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = Date.now();
    const due: Watched[] = [];
    let next = Infinity;
    for (let entry = this.head; entry !== undefined; entry = entry.next) {
      if (entry.at <= now) due.push(entry);
      else if (entry.at < next) next = entry.at;
    }
    // Re-armed before any expiry runs, so one that throws cannot leave the others unwatched.
    if (next !== Infinity) this.arm(next);
    for (const entry of due) {
      this.unlink(entry);
      entry.expire();
    }
  };
}
