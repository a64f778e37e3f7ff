import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { LcTestClient } from 'nestjs-lc-service/testing';
import { FakeLimaCharlie } from '../../src/testing/fake-limacharlie/index.js';
import { AppModule } from '../../sample-app/app.module.js';
import { EVIL_HASHES } from '../../sample-app/rules.js';

const SECRET = 'sample-secret';
const GOLDEN = new URL('../golden/sample-health.json', import.meta.url);

describe('the sample app', () => {
  const fake = new FakeLimaCharlie();
  let app: NestFastifyApplication;
  let client: LcTestClient;
  let sid: string;

  beforeAll(async () => {
    await fake.start();
    const { oid, jwt } = fake.addOrg();
    sid = fake.addSensor(oid, { hostname: 'web-1' }).sid;
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppModule.register({ port: 0, secret: SECRET, traceComms: false, apiUrl: fake.url }),
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    client = new LcTestClient({ url: await app.getUrl(), secret: SECRET, oid, jwt });
  });
  afterAll(async () => {
    await app.close();
    await fake.stop();
  });

  it('answers health with the golden document (test/golden/sample-health.json)', async () => {
    const res = await client.send('health');
    const body = res.body as { data: { start_time: unknown } };
    expect(typeof body.data.start_time).toBe('number');
    body.data.start_time = '<ignored>';
    const golden: unknown = JSON.parse(await readFile(GOLDEN, 'utf8'));
    expect(body).toEqual(golden);
  });

  it('answers a request through its DTO', async () => {
    const known = await client.send('request', {
      data: { hash: ` ${EVIL_HASHES[0].toUpperCase()} `, verbose: null },
    });
    expect(known.body).toEqual({ success: true, data: { known: true } });
    const bad = await client.send('request', { data: { hash: 'abc' } });
    expect(bad.body).toEqual({
      success: false,
      retry: false,
      data: {},
      error: 'invalid parameter hash: must be 64 hex characters',
    });
  });

  it('runs its commands against the LimaCharlie API', async () => {
    const tag = await client.send('command', {
      data: { command_name: 'tag-sensor', sid, tag: 'vip' },
    });
    expect(tag.body).toEqual({ success: true, data: { tagged: sid, tag: 'vip', ttl: 86400 } });
    expect(fake.sensorTags(sid)).toContain('vip');
    const isolate = await client.send('command', {
      data: { command_name: 'network-isolation', sid, action: 'isolate' },
    });
    expect(isolate.body).toEqual({ success: true, data: { sid, action: 'isolate' } });
    expect(fake.getSensor(sid)?.isolated).toBe(true);
  });
});
