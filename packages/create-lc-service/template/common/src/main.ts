import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
// SIGTERM lets the calls in flight finish before the process exits.
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT || 8080), process.env.HOST || '0.0.0.0');
