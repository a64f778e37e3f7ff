import 'reflect-metadata';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { LcServiceModule } from 'nestjs-lc-service';
import { FakeLimaCharlie, LcTestClient } from 'nestjs-lc-service/testing';
import { Detections, EVIL_HASHES } from '../src/detections.js';

const fake = new FakeLimaCharlie();
let app: NestFastifyApplication;

beforeAll(async () => {
  await fake.start();
  const moduleRef = await Test.createTestingModule({
    imports: [
      LcServiceModule.forRoot({
        serviceName: '__SERVICE_NAME__',
        secret: 'test-secret',
        limaCharlie: { apiUrl: fake.url },
      }),
    ],
    providers: [Detections],
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

async function client() {
  const { oid, jwt } = fake.addOrg();
  return { oid, lc: await LcTestClient.forApp(app, { secret: 'test-secret', oid, jwt }) };
}

test('installing pushes the rule to the org', async () => {
  const { oid, lc } = await client();

  const reply = await lc.send('org_install');

  expect(reply.body).toEqual({ success: true, data: {} });
  expect(Object.keys(fake.getRules(oid))).toEqual(['evil-hash']);
});

test('the detection is routed by name', async () => {
  const { oid, lc } = await client();

  const reply = await lc.send('detection', {
    data: { cat: 'evil-hash', routing: { hostname: 'web-1' } },
  });

  expect(reply.body).toEqual({ success: true, data: { seen: 'web-1', oid } });
});

test('a request gets its validated parameters', async () => {
  const { lc } = await client();

  const known = await lc.send('request', { data: { hash: EVIL_HASHES[0] } });
  const invalid = await lc.send('request', { data: { hash: 'not-a-hash' } });

  expect(known.body).toEqual({ success: true, data: { known: true } });
  expect(invalid.body.success).toBe(false);
});
