import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type DynamicModule,
  type INestApplicationContext,
  type LoggerService,
  type LogLevel,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LcDispatcher } from '../dispatch/lc-dispatcher.js';
import { JSON_CONTENT_TYPE } from '../call/lc-http-reply.js';
import { LC_OPTIONS } from '../lc-service.constants.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import { LcWebhookTransport, writeNodeReply } from '../transport/node-webhook.js';
import { writeReply } from '../transport/raw-body.js';
import { LcLogger } from '../logging/lc-logger.js';

export interface LcCloudFunctionOptions {
  /** The app's logger, as for `NestFactory.create` (e.g. `new LcGcpLogger('my-service')`). */
  logger?: LoggerService | LogLevel[] | false;
  /** Runs once after boot, before the first call is dispatched (e.g. `app.enableShutdownHooks()`). */
  configure?: (app: INestApplicationContext) => void | Promise<void>;
}

/** An Express-style `(req, res)` handler, as Google Cloud Functions and Cloud Run functions call. */
export interface LcCloudFunction {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Boots the app once per instance; calls do it themselves, this warms an instance up early. */
  ready(): Promise<INestApplicationContext>;
  /** Drains calls in flight and closes the app; a later call boots it again. */
  close(): Promise<void>;
}

interface Booted {
  app: INestApplicationContext;
  transport: LcWebhookTransport;
}

const NOT_POST = JSON.stringify({
  success: false,
  retry: false,
  data: {},
  error: 'method not allowed: LimaCharlie calls are POSTs',
});
const BOOT_FAILED = JSON.stringify({
  success: false,
  retry: true,
  data: {},
  error: 'the service failed to start',
});

/**
 * Runs an LcServiceModule app as a Cloud Function: `export const lcService =
 * createLcCloudFunction(AppModule)`, deployed with `--entry-point lcService`. The Nest app is booted
 * once per instance, without an HTTP server, and every call goes through the same dispatcher as
 * the Fastify and Express routes: the signature is checked over `req.rawBody`, the exact bytes
 * sent, and the body is only then parsed.
 */
export function createLcCloudFunction(
  module: Type<unknown> | DynamicModule,
  options: LcCloudFunctionOptions = {},
): LcCloudFunction {
  const logger = new LcLogger('LcCloudFunction');
  let booting: Promise<Booted> | undefined;

  const boot = async (): Promise<Booted> => {
    const app = await NestFactory.createApplicationContext(module, {
      logger: options.logger,
      abortOnError: false,
    });
    try {
      await options.configure?.(app);
      const dispatcher = app.get(LcDispatcher, { strict: false });
      const lcOptions = app.get<ResolvedLcOptions>(LC_OPTIONS, { strict: false });
      return { app, transport: new LcWebhookTransport(dispatcher, lcOptions, logger) };
    } catch (err) {
      await app.close();
      throw err;
    }
  };

  const booted = (): Promise<Booted> => {
    booting ??= boot().catch((err: unknown) => {
      // A failed boot is tried again on the next call: the cause may be passing (a secret store).
      booting = undefined;
      throw err;
    });
    return booting;
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      writeReply(res, 405, JSON_CONTENT_TYPE, NOT_POST);
      return;
    }
    let app: Booted;
    try {
      app = await booted();
    } catch (err) {
      logger.error(
        `the Nest app failed to boot: ${err instanceof Error ? err.message : String(err)}`,
      );
      writeReply(res, 503, JSON_CONTENT_TYPE, BOOT_FAILED);
      return;
    }
    await app.transport.serve(req, res, writeNodeReply);
  };

  return Object.assign(handler, {
    ready: async () => (await booted()).app,
    close: async () => {
      const current = booting;
      booting = undefined;
      const running = await current?.catch(() => undefined);
      if (running !== undefined) await running.app.close();
    },
  });
}
