/**
 * An OpenTelemetry `Tracer`, by shape: the options stay free of @opentelemetry/api's types, so
 * an app without it installed still type-checks against this package.
 */
export interface LcTracer {
  startSpan(name: string, options?: object, context?: object): object;
}

export interface LcOpenTelemetryOptions {
  /** The tracer spans are made with. Default: `trace.getTracer('nestjs-lc-service')`, from the global provider. */
  tracer?: LcTracer;
}

export interface ResolvedLcOpenTelemetry {
  tracer: LcTracer | undefined;
}

type Fail = (option: string, fix: string) => never;

/** `true`: the global tracer provider's; `false` or absent: off (@opentelemetry/api is then never loaded). */
export function resolveOpenTelemetry(
  value: unknown,
  fail: Fail,
): ResolvedLcOpenTelemetry | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { tracer: undefined };
  if (typeof value !== 'object' || value === null) {
    fail('openTelemetry', 'must be true, false or { tracer }');
  }
  const { tracer } = value as LcOpenTelemetryOptions;
  if (
    tracer !== undefined &&
    (typeof tracer !== 'object' ||
      tracer === null ||
      typeof (tracer as { startSpan?: unknown }).startSpan !== 'function')
  ) {
    fail(
      'openTelemetry.tracer',
      "must be an OpenTelemetry Tracer (trace.getTracer('my-service'), or provider.getTracer(...))",
    );
  }
  return { tracer };
}
