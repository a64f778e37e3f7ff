import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { BODY_LIMIT, minimalAnswer, minimalExtAnswer } from './minimal-answer.js';

/**
 * The framework floor: a Nest app on the Fastify adapter, without the module, whose one route is
 * mounted as the module mounts its webhook (own encapsulated context, every content type read as
 * raw bytes) and does the baseline's minimum work. What the module adds is the distance to this.
 */

@Module({})
class EmptyModule {}

const app = await NestFactory.create<NestFastifyApplication>(EmptyModule, new FastifyAdapter(), {
  logger: ['error', 'warn'],
});
await app
  .getHttpAdapter()
  .getInstance()
  .register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    child.post('/', async (req, reply) => {
      const extSig = req.headers['lc-ext-sig'];
      const out =
        extSig === undefined
          ? minimalAnswer(req.body as Buffer, req.headers['lc-svc-sig'])
          : minimalExtAnswer(req.body as Buffer, extSig);
      reply
        .code(out.status)
        .header('content-type', 'application/json; charset=utf-8')
        .send(out.body);
    });
  });
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT ?? 8082), '127.0.0.1');
