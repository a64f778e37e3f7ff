import { readFile } from 'node:fs/promises';
import type { FakeLimaCharlie, LcTestClient } from 'nestjs-lc-service/testing';
import { EVIL_HASHES } from '../../sample-app/rules.js';
import { startSampleApp, type SampleRun } from '../helpers/sample-app.js';

const GOLDEN = new URL('../golden/sample-health.json', import.meta.url);

describe('the sample app', () => {
  let run: SampleRun;
  let fake: FakeLimaCharlie;
  let client: LcTestClient;
  let sid: string;

  beforeAll(async () => {
    run = await startSampleApp();
    ({ fake, client } = run);
    sid = fake.addSensor(run.oid, { hostname: 'web-1' }).sid;
  });
  afterAll(() => run.stop());

  it('answers health with the golden document (test/golden/sample-health.json)', async () => {
    const { body } = await client.send<{ start_time: unknown }>('health');
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
