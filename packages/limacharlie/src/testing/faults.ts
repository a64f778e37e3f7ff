import type { FakeFault, FakeMatch } from './types.js';

type Queued<T extends FakeMatch> = T & { remaining: number };

/** One-shot (or N-shot) behaviours queued by tests, consumed first-match-first. */
export class FaultQueue<T extends FakeMatch> {
  private queue: Queued<T>[] = [];

  add(spec: T): void {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new TypeError('fake LimaCharlie: count must be an integer >= 1');
    }
    this.queue.push({ ...spec, remaining: count });
  }

  /** Returns the first queued spec matching the call and uses up one of its shots. */
  take(method: string, pathname: string): T | undefined {
    const index = this.queue.findIndex((spec) => matches(spec, method, pathname));
    if (index < 0) return undefined;
    const spec = this.queue[index];
    spec.remaining -= 1;
    if (spec.remaining === 0) this.queue.splice(index, 1);
    return spec;
  }

  clear(): void {
    this.queue = [];
  }
}

function matches(spec: FakeMatch, method: string, pathname: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method) return false;
  if (spec.path instanceof RegExp) {
    // A /g or /y pattern would otherwise carry its position over from the previous call.
    spec.path.lastIndex = 0;
    return spec.path.test(pathname);
  }
  const wanted = spec.path.startsWith('/') ? spec.path : `/v1/${spec.path}`;
  return wanted === pathname;
}

export function faultHeaders(fault: FakeFault): Record<string, string> {
  const headers = { ...fault.headers };
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  return headers;
}
