const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: Record<string, number> = { s: SECOND, m: MINUTE, h: HOUR, d: DAY };

/**
 * The emulator's accelerated clock: simulated milliseconds since the run started, `speed` times
 * faster than the wall clock. Crons are due at simulated instants; `delayUntil` says how long to
 * wait for one in real time, and is 0 when the run has fallen behind (a slow service), so late
 * ticks fire back to back rather than being skipped.
 */
export class SimClock {
  private startedAt: number | undefined;

  constructor(
    readonly speed: number,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.startedAt = this.now();
  }

  /** Simulated ms since `start()` (0 before it). */
  elapsed(): number {
    return this.startedAt === undefined ? 0 : (this.now() - this.startedAt) * this.speed;
  }

  /** Real ms until the simulated instant `at`. */
  delayUntil(at: number): number {
    if (this.startedAt === undefined) return 0;
    return Math.max(0, this.startedAt + at / this.speed - this.now());
  }
}

/** `90`, `90s`, `30m`, `36h`, `7d`, `1.5h` → milliseconds; a bare number is seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!match) {
    throw new Error(`not a duration: '${text}' (use seconds, or a number with s, m, h or d)`);
  }
  const ms = Number(match[1]) * UNITS[match[2] === '' ? 's' : match[2]];
  if (ms <= 0) throw new Error(`a duration must be more than 0, got '${text}'`);
  return ms;
}

/** A simulated instant as `d<day> HH:MM:SS`. */
export function formatSimTime(ms: number): string {
  const total = Math.floor(ms / SECOND);
  const day = Math.floor(total / 86400);
  const rest = total % 86400;
  const hh = String(Math.floor(rest / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, '0');
  const ss = String(rest % 60).padStart(2, '0');
  return `d${day} ${hh}:${mm}:${ss}`;
}

/** A simulated span in its largest whole unit: `30d`, `36h`, `90m`, `12s`, else `1.5s`. */
export function formatSpan(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    const size = UNITS[unit];
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Number((ms / SECOND).toFixed(3))}s`;
}
