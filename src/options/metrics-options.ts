/**
 * A prom-client `Registry`, by shape: the options stay free of prom-client's types, so an app
 * without prom-client installed still type-checks against this package.
 */
export interface LcPromRegistry {
  readonly contentType: string;
  metrics(): Promise<string>;
  getSingleMetric(name: string): unknown;
}

export interface LcMetricsOptions {
  /** Route of the Prometheus text; `false` mounts none (scrape `registry` your own way). Default `/metrics`. */
  path?: string | false;
  /** A prom-client Registry to add the metrics to, e.g. the one your app already exposes. Default: a new one. */
  registry?: LcPromRegistry;
  /** Add prom-client's process metrics (CPU, memory, event loop lag). Default true with the module's own registry, false with yours. */
  defaultMetrics?: boolean;
}

export interface ResolvedLcMetrics {
  path: string | undefined;
  registry: LcPromRegistry | undefined;
  defaultMetrics: boolean;
}

type Fail = (option: string, fix: string) => never;

export const DEFAULT_METRICS_PATH = '/metrics';

/** `true`: the defaults; `false` or absent: off (prom-client is then never loaded). */
export function resolveMetrics(value: unknown, fail: Fail): ResolvedLcMetrics | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true && (typeof value !== 'object' || value === null)) {
    fail('metrics', 'must be true, false or { path, registry, defaultMetrics }');
  }
  const opts: LcMetricsOptions = value === true ? {} : (value as LcMetricsOptions);
  const { path = DEFAULT_METRICS_PATH, registry } = opts;
  if (path !== false && (typeof path !== 'string' || !path.startsWith('/'))) {
    fail('metrics.path', `must be an absolute route path or false, got ${String(path)}`);
  }
  if (
    registry !== undefined &&
    (typeof registry !== 'object' ||
      registry === null ||
      typeof (registry as { registerMetric?: unknown }).registerMetric !== 'function')
  ) {
    fail('metrics.registry', 'must be a prom-client Registry (new Registry() or register)');
  }
  const defaultMetrics = opts.defaultMetrics ?? registry === undefined;
  if (typeof defaultMetrics !== 'boolean') {
    fail('metrics.defaultMetrics', `must be true or false, got ${String(defaultMetrics)}`);
  }
  return { path: path === false ? undefined : path, registry, defaultMetrics };
}
