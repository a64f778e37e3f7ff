import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { LcServiceModuleOptions } from 'nestjs-lc-service';
import { LoadAppModule } from './app.module.js';
import { countTimerLists } from './timer-lists.js';

/** A real process for the reliability tests that need one (shutdown, leaks). See launch.ts. */
const adapter = process.env.ADAPTER === 'express' ? new ExpressAdapter() : new FastifyAdapter();
const app = await NestFactory.create(
  LoadAppModule.register(
    process.env.LC_SHARED_SECRET ?? '',
    JSON.parse(process.env.LC_LOAD_OPTIONS ?? '{}') as Partial<LcServiceModuleOptions>,
  ),
  adapter,
  { logger: ['error', 'warn'] },
);
app.enableShutdownHooks();
await app.listen(0, '127.0.0.1');
// SIGWINCH, which Nest's shutdown hooks leave alone: the leak test's probe.
process.on('SIGWINCH', () => {
  void countTimerLists().then((n) => process.stdout.write(`EVENT timer-lists ${n}\n`));
});
process.stdout.write(`EVENT listening ${await app.getUrl()}\n`);
