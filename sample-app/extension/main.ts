import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LcGcpLogger } from 'nestjs-lc-service';
import { extConfigFromEnv } from './config.js';
import { EXTENSION_NAME, ExtensionAppModule } from './extension.module.js';

/** `npm start -- extension`: the sample extension on $PORT. */
export async function startExtension(): Promise<void> {
  const config = extConfigFromEnv();
  const app = await NestFactory.create<NestFastifyApplication>(
    ExtensionAppModule.register(config),
    new FastifyAdapter(),
    config.gcpLogs ? { logger: new LcGcpLogger(EXTENSION_NAME) } : {},
  );
  app.enableShutdownHooks();
  // Every interface by default, as a container needs; HOST=127.0.0.1 keeps a local run private.
  await app.listen(config.port, process.env.HOST || '0.0.0.0');
}
