/** GCP structured-logging timestamp, as the RI writes it. */
export interface GcpTimestamp {
  seconds: number;
  nanos: number;
}

export interface GcpLogWriter {
  write(chunk: string): unknown;
}

function gcpTimestamp(nowMs: number): GcpTimestamp {
  const seconds = Math.floor(nowMs / 1000);
  const nanos = Math.min(999_999_999, Math.floor((nowMs - seconds * 1000) * 1_000_000));
  return { seconds, nanos };
}

/**
 * A JSON.stringify replacer that cannot throw on the usual suspects: BigInt becomes its decimal
 * string, a reference back to an ancestor becomes "[Circular]", and an Error keeps its name and
 * message (it would otherwise serialise as `{}`).
 */
function safeReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(value)) return '[Circular]';
    ancestors.push(value);
    if (value instanceof Error) return { name: value.name, message: value.message };
    return value;
  };
}

/**
 * Serialises `entry` on one line. A payload that still cannot be serialised (a throwing getter or
 * toJSON) falls back to `fallback`, which holds only strings and numbers and so always serialises.
 */
function toLine(entry: Record<string, unknown>, fallback: Record<string, unknown>): string {
  try {
    return JSON.stringify(entry, safeReplacer());
  } catch {
    return JSON.stringify({ ...fallback, log_error: 'log payload could not be serialised' });
  }
}

function plainMessage(message: unknown): string | null {
  return typeof message === 'string' ? message : null;
}

/**
 * The RI's `log` line: `{service, timestamp: {seconds, nanos}, severity: "INFO", message?, ...data}`.
 * As in the RI, `message` is left out when null or undefined, and `data` is merged at the top level
 * last, so it may override any field (a `severity` of its own, for instance).
 */
export function formatGcpLog(
  serviceName: string,
  message: string | null | undefined,
  data?: Record<string, unknown>,
  nowMs: number = Date.now(),
): string {
  const base: Record<string, unknown> = {
    service: serviceName,
    timestamp: gcpTimestamp(nowMs),
    severity: 'INFO',
  };
  if (message !== null && message !== undefined) base.message = message;
  const fallback = { ...base };
  if (message !== null && message !== undefined) fallback.message = plainMessage(message);
  return toLine(data === undefined || data === null ? base : { ...base, ...data }, fallback);
}

/**
 * The RI's `logCritical` line: `{message, actor, timestamp: {seconds, nanos}, severity: "ERROR"}`.
 * The RI names the service `actor` here (not `service`) and uses GCP's ERROR, not CRITICAL.
 */
export function formatGcpCritical(
  serviceName: string,
  message: string,
  nowMs: number = Date.now(),
): string {
  const entry = {
    message,
    actor: serviceName,
    timestamp: gcpTimestamp(nowMs),
    severity: 'ERROR',
  };
  return toLine(entry, { ...entry, message: plainMessage(message) });
}

/** Writes one line in a single `write`, so concurrent loggers cannot interleave within a line. */
export function writeGcpLog(stream: GcpLogWriter, line: string): void {
  stream.write(`${line}\n`);
}
