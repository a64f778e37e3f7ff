import { CRON_ETYPES, type LcCronEtype } from '../../protocol/service/etypes.js';

const HOUR = 3_600_000;
const PERIOD_MS: Record<string, number> = {
  '1h': HOUR,
  '3h': 3 * HOUR,
  '12h': 12 * HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
};

export type CronScope = 'org' | 'once' | 'sensor';

export interface CronTick {
  /** Simulated ms since the run started. */
  at: number;
  etype: LcCronEtype;
  scope: CronScope;
}

export function cronScope(etype: LcCronEtype): CronScope {
  return etype.startsWith('org_') ? 'org' : etype.startsWith('once_') ? 'once' : 'sensor';
}

export function cronPeriodMs(etype: LcCronEtype): number {
  return PERIOD_MS[etype.slice(etype.lastIndexOf('_') + 1)];
}

/** The cron etypes among `callbacks`, in the protocol's order (org, once, sensor; short first). */
export function subscribedCrons(callbacks: ReadonlySet<string>): LcCronEtype[] {
  return CRON_ETYPES.filter((etype) => callbacks.has(etype));
}

/** The longest period among `etypes`, or undefined when there is none. */
export function longestCron(
  etypes: readonly LcCronEtype[],
): { etype: LcCronEtype; ms: number } | undefined {
  let longest: { etype: LcCronEtype; ms: number } | undefined;
  for (const etype of etypes) {
    const ms = cronPeriodMs(etype);
    if (longest === undefined || ms > longest.ms) longest = { etype, ms };
  }
  return longest;
}

/**
 * Every tick of `etypes` in (0, endMs], in time order; ticks due together keep the order of
 * `etypes`. Each cron first fires one period after the start, as LimaCharlie's do after an
 * install. Lazy, so a month of hourly ticks costs nothing up front.
 */
export function* cronTicks(etypes: readonly LcCronEtype[], endMs: number): Generator<CronTick> {
  const next = etypes.map((etype) => cronPeriodMs(etype));
  for (;;) {
    let pick = -1;
    for (let i = 0; i < etypes.length; i++) {
      if (next[i] <= endMs && (pick === -1 || next[i] < next[pick])) pick = i;
    }
    if (pick === -1) return;
    const etype = etypes[pick];
    yield { at: next[pick], etype, scope: cronScope(etype) };
    next[pick] += cronPeriodMs(etype);
  }
}
