import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configFromEnv } from './config.js';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    new FastifyAdapter(),
  );
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
}

void main();
