import { Logger } from '@nestjs/common';
import { DEV_SECRET } from '../config.js';

/** What the sample extension reads from its environment. */
export interface SampleExtConfig {
  port: number;
  secret: string;
  /** LimaCharlie REST root; point it at a FakeLimaCharlie for local runs. */
  apiUrl?: string;
  traceComms: boolean;
  /** GCP-structured JSON logs for Cloud Logging (`LC_LOG_FORMAT=gcp`). */
  gcpLogs?: boolean;
}

/**
 * `LC_EXT_SECRET` is required with NODE_ENV=production; elsewhere the development secret stands
 * in, as for the sample service, so `npm start -- extension` runs from a fresh clone.
 */
export function extConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SampleExtConfig {
  let secret = env.LC_EXT_SECRET;
  if (secret === undefined || secret === '') {
    if (env.NODE_ENV === 'production') {
      throw new Error(
        'LC_EXT_SECRET is not set: set it to the shared secret of the extension in LimaCharlie (NODE_ENV=production refuses the development secret).',
      );
    }
    new Logger('SampleExtension').warn(
      `!!! LC_EXT_SECRET is not set: using the development secret '${DEV_SECRET}'. Anyone who reads this code can call the extension. Set LC_EXT_SECRET in production. !!!`,
    );
    secret = DEV_SECRET;
  }
  return {
    port: env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT),
    secret,
    apiUrl: env.LC_API_URL || undefined,
    traceComms: env.LC_TRACE_COMMS === '1',
    gcpLogs: env.LC_LOG_FORMAT === 'gcp',
  };
}
