export interface LcProbeOptions {
  /** Liveness route: 200 while the process can answer at all. Default `/healthz`. */
  liveness?: string;
  /** Readiness route: 200 once booted, 503 while starting or draining. Default `/readyz`. */
  readiness?: string;
}

export interface ResolvedLcProbes {
  liveness: string;
  readiness: string;
}

type Fail = (option: string, fix: string) => never;

export const DEFAULT_LIVENESS_PATH = '/healthz';
export const DEFAULT_READINESS_PATH = '/readyz';

/** Probes are on unless `false`. */
export function resolveProbes(value: unknown, fail: Fail): ResolvedLcProbes | undefined {
  if (value === false) return undefined;
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    fail('probes', 'must be false or { liveness, readiness }');
  }
  const { liveness = DEFAULT_LIVENESS_PATH, readiness = DEFAULT_READINESS_PATH } =
    (value as LcProbeOptions | undefined) ?? {};
  for (const [name, path] of [
    ['probes.liveness', liveness],
    ['probes.readiness', readiness],
  ] as const) {
    if (typeof path !== 'string' || !path.startsWith('/')) {
      fail(name, `must be an absolute route path starting with '/', got ${String(path)}`);
    }
  }
  if (liveness === readiness) {
    fail('probes', `liveness and readiness need different paths, both are '${liveness}'`);
  }
  return { liveness, readiness };
}
