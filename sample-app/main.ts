import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LcGcpLogger } from 'nestjs-lc-service';
import { AppModule, SERVICE_NAME } from './app.module.js';
import { configFromEnv } from './config.js';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    new FastifyAdapter(),
    config.gcpLogs ? { logger: new LcGcpLogger(SERVICE_NAME) } : {},
  );
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
}

void main();
