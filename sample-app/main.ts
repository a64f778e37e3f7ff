import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LcGcpLogger } from 'nestjs-lc-service';
import { AppModule, SERVICE_NAME } from './app.module.js';
import { configFromEnv } from './config.js';

async function startService(): Promise<void> {
  const config = configFromEnv();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    new FastifyAdapter(),
    config.gcpLogs ? { logger: new LcGcpLogger(SERVICE_NAME) } : {},
  );
  app.enableShutdownHooks();
  // Every interface by default, as a container needs; HOST=127.0.0.1 keeps a local run private.
  await app.listen(config.port, process.env.HOST || '0.0.0.0');
}

/** `npm start -- extension` or `LC_SAMPLE=extension`; the import is lazy so the service boots without it. */
async function main(): Promise<void> {
  const sample = process.argv[2] ?? process.env.LC_SAMPLE ?? 'service';
  if (sample === 'service') return startService();
  if (sample === 'extension') return (await import('./extension/main.js')).startExtension();
  throw new Error(
    `unknown sample '${sample}': run 'npm start' (service) or 'npm start -- extension'`,
  );
}

main().catch((err: unknown) => {
  new Logger('SampleApp').error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
