import { randomUUID } from 'node:crypto';

import { LcAuthError, LimaCharlieClient, type ApiCallEvent } from '../src/index.js';
import type { FakeLimaCharlie } from '../src/testing/index.js';
import { rejectionOf, useFakeLimaCharlie } from './support.js';

const FORM = 'application/x-www-form-urlencoded';

interface KeyClient {
  lc: LimaCharlieClient;
  oid: string;
  apiKey: string;
  events: ApiCallEvent[];
}

function apiKeyClient(
  fake: FakeLimaCharlie,
  keyOptions: Parameters<FakeLimaCharlie['addApiKey']>[1] = {},
  clientOptions: { signal?: AbortSignal; uid?: string } = {},
): KeyClient {
  const { oid } = fake.addOrg();
  const apiKey = fake.addApiKey(oid, keyOptions);
  const events: ApiCallEvent[] = [];
  const lc = new LimaCharlieClient({
    oid,
    apiKey,
    jwtUrl: fake.jwtUrl,
    apiUrl: fake.url,
    backoff: { baseMs: 1, maxMs: 20 },
    onApiCall: (event) => events.push(event),
    ...clientOptions,
  });
  return { lc, oid, apiKey, events };
}

function exchanges(fake: FakeLimaCharlie): number {
  return fake.calls.filter((c) => c.path === '/jwt').length;
}

