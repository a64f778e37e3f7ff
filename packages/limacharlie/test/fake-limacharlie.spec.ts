import { request } from 'node:http';
import { randomUUID } from 'node:crypto';

import { LcApiError, LcAuthError } from '../src/index.js';
import { FakeLimaCharlie } from '../src/testing/index.js';
import { newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

async function get(
  fake: FakeLimaCharlie,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${fake.url}${path}`, { headers });
  return { status: res.status, body: await res.json() };
}

describe('FakeLimaCharlie', () => {
  const fake = useFakeLimaCharlie();

  describe('auth', () => {
    it('answers 401 {error} for a missing, unknown, expired or revoked token', async () => {
      const { oid, jwt } = fake().addOrg();
      const other = fake().issueToken(oid);
      fake().revokeToken(other);
      fake().expireToken(jwt);

      const cases: [Record<string, string>, string][] = [
        [{}, 'unauthorized: missing or malformed Authorization header'],
        [{ authorization: 'bearer nope' }, 'unauthorized: invalid token'],
        [{ authorization: `Bearer ${other}` }, 'unauthorized: invalid token'],
        [{ authorization: `BEARER ${jwt}` }, 'unauthorized: token expired'],
      ];
      for (const [headers, error] of cases) {
        await expect(get(fake(), '/v1/who', headers)).resolves.toEqual({
          status: 401,
          body: { error },
        });
      }
    });

    it('refuses a token used on another org', async () => {
      const mine = fake().addOrg();
      const theirs = fake().addOrg();
      const res = await get(fake(), `/v1/orgs/${theirs.oid}`, {
        authorization: `bearer ${mine.jwt}`,
      });
      expect(res).toEqual({
        status: 401,
        body: { error: `unauthorized: token not valid for org ${theirs.oid}` },
      });
    });

    it('names the missing permission', async () => {
      const { lc } = newOrgClient(fake(), { perms: ['dr.list'] });
      const err = await rejectionOf(lc.rules.list('managed'));
      expect(err).toBeInstanceOf(LcAuthError);
      expect((err as LcApiError).body).toEqual({
        error: 'unauthorized: missing permission dr.list.managed',
      });
    });
  });

  it('parses a form body sent on GET, as py does', async () => {
    const { oid, jwt } = fake().addOrg();
    const url = new URL(`${fake().url}/v1/rules/${oid}`);
    const form = 'namespace=managed&x=1&x=2';
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(url, {
        method: 'GET',
        headers: {
          authorization: `bearer ${jwt}`,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(form.length),
        },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end(form);
    });

    expect(status).toBe(200);
    expect(fake().calls[0].form).toEqual({ namespace: 'managed', x: ['1', '2'] });
  });

  it('answers 404 for unknown endpoints and unknown sensors', async () => {
    const { jwt } = fake().addOrg();
    const auth = { authorization: `bearer ${jwt}` };
    await expect(get(fake(), '/v1/not-a-route', auth)).resolves.toMatchObject({ status: 404 });
    await expect(get(fake(), `/v1/${randomUUID()}`, auth)).resolves.toEqual({
      status: 404,
      body: { error: 'sensor not found' },
    });
  });

  it('serves a queued fault with its headers and body, then behaves normally', async () => {
    const { jwt } = fake().addOrg();
    fake().failNext({ path: /\/who$/, status: 429, retryAfter: 7, count: 2 });

    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${fake().url}/v1/who`, {
        headers: { authorization: `bearer ${jwt}` },
      });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      await expect(res.json()).resolves.toEqual({ error: 'injected HTTP 429' });
    }
    await expect(get(fake(), '/v1/who', { authorization: `bearer ${jwt}` })).resolves.toMatchObject(
      {
        status: 200,
      },
    );
    expect(fake().calls).toHaveLength(3);
  });

  it('runs onTask hooks and surfaces a failing hook as a 500', async () => {
    const { lc, oid } = newOrgClient(fake(), { maxAttempts: 1 });
    const { sid } = fake().addSensor(oid, { hostname: 'h' });
    const seen: string[] = [];
    const unsubscribe = fake().onTask((task) => seen.push(`${task.sid}:${task.tasks.join('|')}`));

    await lc.sensor(sid).task(['a', 'b']);
    expect(seen).toEqual([`${sid}:a|b`]);

    unsubscribe();
    fake().onTask(() => {
      throw new Error('hook bug');
    });
    await expect(lc.sensor(sid).task('c')).rejects.toMatchObject({
      status: 500,
      code: 'onTask hook failed: hook bug',
    });
    expect(seen).toHaveLength(1);
  });

  it('expires rules past their expire_on', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.rules.set('short', { detect: { op: 'exists' }, respond: [] }, { ttl: 3600 });
    const rule = fake().getRules(oid).short;
    rule.expire_on = Math.floor(Date.now() / 1000) - 1;

    await expect(lc.rules.list()).resolves.toEqual({});
  });

  it('closes hanging requests and idle connections on stop', async () => {
    const own = new FakeLimaCharlie();
    await own.start();
    const { jwt } = own.addOrg();
    await fetch(`${own.url}/v1/who`, { headers: { authorization: `bearer ${jwt}` } }).then((res) =>
      res.text(),
    );
    own.hangNext({ path: 'who' });
    const hanging = fetch(`${own.url}/v1/who`, { headers: { authorization: `bearer ${jwt}` } });
    while (own.calls.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));

    await own.stop();

    await expect(hanging).rejects.toThrow();
  });

  it('reset forgets state, calls and queued faults', async () => {
    const { oid } = fake().addOrg();
    fake().addSensor(oid, { hostname: 'h' });
    fake().failNext({ path: 'who', status: 500 });
    fake().reset();

    const { lc } = newOrgClient(fake());
    await expect(lc.whoAmI()).resolves.toMatchObject({ perms: expect.any(Array) });
    expect(() => fake().getRules(oid)).toThrow(/unknown org/);
  });
});

