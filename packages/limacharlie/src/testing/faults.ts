import type { FakeFault, FakeMatch } from './types.js';

type Queued<T extends FakeMatch> = T & { remaining: number; label: string; paths: string[] };

/** One-shot (or N-shot) behaviours queued by tests, consumed first-match-first. */
export class FaultQueue<T extends FakeMatch> {
  private queue: Queued<T>[] = [];

  /** `verb` names the queuing method in errors (`failNext`, `hangNext`, `dropNext`). */
  constructor(private readonly verb: string) {}

  add(spec: T): void {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new TypeError(`fake LimaCharlie ${this.verb}: count must be an integer >= 1`);
    }
    if (typeof spec.path !== 'string' && !(spec.path instanceof RegExp)) {
      throw new TypeError(
        `fake LimaCharlie ${this.verb}: path must be a string (a path prefix such as 'rules' or '/v1/rules') or a RegExp`,
      );
    }
    const paths = typeof spec.path === 'string' ? candidatePaths(spec.path) : [];
    this.queue.push({ ...spec, remaining: count, label: describeSpec(this.verb, spec), paths });
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

  /** What is still queued, one line each, with the shots it has left. */
  pending(): string[] {
    return this.queue.map((spec) => {
      const count = spec.count ?? 1;
      return `${spec.label}: ${count - spec.remaining} of ${count} fired`;
    });
  }

  clear(): void {
    this.queue = [];
  }
}

/**
 * A string path is a prefix, ending at a segment boundary, of the request path with or without
 * `/v1`: `rules`, `/rules`, `v1/rules` and `/v1/rules` all match `/v1/rules/<oid>`, and `/jwt`
 * matches the JWT exchange, which is outside `/v1`.
 */
function candidatePaths(path: string): string[] {
  const bare = path.replace(/^\/+/, '');
  if (bare === 'v1' || bare.startsWith('v1/')) return [`/${bare}`];
  return [`/v1/${bare}`, `/${bare}`];
}

function isPrefix(prefix: string, pathname: string): boolean {
  if (!pathname.startsWith(prefix)) return false;
  return (
    pathname.length === prefix.length || prefix.endsWith('/') || pathname[prefix.length] === '/'
  );
}

function matches(spec: FakeMatch & { paths: string[] }, method: string, pathname: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method) return false;
  if (spec.path instanceof RegExp) {
    // A /g or /y pattern would otherwise carry its position over from the previous call.
    spec.path.lastIndex = 0;
    return spec.path.test(pathname);
  }
  return spec.paths.some((prefix) => isPrefix(prefix, pathname));
}

function describeSpec(verb: string, spec: FakeMatch): string {
  const parts: string[] = [];
  if (spec.method) parts.push(`method: '${spec.method}'`);
  parts.push(`path: ${typeof spec.path === 'string' ? `'${spec.path}'` : String(spec.path)}`);
  const status = (spec as Partial<FakeFault>).status;
  if (status !== undefined) parts.push(`status: ${status}`);
  return `${verb}({ ${parts.join(', ')} })`;
}

export function faultHeaders(fault: FakeFault): Record<string, string> {
  const headers = { ...fault.headers };
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  return headers;
}
