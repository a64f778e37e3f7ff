/** setTimeout cannot wait longer; a later expiry is re-armed when this much has passed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One watched call: when it expires, and what to do then. */
export interface LcWatchedDeadline {
  readonly at: number;
  readonly expire: () => void;
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
 * small call. Here a call is a Set entry; the timer is armed for the earliest expiry and moved
 * only when a call expires sooner than it. Calls that finish leave the timer where it is: it fires
 * once, finds nothing due, and moves to the earliest call still in flight, so under a steady flow
 * of LimaCharlie's ~10 minute deadlines it is re-armed about once per deadline, not per call.
 */
export class LcDeadlineWatch {
  private readonly pending = new Set<LcWatchedDeadline>();
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  /** Calls `expire` once at epoch millisecond `at`, unless `cancel`led first. */
  watch(at: number, expire: () => void): LcWatchedDeadline {
    const entry = { at, expire };
    this.pending.add(entry);
    if (at < this.armedAt) this.arm(at);
    return entry;
  }

  cancel(entry: LcWatchedDeadline): void {
    this.pending.delete(entry);
  }

  /** Calls being watched now. */
  get size(): number {
    return this.pending.size;
  }

  /** Stops the timer; watched calls no longer expire. */
  close(): void {
    this.pending.clear();
    if (this.timer !== undefined) clearUnrefTimer(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
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
    const due: LcWatchedDeadline[] = [];
    let next = Infinity;
    for (const entry of this.pending) {
      if (entry.at <= now) due.push(entry);
      else if (entry.at < next) next = entry.at;
    }
    // Re-armed before any expiry runs, so one that throws cannot leave the others unwatched.
    if (next !== Infinity) this.arm(next);
    for (const entry of due) {
      this.pending.delete(entry);
      entry.expire();
    }
  };
}