describe('FakeLimaCharlie faults', () => {
  const fake = useFakeLimaCharlie();

  it.each(['rules', '/rules', 'v1/rules', '/v1/rules'])(
    'matches a string path %p as a prefix of /v1/... paths',
    async (path) => {
      const { lc } = newOrgClient(fake(), { maxAttempts: 1 });
      fake().failNext({ path, status: 500 });

      await expect(lc.rules.list()).rejects.toMatchObject({ status: 500 });
      fake().assertFaultsUsed();
    },
  );

  it('matches at a segment boundary and by method', async () => {
    const { lc } = newOrgClient(fake(), { maxAttempts: 1 });
    fake().failNext({ path: 'rule', status: 500 });
    fake().failNext({ method: 'POST', path: 'rules', status: 500 });

    await expect(lc.rules.list()).resolves.toEqual({});
    expect(fake().pendingFaults).toEqual([
      "failNext({ path: 'rule', status: 500 }): 0 of 1 fired",
      "failNext({ method: 'POST', path: 'rules', status: 500 }): 0 of 1 fired",
    ]);
  });

  it('assertFaultsUsed names a fault that never fired and the paths the fake saw', async () => {
    const { lc, oid } = newOrgClient(fake(), { maxAttempts: 1 });
    fake().failNext({ path: 'rulez', status: 500, count: 2 });
    fake().hangNext({ path: /^\/v1\/nowhere/ });

    await lc.rules.list();

    expect(() => fake().assertFaultsUsed()).toThrow(
      [
        'fake LimaCharlie: 2 queued fault(s) never fired:',
        "  failNext({ path: 'rulez', status: 500 }): 0 of 2 fired",
        '  hangNext({ path: /^\\/v1\\/nowhere/ }): 0 of 1 fired',
        "A string path is a prefix of the request path, with or without '/v1/'; a RegExp is tested against the whole path.",
        'Paths the fake received:',
        `  GET /v1/rules/${oid}`,
      ].join('\n'),
    );
    fake().reset();
    expect(() => fake().assertFaultsUsed()).not.toThrow();
  });

  it('assertFaultsUsed counts every shot of a fault', async () => {
    const { lc } = newOrgClient(fake(), { maxAttempts: 1 });
    fake().failNext({ path: 'rules', status: 503, count: 2 });

    await expect(lc.rules.list()).rejects.toMatchObject({ status: 503 });
    expect(() => fake().assertFaultsUsed()).toThrow(
      "failNext({ path: 'rules', status: 503 }): 1 of 2 fired",
    );
    await expect(lc.rules.list()).rejects.toMatchObject({ status: 503 });
    fake().assertFaultsUsed();
  });

  it('rejects a path that is neither a string nor a RegExp', () => {
    expect(() => fake().failNext({ path: 42 as unknown as string, status: 500 })).toThrow(
      "fake LimaCharlie failNext: path must be a string (a path prefix such as 'rules' or '/v1/rules') or a RegExp",
    );
  });
});
