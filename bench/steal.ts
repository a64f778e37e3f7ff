import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux's USER_HZ: /proc/stat counts in hundredths of a second. */
const TICKS_PER_S = 100;

/** The host's steal counter (time a VM's CPUs waited for the hypervisor); undefined off Linux. */
function stealTicks(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    const steal = Number(fields[8]);
    return Number.isFinite(steal) ? steal : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Measures the share of the machine's CPU time the hypervisor took from this VM while `run` ran:
 * 0.2 means a fifth of every core's time. Undefined where the counter is not available.
 */
export async function withSteal<T>(run: () => Promise<T>): Promise<{ value: T; steal?: number }> {
  const before = stealTicks();
  const started = performance.now();
  const value = await run();
  const after = stealTicks();
  if (before === undefined || after === undefined) return { value };
  const elapsedS = (performance.now() - started) / 1000;
  return { value, steal: (after - before) / TICKS_PER_S / elapsedS / cpus().length };
}
