import type { FakeLimaCharlie, LcExtTestClient } from 'nestjs-lc-service/testing';
import { extConfigFromEnv } from '../../sample-app/extension/config.js';
import { EXT_RULE, RESCAN_ATTEMPTS } from '../../sample-app/extension/scan.handlers.js';
import { EVIL_HASHES } from '../../sample-app/rules.js';
import { startSampleExtension, type SampleExtRun } from '../helpers/sample-extension.js';

const VERSION = 20221218;
const CONFIG = { apiKey: 'k'.repeat(16), tag: 'flagged' };

/** The sample extension against a fake LimaCharlie: real HTTP on both sides. */
describe('the sample extension', () => {
  let run: SampleExtRun;
  let fake: FakeLimaCharlie;
  let client: LcExtTestClient;
  let oid: string;

  beforeAll(async () => {
    run = await startSampleExtension();
    ({ fake, client, oid } = run);
  });
  afterAll(() => run.stop());

  it('installs its D&R rule on subscribe, idempotently, and removes it on unsubscribe', async () => {
    const first = await client.event('subscribe', {}, { config: CONFIG });
    expect(first).toMatchObject({ status: 200, body: { error: '', version: VERSION } });
    expect(fake.getRules(oid)[EXT_RULE]).toMatchObject({
      detect: { event: 'NEW_PROCESS', op: 'is', path: 'event/HASH', value: EVIL_HASHES[0] },
      respond: [
        { action: 'report', name: 'evil-hash' },
        { action: 'add tag', tag: 'flagged' },
      ],
    });
    const again = await client.event('subscribe', {}, { config: { apiKey: CONFIG.apiKey } });
    expect(again.status).toBe(200);
    expect(Object.keys(fake.getRules(oid))).toEqual([EXT_RULE]);
    expect(fake.getRules(oid)[EXT_RULE].respond).toContainEqual({
      action: 'add tag',
      tag: 'evil-hash-seen',
    });

    const gone = await client.event('unsubscribe', {}, { config: CONFIG });
    expect(gone).toMatchObject({ status: 200, body: { error: '' } });
    expect(fake.getRules(oid)).toEqual({});
    const redelivered = await client.event('unsubscribe', {}, { config: {} });
    expect(redelivered).toMatchObject({ status: 200, body: { error: '' } });
  });

  it('scans an online sensor through the org client', async () => {
    const { sid } = fake.addSensor(oid, { hostname: 'web-1' });
    const r = await client.request('scan', { sid, depth: 2 }, { config: CONFIG });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      error: '',
      version: VERSION,
      data: { status: 'scanning', sid, depth: 2 },
    });
    expect(fake.tasks.filter((t) => t.sid === sid).map((t) => t.tasks)).toEqual([['os_processes']]);
  });

  it('queues a scan of an offline sensor as a continuation and finishes it from the state', async () => {
    const { sid } = fake.addSensor(oid, { hostname: 'db-1', online: false });
    const queued = await client.request('scan', { sid, depth: 3 }, { config: CONFIG });
    expect(queued.body).toEqual({
      error: '',
      version: VERSION,
      data: { status: 'queued', sid },
      continuations: [{ in_delay_sec: 60, action: 'rescan', state: { sid, depth: 3, attempt: 1 } }],
    });
    const state = queued.body.continuations![0].state;

    const stillOffline = await client.request('rescan', state, { config: CONFIG });
    expect(stillOffline.body.continuations).toEqual([
      { in_delay_sec: 60, action: 'rescan', state: { sid, depth: 3, attempt: 2 } },
    ]);

    fake.getSensor(sid)!.online = true;
    const done = await client.request('rescan', state, { config: CONFIG });
    expect(done.body).toEqual({
      error: '',
      version: VERSION,
      data: { status: 'scanning', sid, depth: 3 },
    });
    expect(fake.tasks.filter((t) => t.sid === sid)).toHaveLength(1);
  });

  it('gives up a queued scan after its last attempt, with no further continuation', async () => {
    const { sid } = fake.addSensor(oid, { hostname: 'db-2', online: false });
    const last = await client.request(
      'rescan',
      { sid, attempt: RESCAN_ATTEMPTS },
      { config: CONFIG },
    );
    expect(last.body).toEqual({ error: '', version: VERSION, data: { status: 'offline', sid } });
  });

  it('looks a hash up without the API', async () => {
    const before = fake.calls.length;
    const known = await client.request('lookup', { hash: EVIL_HASHES[1] }, { config: CONFIG });
    expect(known.body.data).toEqual({ hash: EVIL_HASHES[1], known: true });
    const unknown = await client.request('lookup', { hash: '0'.repeat(64) }, { config: CONFIG });
    expect(unknown.body.data).toEqual({ hash: '0'.repeat(64), known: false });
    expect(fake.calls.length).toBe(before);
  });

  it('refuses a config its validator rejects, and one its DTO rejects: 400, not retriable', async () => {
    const ok = await client.validateConfig(CONFIG);
    expect(ok).toMatchObject({ status: 200, body: { error: '' } });
    const short = await client.validateConfig({ apiKey: 'short' });
    expect(short.status).toBe(400);
    expect(short.body).toEqual({
      error: 'apiKey is shorter than 16 characters: paste the whole key',
      retriable: false,
      version: VERSION,
    });
    const wrongType = await client.validateConfig({ tag: 3 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.retriable).toBe(false);
    expect(wrongType.body.error).toMatch(/^invalid config: .*apiKey must be a string/);
  });

  it('refuses bad params with the DTO messages: 400, not retriable, no API call', async () => {
    const before = fake.calls.length;
    const bad = await client.request('scan', { sid: 'nope', depth: 9 }, { config: CONFIG });
    expect(bad.status).toBe(400);
    expect(bad.body.retriable).toBe(false);
    expect(bad.body.error).toMatch(/^invalid data: /);
    expect(bad.body.error).toMatch(/sid/);
    expect(bad.body.error).toMatch(/depth must not be greater than 5/);
    const hash = await client.request('lookup', { hash: 'XYZ' }, { config: CONFIG });
    expect(hash.status).toBe(400);
    expect(hash.body.error).toMatch(/^invalid data: .*hash must match/);
    expect(fake.calls.length).toBe(before);
  });

  it('answers the probe, refuses a bad signature, accepts a gzip body, answers heartbeat', async () => {
    expect(await client.probe()).toMatchObject({ status: 200, body: {} });
    const forged = await client.sendRaw('{"heartbeat":{}}', { signature: 'ab'.repeat(32) });
    expect(forged.status).toBe(401);
    expect(forged.body).toEqual({ error: 'invalid signature', retriable: false, version: VERSION });
    const gz = await client.request(
      'lookup',
      { hash: EVIL_HASHES[0] },
      { config: CONFIG, gzip: true },
    );
    expect(gz).toMatchObject({ status: 200, body: { data: { known: true } } });
    expect(await client.heartbeat()).toMatchObject({
      status: 200,
      body: { error: '', version: VERSION },
    });
  });
});

describe('the sample extension reads its environment', () => {
  it('refuses to start without LC_EXT_SECRET under NODE_ENV=production, naming the variable', () => {
    expect(() => extConfigFromEnv({ NODE_ENV: 'production' })).toThrow(/LC_EXT_SECRET is not set/);
  });

  it('takes LC_EXT_SECRET and PORT, and falls back to the development secret elsewhere', () => {
    expect(extConfigFromEnv({ LC_EXT_SECRET: 's3cret', PORT: '9000' })).toMatchObject({
      secret: 's3cret',
      port: 9000,
    });
    expect(extConfigFromEnv({})).toMatchObject({ secret: 'dev-secret-change-me', port: 8080 });
  });
});
