import 'reflect-metadata';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { LcExtensionModule } from 'nestjs-lc-service';
import { FakeLimaCharlie, LcExtTestClient } from 'nestjs-lc-service/testing';
import { Config } from '../src/config.dto.js';
import { Tagger } from '../src/tagger.js';

const fake = new FakeLimaCharlie();
let app: NestFastifyApplication;

beforeAll(async () => {
  await fake.start();
  const moduleRef = await Test.createTestingModule({
    imports: [
      LcExtensionModule.forRoot({
        name: '__SERVICE_NAME__',
        secret: 'test-secret',
        config: Config,
        limaCharlie: { apiUrl: fake.url },
      }),
    ],
    providers: [Tagger],
  }).compile();
  app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await app.close();
  await fake.stop();
});

test('the tag action tags the sensor with the configured tag', async () => {
  const { oid, jwt } = fake.addOrg();
  const { sid } = fake.addSensor(oid, { hostname: 'web-1' });
  const ext = new LcExtTestClient({ url: await app.getUrl(), secret: 'test-secret', oid, jwt });

  const reply = await ext.request('tag', { sid }, { config: { tag: 'triaged' } });

  expect(reply.body.data).toEqual({ tagged: sid, tag: 'triaged' });
  expect(fake.sensorTags(sid)).toContain('triaged');
});

test('a config LimaCharlie would save is checked first', async () => {
  const { oid, jwt } = fake.addOrg();
  const ext = new LcExtTestClient({ url: await app.getUrl(), secret: 'test-secret', oid, jwt });

  const valid = await ext.validateConfig({ tag: 'triaged' });
  const invalid = await ext.validateConfig({ tag: 'Not A Tag!' });

  expect(valid.body.error).toBe('');
  expect(invalid.status).toBe(400);
  expect(invalid.body.error).toMatch(/^invalid config: tag must be 1-64 lowercase/);
});
