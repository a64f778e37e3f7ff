import { Logger } from '@nestjs/common';

/** What the sample service reads from its environment. */
export interface SampleConfig {
  port: number;
  secret: string;
  /** LimaCharlie REST root; point it at a FakeLimaCharlie for local runs. */
  apiUrl?: string;
  traceComms: boolean;
  /** Prometheus metrics at GET /metrics (`LC_METRICS=1`). */
  metrics?: boolean;
  /** How long a SIGTERM waits for calls in flight (`LC_SHUTDOWN_GRACE_MS`, default 10 000). */
  shutdownGraceMs?: number;
  /** GCP-structured JSON logs for Cloud Logging (`LC_LOG_FORMAT=gcp`). */
  gcpLogs?: boolean;
  /** `LC_FAST_PATH=0` serves the webhook through the Fastify route only (option `fastPath`). */
  fastPath?: boolean;
  /** `LC_ASYNC_CONTEXT=1` turns call tracking on though nothing reads it (option `asyncContext`). */
  asyncContext?: boolean;
}

export const DEV_SECRET = 'dev-secret-change-me';

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SampleConfig {
  let secret = env.LC_SHARED_SECRET;
  if (secret === undefined || secret === '') {
    new Logger('SampleApp').warn(
      `!!! LC_SHARED_SECRET is not set: using the development secret '${DEV_SECRET}'. Anyone who reads this code can call the service. Set LC_SHARED_SECRET in production. !!!`,
    );
    secret = DEV_SECRET;
  }
  return {
    port: env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT),
    secret,
    apiUrl: env.LC_API_URL || undefined,
    traceComms: env.LC_TRACE_COMMS === '1',
    metrics: env.LC_METRICS === '1',
    shutdownGraceMs: env.LC_SHUTDOWN_GRACE_MS ? Number(env.LC_SHUTDOWN_GRACE_MS) : undefined,
    gcpLogs: env.LC_LOG_FORMAT === 'gcp',
    fastPath: env.LC_FAST_PATH !== '0',
    asyncContext: env.LC_ASYNC_CONTEXT === '1' ? true : undefined,
  };
}
