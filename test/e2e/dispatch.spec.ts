import { createHash, createHmac } from 'node:crypto';
import { DeepService, ProtocolHandlers, releaseHeld, seen } from '../fixtures/protocol-handlers.js';
import { ADAPTERS, SECRET, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

/** The Python simulator's body: json.dumps(sort_keys=True) with ", " and ": " separators. */
function pythonSortKeysJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonSortKeysJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${pythonSortKeysJson((value as Record<string, unknown>)[k])}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

const now = () => Math.floor(Date.now() / 1000);

describe.each(ADAPTERS)('dispatch through real HTTP (%s)', (adapter) => {
  let t: LcTestApp;
  beforeAll(async () => {
    for (const key of Object.keys(seen)) delete seen[key];
    t = await startLcApp({ adapter, providers: [ProtocolHandlers, DeepService] });
  });
  afterAll(() => t.close());

  describe('signature', () => {
    it('accepts a body signed over its exact bytes', async () => {
      const res = await t.client.send('org_install');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, data: { test: 42 } });
    });

    it('rejects a missing, wrong, uppercase or truncated signature with 401 and runs nothing', async () => {
      const body = JSON.stringify(t.client.envelope('org_install'));
      const good = createHmac('sha256', SECRET).update(body).digest('hex');
      const before = (seen.org_install ?? []).length;
      for (const signature of [
        null,
        'x',
        good.toUpperCase(),
        good.slice(0, 63),
        '0'.repeat(64),
        `${good}00`,
      ]) {
        const res = await t.client.sendRaw(body, { signature });
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({
          success: false,
          error: expect.stringContaining('signature'),
        });
      }
      expect((seen.org_install ?? []).length).toBe(before);
    });

    it('rejects a body altered after signing', async () => {
      const body = JSON.stringify(t.client.envelope('org_install'));
      const signature = createHmac('sha256', SECRET).update(body).digest('hex');
      const res = await t.client.sendRaw(body.replace('org_install', 'org_uninstall'), {
        signature,
      });
      expect(res.status).toBe(401);
    });

    it('accepts the Python simulator sort_keys body (no version field)', async () => {
      const envelope = t.client.envelope('org_install');
      delete envelope.version;
      const res = await t.client.sendRaw(pythonSortKeysJson(envelope));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, data: { test: 42 } });
    });

    it('checks the signature before parsing: unsigned garbage is 401, not 400', async () => {
      const res = await t.client.sendRaw('{not json', { signature: null });
      expect(res.status).toBe(401);
    });

    it('rejects a non-ASCII signature header without crashing', async () => {
      const body = JSON.stringify(t.client.envelope('org_install'));
      const res = await t.client
        .sendRaw(body, { signature: 'é'.repeat(64) })
        .catch((e: Error) => e);
      // fetch itself refuses non-Latin-1 header values; a Latin-1 one must be a clean 401.
      if (!(res instanceof Error)) expect(res.status).toBe(401);
      const latin = await t.client.sendRaw(body, { signature: '\u00ff'.repeat(64) });
      expect(latin.status).toBe(401);
    });
  });

  describe('envelope errors (signed, so they reach the parser)', () => {
    const cases: [string, string, RegExp][] = [
      ['not JSON', '{"etype": ', /invalid JSON body/],
      ['empty', '', /body is empty/],
      ['an array', '[]', /expected a JSON object, got array/],
      ['a string', '"health"', /expected a JSON object, got string/],
      ['no etype', '{"oid":"x"}', /'etype' must be a non-empty string/],
      ['numeric etype', '{"etype":5}', /'etype' must be a non-empty string, got number/],
      ['data an array', '{"etype":"request","data":[]}', /'data' must be an object, got array/],
      ['data a string', '{"etype":"request","data":"x"}', /'data' must be an object, got string/],
      ['oid a number', '{"etype":"request","oid":1}', /'oid' must be a string, got number/],
      ['jwt an object', '{"etype":"request","jwt":{}}', /'jwt' must be a string, got object/],
      ['mid a bool', '{"etype":"request","mid":true}', /'mid' must be a string, got boolean/],
      ['version a string', '{"etype":"request","version":"1"}', /'version' must be an integer/],
      ['version a float', '{"etype":"request","version":1.5}', /'version' must be an integer/],
      ['deadline garbage', '{"etype":"request","deadline":"soon"}', /'deadline' must be a number/],
      ['deadline an object', '{"etype":"request","deadline":{}}', /'deadline' must be a number/],
    ];
    it.each(cases)('%s → 400 with a clear error', async (_name, body, message) => {
      const res = await t.client.sendRaw(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        success: false,
        retry: false,
        error: expect.stringMatching(message),
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('treats data: null as empty (the RI crashed)', async () => {
      const res = await t.client.sendRaw(
        JSON.stringify({ ...t.client.envelope('request'), data: null }),
      );
      expect(res.body).toEqual({ success: true, data: { echo: {} } });
    });

    it('accepts a numeric-string deadline', async () => {
      const res = await t.client.sendRaw(
        JSON.stringify({ ...t.client.envelope('org_install'), deadline: String(now() + 100) }),
      );
      expect(res.body.success).toBe(true);
    });

    it('ignores __proto__ and constructor keys without touching prototypes', async () => {
      const body = `{"etype":"request","data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}},"__proto__":{"polluted":true}}`;
      const res = await t.client.sendRaw(body);
      expect(res.status).toBe(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });
  });

  describe('versions and deadlines', () => {
    it('refuses version > 1 without running the handler', async () => {
      const res = await t.client.send('org_install', { version: 2 });
      expect(res.body).toEqual({
        success: false,
        retry: false,
        data: { error: 'unsupported version (> 1)' },
        error: 'unsupported version (> 1)',
      });
    });

    it('accepts version 1 and a missing version', async () => {
      expect((await t.client.send('org_install', { version: 1 })).body.success).toBe(true);
    });

    it('refuses a call already past its deadline without running the handler', async () => {
      const before = (seen.org_install ?? []).length;
      const res = await t.client.send('org_install', { deadline: now() - 1 });
      expect(res.body).toEqual({
        success: false,
        retry: false,
        data: {},
        error: 'deadline exceeded',
      });
      expect((seen.org_install ?? []).length).toBe(before);
    });

    it('aborts the signal and answers with retry when the deadline passes mid-handler', async () => {
      // Far enough away that the call arrives before it on a busy machine: a deadline already
      // past is refused without retry and never reaches the handler.
      const deadline = Date.now() / 1000 + 1;
      const res = await t.client.send('org_per_1h', { deadline });
      expect(res.body).toEqual({
        success: false,
        retry: true,
        data: {},
        error: 'deadline exceeded',
      });
      await new Promise((r) => setTimeout(r, 20));
      expect(seen['hourly-aborted']).toEqual([{ reason: 'TimeoutError' }]);
      const health = await t.client.send('health');
      expect((health.body.data as { calls_in_progress: number }).calls_in_progress).toBe(1);
    });

    it('handles a deadline too far away for a timer', async () => {
      const res = await t.client.send('org_install', { deadline: now() + 60 * 60 * 24 * 365 });
      expect(res.body.success).toBe(true);
    });
  });

  describe('routing', () => {
    it('answers an unknown etype and an etype without handler with not implemented', async () => {
      for (const etype of ['no_such_etype', 'deployment_event', 'log_event', 'service_error']) {
        const res = await t.client.send(etype);
        expect(res.body).toEqual({
          success: false,
          retry: false,
          data: { error: 'not implemented' },
          error: 'not implemented',
        });
      }
    });

    it('routes detections by name and falls back to the catch-all', async () => {
      const sid = '0b6e0a3c-52bb-4b3c-b1b5-14c5b1c1a1f0';
      const named = await t.client.send('detection', {
        data: { cat: 'evil-hash', routing: { sid } },
      });
      expect(named.body.data).toEqual({ handler: 'evil', cat: 'evil-hash', sid });
      const other = await t.client.send('detection', { data: { cat: 'something-else' } });
      expect(other.body.data).toEqual({ handler: 'catch-all', cat: 'something-else' });
      const nocat = await t.client.send('detection', { data: { cat: 42 } });
      expect(nocat.body.data).toEqual({ handler: 'catch-all', cat: 42 });
    });

    it('calls RI-style handlers with (lc, oid, request)', async () => {
      const oid = 'e1ba5a8f-0000-4000-8000-000000000001';
      await t.client.send('org_install', { oid });
      expect(seen.org_install!.at(-1)).toEqual({ hasClient: true, oid, etype: 'org_install' });
    });

    it('gives no client and no oid to once_per_* crons', async () => {
      await t.client.send('once_per_24h');
      await t.client.send('once_per_1h');
      expect(seen.once).toEqual([
        { lc: null, oid: undefined, etype: 'once_per_24h' },
        { lc: null, oid: undefined, etype: 'once_per_1h' },
      ]);
    });

    it('passes the sid of per-sensor crons and new_sensor', async () => {
      const sid = '5d3c0bbd-6d7a-4a5b-9e9c-1f2e3d4c5b6a';
      await t.client.send('sensor_per_1h', { data: { sid } });
      expect(seen.sensor_per_1h!.at(-1)).toEqual({ sid, hasClient: true });
      const res = await t.client.send('new_sensor', { data: { sid, hostname: 'host-1' } });
      expect(res.body.data).toEqual({ sid, hostname: 'host-1' });
    });

    it('gives no client to a call that carries an oid but no JWT', async () => {
      const res = await t.client.send('command', { jwt: null });
      expect(res.body.data).toMatchObject({ etype: 'command', hasClient: false });
    });

    it('reads the call from AsyncLocalStorage in a collaborator', async () => {
      const res = await t.client.send('request', { data: { result: 'deep' }, mid: 'mid-1' });
      expect(res.body.data).toEqual({ oid: expect.any(String), etype: 'request', mid: 'mid-1' });
    });
  });

  describe('handler results', () => {
    const send = (result: string) => t.client.send('request', { data: { result } });
    it.each([
      ['true', { success: true, data: {} }],
      ['false', { success: false, retry: false, data: {} }],
      ['null', { success: false, retry: true, data: {} }],
      ['undefined', { success: false, retry: true, data: {} }],
      ['plain', { success: false, retry: true, data: { why: 'plain object' }, error: 'plain' }],
      ['lc-error', { success: false, retry: false, data: { code: 7 }, error: 'permanent problem' }],
      ['lc-error-retry', { success: false, retry: true, data: {}, error: 'transient problem' }],
      ['throw', { success: false, retry: true, data: {}, error: 'boom from handler' }],
      ['throw-string', { success: false, retry: true, data: {}, error: 'a string was thrown' }],
    ])('%s', async (result, expected) => {
      expect((await send(result)).body).toEqual(expected);
    });

    it('refuses a value that is not a response, without retry (the RI answered success)', async () => {
      expect((await send('number')).body).toEqual({
        success: false,
        retry: false,
        data: {},
        error: 'the handler returned a number; return true, false, null or lcResponse({...})',
      });
      expect((await send('invalid-object')).body).toMatchObject({
        success: false,
        retry: false,
        error: "the handler returned an invalid response: 'success' must be a boolean",
      });
    });

    it('never sends a stack trace by default', async () => {
      const res = await send('throw');
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts/);
    });

    it('serialises jobs and turns a job without cause into a clear failure', async () => {
      const ok = await send('job');
      expect(ok.body.jobs).toEqual([
        { id: expect.any(String), start: expect.any(Number), cause: 'test cause' },
      ]);
      const bad = await send('job-no-cause');
      expect(bad.body).toMatchObject({
        success: false,
        retry: false,
        error: expect.stringMatching(/has no cause/),
      });
    });

    it('answers a response that cannot be serialised with a clear failure', async () => {
      const res = await send('circular');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        success: false,
        retry: false,
        error: expect.stringMatching(/not serialisable/),
      });
    });
  });

  describe('health', () => {
    it('lists what was discovered', async () => {
      const res = await t.client.send('health');
      expect(res.body).toEqual({
        success: true,
        data: {
          version: 1,
          start_time: expect.any(Number),
          calls_in_progress: 1,
          mtd: {
            detect_subscriptions: ['evil-domain', 'evil-hash'],
            callbacks: [
              'command',
              'detection',
              'get_resource',
              'health',
              'new_sensor',
              'once_per_1h',
              'once_per_24h',
              'org_install',
              'org_per_1h',
              'org_uninstall',
              'request',
              'sensor_per_1h',
            ],
            request_params: {},
            commands: {},
          },
        },
      });
    });

    it('counts calls in progress and returns to the health call alone', async () => {
      const inProgress = async () =>
        ((await t.client.send('health')).body.data as { calls_in_progress: number })
          .calls_in_progress;
      const held = t.client.send('request', { data: { result: 'held' } });
      for (let tries = 0; (await inProgress()) !== 2; tries++) {
        if (tries > 100) throw new Error('the held call never showed in calls_in_progress');
        await new Promise((r) => setTimeout(r, 20));
      }
      releaseHeld();
      await held;
      expect(await inProgress()).toBe(1);
    });

    it('does not leak calls_in_progress on failures, rejections and refusals', async () => {
      await Promise.all([
        t.client.send('request', { data: { result: 'throw' } }),
        t.client.send('request', { data: { result: 'number' } }),
        t.client.send('org_install', { version: 9 }),
        t.client.send('nope'),
        t.client.sendRaw('{', {}),
        t.client.sendRaw('{}', { signature: null }),
      ]);
      const res = await t.client.send('health');
      expect((res.body.data as { calls_in_progress: number }).calls_in_progress).toBe(1);
    });
  });

  describe('resources', () => {
    it('serves one resource with and without data', async () => {
      const res = await t.client.send('get_resource', {
        data: { resource: 'rules.yaml', is_include_data: true },
      });
      expect(res.body).toEqual({
        success: true,
        data: {
          hash: createHash('sha256').update('detect:\n  op: is\n').digest('hex'),
          res_cat: 'detection',
          res_data: Buffer.from('detect:\n  op: is\n').toString('base64'),
        },
      });
      const noData = await t.client.send('get_resource', { data: { resource: 'bytes' } });
      expect(noData.body.data).toEqual({ hash: expect.any(String), res_cat: 'lookup' });
    });

    it('serves a batch, bytes and JSON objects', async () => {
      const res = await t.client.send('get_resource', {
        data: { resource: ['bytes', 'lookup.json'], is_include_data: true },
      });
      const resources = (res.body.data as { resources: Record<string, { res_data: string }> })
        .resources;
      expect(Buffer.from(resources.bytes.res_data, 'base64')).toEqual(Buffer.from([0, 1, 2, 255]));
      expect(
        JSON.parse(Buffer.from(resources['lookup.json'].res_data, 'base64').toString()),
      ).toEqual({
        'evil.com': { tag: 'bad' },
      });
    });

    it('serves a resource by its lcr://service/<serviceName>/<name> reference too', async () => {
      const bare = await t.client.send('get_resource', {
        data: { resource: 'rules.yaml', is_include_data: true },
      });
      const single = await t.client.send('get_resource', {
        data: { resource: 'lcr://service/test-service/rules.yaml', is_include_data: true },
      });
      expect(single.body).toEqual(bare.body);
      expect(single.body.data).toHaveProperty('res_data');

      const batch = await t.client.send('get_resource', {
        data: { resource: ['lcr://service/test-service/bytes', 'lookup.json'] },
      });
      expect(batch.body).toEqual({
        success: true,
        data: {
          resources: {
            'lcr://service/test-service/bytes': { hash: expect.any(String), res_cat: 'lookup' },
            'lookup.json': { hash: expect.any(String), res_cat: 'lookup' },
          },
        },
      });

      const otherService = await t.client.send('get_resource', {
        data: { resource: 'lcr://service/other-service/bytes' },
      });
      expect(otherService.body).toMatchObject({ success: false, error: 'resource not available' });
    });

    it('without is_include_data answers the hash and category only; a non-boolean is refused', async () => {
      const withData = await t.client.send('get_resource', {
        data: { resource: 'rules.yaml', is_include_data: true },
      });
      const noFlag = await t.client.send('get_resource', { data: { resource: 'rules.yaml' } });
      const falseFlag = await t.client.send('get_resource', {
        data: { resource: 'rules.yaml', is_include_data: false },
      });
      const { res_data: _content, ...metadata } = withData.body.data as Record<string, string>;
      expect(noFlag.body).toEqual({ success: true, data: metadata });
      expect(falseFlag.body).toEqual(noFlag.body);

      const stringFlag = await t.client.send('get_resource', {
        data: { resource: 'rules.yaml', is_include_data: 'true' },
      });
      expect(stringFlag.body).toEqual({
        success: false,
        retry: false,
        data: {},
        error:
          'invalid parameter is_include_data: expected true (hash, category and content) or false (hash and category)',
      });
    });

    it('answers a missing resource without retry (the RI crashed and asked for a retry)', async () => {
      const single = await t.client.send('get_resource', { data: { resource: 'nope' } });
      expect(single.body).toEqual({
        success: false,
        retry: false,
        data: {},
        error: 'resource not available',
      });
      const batch = await t.client.send('get_resource', { data: { resource: ['bytes', 'nope'] } });
      expect(batch.body).toEqual({
        success: false,
        retry: false,
        data: { missing: ['nope'] },
        error: 'resource not available',
      });
      const none = await t.client.send('get_resource', { data: {} });
      expect(none.body).toMatchObject({
        success: false,
        retry: false,
        error: expect.stringMatching(/invalid parameter resource/),
      });
    });
  });

  describe('transport', () => {
    it('answers only POST on the path', async () => {
      const res = await fetch(`${t.url}/`, { method: 'GET' });
      expect(res.status).toBe(404);
    });

    it('accepts any content type: the signature is what authenticates', async () => {
      const body = JSON.stringify(t.client.envelope('org_install'));
      const res = await t.client.sendRaw(body, { headers: { 'content-type': 'text/plain' } });
      expect(res.body.success).toBe(true);
    });
  });
});
