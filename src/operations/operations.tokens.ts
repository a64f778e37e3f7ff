/** The `LcMetrics` instance, or null when the `metrics` option is off. */
export const LC_METRICS = Symbol('LC_METRICS');
/** The `LcIdempotency` runner, or null when the `idempotency` option is false. */
export const LC_IDEMPOTENCY = Symbol('LC_IDEMPOTENCY');
/** The `LcTelemetry` spans, or null when the `openTelemetry` option is off. */
export const LC_TELEMETRY = Symbol('LC_TELEMETRY');
