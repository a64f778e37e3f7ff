import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

import { LcApiError, LimaCharlieClient, effectivePermissions } from '../src/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const FORM = 'application/x-www-form-urlencoded';
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('LimaCharlieClient wire format (as the Python SDK sends it)', () => {
  const fake = useFakeLimaCharlie();

  it('GET who: bearer JWT, package User-Agent, no body', async () => {
    const { lc, oid, jwt } = newOrgClient(fake());
    const who = await lc.whoAmI();

    expect(who.orgs).toEqual([oid]);
    const call = lastCall(fake());
    expect(call.method).toBe('GET');
    expect(call.path).toBe('/v1/who');
    expect(call.headers.authorization).toBe(`bearer ${jwt}`);
    expect(call.headers['user-agent']).toBe(`nestjs-lc-service/${pkg.version}`);
    expect(call.body).toBe('');
  });

  it('hasPermissions checks the effective permissions of the org', async () => {
    const { lc } = newOrgClient(fake(), { perms: ['sensor.get', 'dr.list'] });

    await expect(lc.hasPermissions('sensor.get')).resolves.toBe(true);
    await expect(lc.hasPermissions(['sensor.get', 'dr.list'])).resolves.toBe(true);
    await expect(lc.hasPermissions(['sensor.get', 'sensor.task'])).resolves.toBe(false);
  });

  it('effectivePermissions prefers user_perms[oid], then perms when the org is listed', () => {
    const oid = randomUUID();
    const other = randomUUID();
    expect(
      effectivePermissions({ user_perms: { [oid]: ['a'] }, orgs: [oid], perms: ['b'] }, oid),
    ).toEqual(new Set(['a']));
    expect(effectivePermissions({ orgs: [oid.toUpperCase()], perms: ['b'] }, oid)).toEqual(
      new Set(['b']),
    );
    expect(effectivePermissions({ orgs: [other], perms: ['b'] }, oid)).toEqual(new Set());
    expect(effectivePermissions({ user_perms: { [other]: ['a'] } }, oid)).toEqual(new Set());
  });

  it('hasPermissions reads a user token whoami', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().failNext({ path: 'who', status: 200, body: { user_perms: { [oid]: ['org.get'] } } });
    await expect(lc.hasPermissions('org.get')).resolves.toBe(true);
  });

  it('GET orgs/{oid}', async () => {
    const { lc, oid } = newOrgClient(fake());
    const info = await lc.org.info();

    expect(info.oid).toBe(oid);
    expect(lastCall(fake())).toMatchObject({ method: 'GET', path: `/v1/orgs/${oid}` });
  });

  describe('sensors', () => {
    it('lists across continuation-token pages with the filters as query parameters', async () => {
      const { lc, oid } = newOrgClient(fake());
      const sids = Array.from(
        { length: 5 },
        (_, i) => fake().addSensor(oid, { hostname: `web-${i}` }).sid,
      );

      const seen: string[] = [];
      for await (const sensor of lc.sensors.list({
        limit: 2,
        selector: 'plat == linux',
        withHostnamePrefix: 'web-',
        withIp: '10.0.0.1',
        onlineOnly: true,
      })) {
        seen.push(sensor.sid);
      }

      expect(seen).toEqual(sids);
      const pages = fake().calls.filter((c) => c.path === `/v1/sensors/${oid}`);
      expect(pages).toHaveLength(3);
      expect(pages[0].query).toEqual({
        selector: 'plat == linux',
        limit: '2',
        with_ip: '10.0.0.1',
        with_hostname_prefix: 'web-',
        is_online_only: 'true',
      });
      expect(pages[1].query.continuation_token).toEqual(expect.any(String));
      expect(pages[2].query.continuation_token).not.toEqual(pages[1].query.continuation_token);
    });

    it.each(['null', 'empty'] as const)('stops when the last token is %s', async (variant) => {
      const { lc, oid } = newOrgClient(fake());
      fake().lastPageToken = variant;
      fake().addSensor(oid, { hostname: 'a' });
      fake().addSensor(oid, { hostname: 'b' });

      const hosts: (string | undefined)[] = [];
      for await (const sensor of lc.sensors.list({ limit: 1 })) hosts.push(sensor.hostname);

      expect(hosts).toEqual(['a', 'b']);
      expect(fake().calls).toHaveLength(2);
    });

    it('fetches lazily: breaking out of the loop stops paging', async () => {
      const { lc, oid } = newOrgClient(fake());
      for (let i = 0; i < 4; i++) fake().addSensor(oid, { hostname: `h${i}` });

      for await (const sensor of lc.sensors.list({ limit: 2 })) {
        if (sensor.hostname === 'h0') break;
      }
      expect(fake().calls).toHaveLength(1);
    });

    it('GET {sid} for info and online state', async () => {
      const { lc, oid } = newOrgClient(fake());
      const on = fake().addSensor(oid, { hostname: 'on' });
      const off = fake().addSensor(oid, { hostname: 'off', online: false });

      const info = await lc.sensor(on.sid).info();
      expect(info).toMatchObject({ sid: on.sid, hostname: 'on', plat: 0x20000000 });
      expect(lastCall(fake())).toMatchObject({ method: 'GET', path: `/v1/${on.sid}` });
      await expect(lc.sensor(on.sid).isOnline()).resolves.toBe(true);
      await expect(lc.sensor(off.sid).isOnline()).resolves.toBe(false);

      fake().failNext({
        path: on.sid,
        status: 200,
        body: { info: { sid: on.sid }, online: { error: 'unknown' } },
      });
      await expect(lc.sensor(on.sid).isOnline()).resolves.toBe(false);
    });

    it('POST {sid}: several commands in one call as repeated tasks keys', async () => {
      const { lc, oid } = newOrgClient(fake());
      const { sid } = fake().addSensor(oid, { hostname: 'h' });

      await lc.sensor(sid).task(['os_packages', 'yara_scan -e *evil.exe hive://yara/x'], {
        investigationId: 'inv-1',
      });

      const call = lastCall(fake());
      expect(call.method).toBe('POST');
      expect(call.path).toBe(`/v1/${sid}`);
      expect(call.headers['content-type']).toBe(FORM);
      expect(call.body).toBe(
        'tasks=os_packages&tasks=yara_scan+-e+*evil.exe+hive%3A%2F%2Fyara%2Fx&investigation_id=inv-1',
      );
      expect(fake().tasks).toEqual([
        {
          oid,
          sid,
          tasks: ['os_packages', 'yara_scan -e *evil.exe hive://yara/x'],
          investigationId: 'inv-1',
          timestamp: expect.any(Number),
        },
      ]);
    });

    it('POST {sid} with a single command and no investigation id', async () => {
      const { lc, oid } = newOrgClient(fake());
      const { sid } = fake().addSensor(oid, { hostname: 'h' });

      await lc.sensor(sid).task('os_version');

      expect(lastCall(fake()).body).toBe('tasks=os_version');
      await expect(lc.sensor(sid).task([])).rejects.toThrow(TypeError);
    });

    it('tags: POST with ttl, DELETE as tag or comma-joined tags, GET lists names', async () => {
      const { lc, oid } = newOrgClient(fake());
      const { sid } = fake().addSensor(oid, { hostname: 'h' });
      const tags = lc.sensor(sid).tags;

      await tags.add('suspicious', { ttl: 3600 });
      expect(lastCall(fake())).toMatchObject({
        method: 'POST',
        path: `/v1/${sid}/tags`,
        body: 'tags=suspicious&ttl=3600',
      });
      expect(fake().getSensor(sid)?.tags.get('suspicious')?.expiresAt).toBeGreaterThan(Date.now());

      await tags.add(['a', 'b', 'c']);
      expect(lastCall(fake()).body).toBe('tags=a&tags=b&tags=c');
      await expect(tags.list()).resolves.toEqual(['suspicious', 'a', 'b', 'c']);
      expect(lastCall(fake())).toMatchObject({ method: 'GET', path: `/v1/${sid}/tags` });

      await tags.remove('suspicious');
      expect(lastCall(fake())).toMatchObject({ method: 'DELETE', body: 'tag=suspicious' });
      await tags.remove(['a', 'b']);
      expect(lastCall(fake())).toMatchObject({ method: 'DELETE', body: 'tags=a%2Cb' });
      expect(fake().sensorTags(sid)).toEqual(['c']);
    });

    it('isolation: POST and DELETE {sid}/isolation', async () => {
      const { lc, oid } = newOrgClient(fake());
      const sensor = fake().addSensor(oid, { hostname: 'h' });

      await lc.sensor(sensor.sid).isolate();
      expect(lastCall(fake())).toMatchObject({
        method: 'POST',
        path: `/v1/${sensor.sid}/isolation`,
      });
      expect(sensor.isolated).toBe(true);
      await expect(lc.sensor(sensor.sid).info()).resolves.toMatchObject({ should_isolate: true });

      await lc.sensor(sensor.sid).rejoin();
      expect(lastCall(fake())).toMatchObject({
        method: 'DELETE',
        path: `/v1/${sensor.sid}/isolation`,
      });
      expect(sensor.isolated).toBe(false);
    });

    it('a sensor of another org is not found', async () => {
      const { lc } = newOrgClient(fake());
      const other = fake().addOrg();
      const { sid } = fake().addSensor(other.oid, { hostname: 'h' });

      const err = await rejectionOf(lc.sensor(sid).info());
      expect(err).toBeInstanceOf(LcApiError);
      expect(err).toMatchObject({ status: 404, retryable: false });
    });
  });

  describe('D&R rules', () => {
    const detect = { event: 'NEW_PROCESS', op: 'is', path: 'event/FILE_PATH', value: 'x' };
    const respond = [{ action: 'report', name: 'x' }];

    it('POST rules/{oid}: detection/response as JSON strings, booleans as true/false', async () => {
      const { lc, oid } = newOrgClient(fake());
      const before = Math.floor(Date.now() / 1000);

      const result = await lc.rules.set(
        'r1',
        { detect, respond },
        { namespace: 'managed', ttl: 60 },
      );

      expect(result).toMatchObject({ name: 'r1', hive: { name: 'dr-managed', partition: oid } });
      const call = lastCall(fake());
      expect(call).toMatchObject({ method: 'POST', path: `/v1/rules/${oid}` });
      expect(call.headers['content-type']).toBe(FORM);
      expect(call.form).toEqual({
        name: 'r1',
        is_replace: 'false',
        detection: JSON.stringify(detect),
        response: JSON.stringify(respond),
        is_enabled: 'true',
        expire_on: expect.any(String),
        namespace: 'managed',
      });
      const expireOn = Number(call.form.expire_on);
      expect(expireOn).toBeGreaterThanOrEqual(before + 60);
      expect(expireOn).toBeLessThan(before + 120);
      expect(fake().getRules(oid, 'managed').r1).toMatchObject({ detect, respond });
    });

    it('refuses to overwrite without replace, overwrites with it', async () => {
      const { lc, oid } = newOrgClient(fake());
      await lc.rules.set('r1', { detect, respond });

      const err = await rejectionOf(lc.rules.set('r1', { detect: { op: 'exists' }, respond }));
      expect(err).toBeInstanceOf(LcApiError);
      expect(err).toMatchObject({ status: 409, retryable: false });

      await lc.rules.set(
        'r1',
        { detect: { op: 'exists' }, respond },
        { replace: true, enabled: false },
      );
      expect(lastCall(fake()).form).toMatchObject({ is_replace: 'true', is_enabled: 'false' });
      expect(fake().getRules(oid).r1).toMatchObject({
        detect: { op: 'exists' },
        is_enabled: false,
      });
    });

    it('GET rules/{oid} with the namespace as a query parameter', async () => {
      const { lc, oid } = newOrgClient(fake());
      fake().putRule(oid, 'm1', { detect, respond, namespace: 'managed' });

      await expect(lc.rules.list()).resolves.toEqual({});
      expect(lastCall(fake())).toMatchObject({
        method: 'GET',
        path: `/v1/rules/${oid}`,
        query: {},
      });

      const rules = await lc.rules.list('managed');
      expect(rules.m1).toMatchObject({ name: 'm1', namespace: 'managed', detect, respond });
      expect(lastCall(fake()).query).toEqual({ namespace: 'managed' });
    });

    it('DELETE rules/{oid} with name and namespace; a missing rule is RECORD_NOT_FOUND', async () => {
      const { lc, oid } = newOrgClient(fake());
      fake().putRule(oid, 'r1', { detect, respond, namespace: 'replicant' });

      await lc.rules.delete('r1', { namespace: 'replicant' });
      expect(lastCall(fake())).toMatchObject({
        method: 'DELETE',
        path: `/v1/rules/${oid}`,
        body: 'name=r1&namespace=replicant',
      });

      const err = await rejectionOf(lc.rules.delete('r1', { namespace: 'replicant' }));
      expect(err).toBeInstanceOf(LcApiError);
      expect((err as LcApiError).code).toContain('RECORD_NOT_FOUND');
    });

    it('DELETE rules/{oid} with missingOk: a missing rule is done, other failures are not', async () => {
      const { lc } = newOrgClient(fake());
      await expect(lc.rules.delete('gone', { missingOk: true })).resolves.toBeUndefined();
      expect(lastCall(fake())).toMatchObject({ method: 'DELETE', body: 'name=gone' });

      fake().failNext({ method: 'DELETE', path: /\/rules\//, status: 403 });
      const refused = await rejectionOf(lc.rules.delete('gone', { missingOk: true }));
      expect(refused).toMatchObject({ status: 403 });
      fake().failNext({ method: 'DELETE', path: /\/rules\//, status: 500 });
      const failed = await rejectionOf(lc.rules.delete('gone', { missingOk: true }));
      expect(failed).toMatchObject({ status: 500 });
    });
  });

  it('outputs: POST/GET/DELETE outputs/{oid}', async () => {
    const { lc, oid } = newOrgClient(fake());

    await lc.outputs.add('siem', 'syslog', 'detect', { dest_host: 'siem:514', is_tls: true });
    expect(lastCall(fake())).toMatchObject({
      method: 'POST',
      path: `/v1/outputs/${oid}`,
      body: 'name=siem&module=syslog&type=detect&dest_host=siem%3A514&is_tls=true',
    });

    const outputs = await lc.outputs.list();
    expect(outputs.siem).toMatchObject({ name: 'siem', module: 'syslog', dest_host: 'siem:514' });

    await lc.outputs.delete('siem');
    expect(lastCall(fake())).toMatchObject({ method: 'DELETE', body: 'name=siem' });
    expect(fake().getOutputs(oid)).toEqual({});
  });

  it('request(): GET params in the query, others in a form body', async () => {
    const { lc, oid } = newOrgClient(fake());

    const rules = await lc.request<Record<string, unknown>>('GET', `/rules/${oid}`, {
      namespace: 'general',
    });
    expect(rules).toEqual({});
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/rules/${oid}`,
      query: { namespace: 'general' },
      body: '',
    });

    const { sid } = fake().addSensor(oid, { hostname: 'h' });
    await lc.request('POST', `online/${oid}`, { sids: [sid, randomUUID()] });
    expect(lastCall(fake()).form.sids).toHaveLength(2);
  });

  it('reports each HTTP attempt with an id-free operation name', async () => {
    const { lc, oid, events } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'h' });

    await lc.sensor(sid).task('os_version');
    await lc.rules.list();

    expect(events).toEqual([
      {
        operation: 'sensor.task',
        method: 'POST',
        status: 200,
        durationMs: expect.any(Number),
        attempt: 1,
      },
      {
        operation: 'rules.list',
        method: 'GET',
        status: 200,
        durationMs: expect.any(Number),
        attempt: 1,
      },
    ]);
  });

  describe('validation at construction', () => {
    it('rejects a non-UUID oid or sid with a clear error', () => {
      const jwt = 'x';
      expect(() => new LimaCharlieClient({ oid: 'not-an-oid', jwt })).toThrow(
        'LimaCharlie oid must be a UUID, got "not-an-oid"',
      );
      const lc = new LimaCharlieClient({ oid: randomUUID(), jwt });
      expect(() => lc.sensor('abc')).toThrow('LimaCharlie sid must be a UUID, got "abc"');
    });

    it('never echoes a long value such as a JWT passed in the wrong place', () => {
      const { jwt } = fake().addOrg();
      let message = '';
      try {
        new LimaCharlieClient({ oid: jwt, jwt });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/oid must be a UUID, got a string of \d+ characters/);
      expect(message).not.toContain(jwt.split('.')[1]);
    });

    it('rejects bad options and makes no request', () => {
      const oid = randomUUID();
      expect(() => new LimaCharlieClient({ oid, jwt: '' })).toThrow(/jwt/);
      expect(() => new LimaCharlieClient({ oid, jwt: 'x', maxAttempts: 0 })).toThrow(/maxAttempts/);
      expect(() => new LimaCharlieClient({ oid, jwt: 'x', apiUrl: 'ftp://x' })).toThrow(/apiUrl/);
      expect(fake().calls).toHaveLength(0);
    });
  });
});