function bearerOf(fake: FakeLimaCharlie, index: number): string {
  return String(fake.calls[index].headers.authorization).replace(/^bearer /, '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('LimaCharlieClient with an API key (standalone)', () => {
  const fake = useFakeLimaCharlie();

  it('the JWT exchange sends what limacharlie/client.py Client.refresh_jwt sends', async () => {
    const { lc, oid, apiKey } = apiKeyClient(fake());

    await expect(lc.whoAmI()).resolves.toMatchObject({ orgs: [oid] });

    const [exchange, who] = fake().calls;
    expect(exchange.method).toBe('POST');
    expect(exchange.path).toBe('/jwt');
    expect(exchange.headers['content-type']).toBe(FORM);
    expect(exchange.headers.authorization).toBeUndefined();
    expect(exchange.body).toBe(`secret=${apiKey}&oid=${oid}`);
    expect(exchange.query).toEqual({});
    expect(who).toMatchObject({ method: 'GET', path: '/v1/who' });
    expect(bearerOf(fake(), 1)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('a user key sends uid between secret and oid, as Client.refresh_jwt does', async () => {
    const uid = 'user-1';
    const { lc, oid, apiKey } = apiKeyClient(fake(), { uid }, { uid });

    await lc.whoAmI();

    expect(fake().calls[0].body).toBe(`secret=${apiKey}&uid=${uid}&oid=${oid}`);
  });

  it('caches the JWT: sequential and concurrent calls share one exchange', async () => {
    const { lc } = apiKeyClient(fake());

    await Promise.all([lc.whoAmI(), lc.whoAmI(), lc.org.info(), lc.whoAmI()]);
    await lc.whoAmI();

    expect(exchanges(fake())).toBe(1);
    const bearers = fake()
      .calls.map((_, i) => i)
      .filter((i) => fake().calls[i].path !== '/jwt')
      .map((i) => bearerOf(fake(), i));
    expect(new Set(bearers).size).toBe(1);
  });

  it('renews the JWT before its exp claim passes, so no call is refused', async () => {
    const { lc } = apiKeyClient(fake(), { jwtTtlSeconds: 1 });

    await lc.whoAmI();
    const first = bearerOf(fake(), 1);
    const exp = (
      JSON.parse(Buffer.from(first.split('.')[1], 'base64url').toString()) as {
        exp: number;
      }
    ).exp;
    await sleep(Math.max(0, exp * 1000 - Date.now()) + 50);
    await lc.whoAmI();

    expect(exchanges(fake())).toBe(2);
    expect(bearerOf(fake(), 3)).not.toBe(first);
    expect(fake().calls.map((c) => c.path)).toEqual(['/jwt', '/v1/who', '/jwt', '/v1/who']);
  });

  it('after a 401 mints a new JWT once and retries the call', async () => {
    const { lc, events } = apiKeyClient(fake());
    await lc.whoAmI();
    fake().revokeToken(bearerOf(fake(), 1));

    await expect(lc.whoAmI()).resolves.toMatchObject({ perms: expect.any(Array) });

    expect(fake().calls.map((c) => c.path)).toEqual([
      '/jwt',
      '/v1/who',
      '/v1/who',
      '/jwt',
      '/v1/who',
    ]);
    expect(bearerOf(fake(), 4)).not.toBe(bearerOf(fake(), 2));
    expect(events.map((e) => [e.operation, e.status])).toEqual([
      ['jwt', 200],
      ['who', 200],
      ['who', 401],
      ['jwt', 200],
      ['who', 200],
    ]);
  });

  it('a second 401 (a missing permission) is final: one renewal, then LcAuthError', async () => {
    const { lc } = apiKeyClient(fake(), { perms: ['sensor.get'] });

    const err = await rejectionOf(lc.org.info());

    expect(err).toBeInstanceOf(LcAuthError);
    expect(err).toMatchObject({ status: 401, permission: 'org.get' });
    expect(fake().calls.map((c) => c.path.replace(/[0-9a-f-]{36}/, '{oid}'))).toEqual([
      '/jwt',
      '/v1/orgs/{oid}',
      '/jwt',
      '/v1/orgs/{oid}',
    ]);
  });

  it('a refused key is an LcAuthError naming the options, not retried, without the key', async () => {
    const { oid } = fake().addOrg();
    const apiKey = randomUUID();
    const lc = new LimaCharlieClient({ oid, apiKey, jwtUrl: fake().jwtUrl, apiUrl: fake().url });

    const err = await rejectionOf(lc.whoAmI());

    expect(err).toBeInstanceOf(LcAuthError);
    expect(err).toMatchObject({ status: 401, method: 'POST', path: 'jwt', retryable: false });
    expect((err as Error).message).toMatch(/JWT exchange was refused.*apiKey, oid and uid/);
    expect(JSON.stringify(err)).not.toContain(apiKey);
    expect(fake().calls).toHaveLength(1);
  });

  it('an exchange error echoing the key never carries it', async () => {
    const { lc, apiKey } = apiKeyClient(fake());
    fake().failNext({ path: '/jwt', status: 400, body: { error: `bad secret ${apiKey}` } });

    const err = await rejectionOf(lc.whoAmI());

    expect((err as Error).message).toContain('bad secret [redacted]');
    expect((err as Error).message).not.toContain(apiKey);
    expect(JSON.stringify((err as { body: unknown }).body)).not.toContain(apiKey);
  });

  it('the exchange retries 429 and 503 like any call', async () => {
    const { lc, events } = apiKeyClient(fake());
    fake().failNext({ path: '/jwt', status: 429 });
    fake().failNext({ path: '/jwt', status: 503 });

    await lc.whoAmI();

    expect(events.map((e) => [e.operation, e.status, e.attempt])).toEqual([
      ['jwt', 429, 1],
      ['jwt', 503, 2],
      ['jwt', 200, 3],
      ['who', 200, 1],
    ]);
  });

  it('the exchange is bound to the deadline signal', async () => {
    const controller = new AbortController();
    const { lc } = apiKeyClient(fake(), {}, { signal: controller.signal });
    fake().hangNext({ path: '/jwt' });

    const pending = rejectionOf(lc.whoAmI());
    setTimeout(() => controller.abort(), 50);

    expect(await pending).toMatchObject({ kind: 'deadline', path: 'jwt' });
    expect(fake().calls.map((c) => c.path)).toEqual(['/jwt']);
  });

  it('the jwt option still works as before and a 401 with it stays final', async () => {
    const { oid, jwt } = fake().addOrg();
    const lc = new LimaCharlieClient({ oid, jwt, apiUrl: fake().url });
    fake().revokeToken(jwt);

    await expect(lc.whoAmI()).rejects.toBeInstanceOf(LcAuthError);
    expect(fake().calls.map((c) => c.path)).toEqual(['/v1/who']);
  });

  it('validates the auth options before any call', () => {
    const oid = randomUUID();
    expect(() => new LimaCharlieClient({ oid, jwt: 'x', apiKey: 'k' })).toThrow(
      'LimaCharlie client takes either jwt or apiKey, not both',
    );
    expect(() => new LimaCharlieClient({ oid })).toThrow(/jwt must be a non-empty string.*apiKey/);
    expect(() => new LimaCharlieClient({ oid, apiKey: '' })).toThrow(/apiKey must be/);
    expect(() => new LimaCharlieClient({ oid, apiKey: 'k', jwtUrl: 'ftp://x' })).toThrow(/jwtUrl/);
    expect(() => new LimaCharlieClient({ oid, apiKey: 'k', uid: '' })).toThrow(/uid/);
    expect(fake().calls).toHaveLength(0);
  });
});
