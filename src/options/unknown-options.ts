/** The keys an options object may hold, and for the object-valued ones, theirs. */
export interface LcOptionKeys {
  readonly [key: string]: LcOptionKeys | null;
}

const OPERATIONAL_KEYS: LcOptionKeys = {
  path: null,
  traceComms: null,
  bodyLimit: null,
  bodyTimeoutMs: null,
  headersTimeoutMs: null,
  maxPendingBodyBytes: null,
  exposeErrors: null,
  limaCharlie: {
    apiUrl: null,
    timeoutMs: null,
    maxAttempts: null,
    maxResponseBytes: null,
    clientFactory: null,
  },
  shutdownGraceMs: null,
  probes: { liveness: null, readiness: null },
  metrics: { path: null, registry: null, defaultMetrics: null },
  idempotency: {
    allHandlers: null,
    store: null,
    ttlSeconds: null,
    maxBytes: null,
    storeTimeoutMs: null,
  },
  fastPath: null,
  asyncContext: null,
  bootSummary: null,
  // Taken by forRoot() itself; it may reach the resolver through a forRootAsync factory.
  isGlobal: null,
};

export const SERVICE_OPTION_KEYS: LcOptionKeys = {
  ...OPERATIONAL_KEYS,
  serviceName: null,
  secret: null,
  allowUnsigned: null,
  interactive: { ttlSeconds: null },
};

export const EXTENSION_OPTION_KEYS: LcOptionKeys = {
  ...OPERATIONAL_KEYS,
  name: null,
  secret: null,
  config: null,
  views: null,
  timeoutMs: null,
};

/** Edit distance, for the did-you-mean of a misspelled key (`tracecomms`, `bodylimit`). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length];
}

function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One warning per key the module does not know: a misspelled option would otherwise be ignored
 * without a word, and the default it leaves in place is rarely what was meant.
 */
export function unknownOptionWarnings(
  moduleName: string,
  opts: object,
  keys: LcOptionKeys,
  prefix = '',
): string[] {
  const warnings: string[] = [];
  const known = Object.keys(keys);
  for (const [key, value] of Object.entries(opts)) {
    const option = `${prefix}${key}`;
    if (!Object.hasOwn(keys, key)) {
      const guess = closest(key, known);
      warnings.push(
        `${moduleName}: unknown option '${option}' is ignored` +
          (guess === undefined
            ? `; the options are ${known.filter((k) => k !== 'isGlobal').join(', ')}.`
            : `. Did you mean '${prefix}${guess}'?`),
      );
      continue;
    }
    const nested = keys[key];
    if (nested !== null && isPlainObject(value)) {
      warnings.push(...unknownOptionWarnings(moduleName, value, nested, `${option}.`));
    }
  }
  return warnings;
}
