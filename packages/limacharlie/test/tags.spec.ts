import { randomUUID } from 'node:crypto';

import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

describe('lc.tags and org-wide sensor look-ups', () => {
  const fake = useFakeLimaCharlie();

  it('tags.all sends what limacharlie/sdk/organization.py Organization.get_all_tags sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addSensor(oid, { hostname: 'a', tags: ['web', 'prod'] });
    fake().addSensor(oid, { hostname: 'b', tags: ['prod'] });

    await expect(lc.tags.all()).resolves.toEqual(['prod', 'web']);
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/tags/${oid}`,
      query: {},
      form: {},
    });
  });

  it('tags.findSensors sends what limacharlie/sdk/organization.py Organization.find_sensors_by_tag sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const tagged = fake().addSensor(oid, { hostname: 'a', tags: ['needs review'] });
    fake().addSensor(oid, { hostname: 'b', tags: ['other'] });

    const found = await lc.tags.findSensors('needs review');
    expect(Object.keys(found)).toEqual([tagged.sid]);
    // quote(tag, safe='') in the SDK: the space and any slash are escaped in the path.
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/tags/${oid}/needs%20review`,
      query: {},
      form: {},
    });
    await lc.tags.findSensors('a/b');
    expect(lastCall(fake()).path).toBe(`/v1/tags/${oid}/a%2Fb`);
  });

  it('tags.massTag sends what limacharlie/sdk/organization.py Organization.mass_tag sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const w1 = fake().addSensor(oid, { hostname: 'w1', plat: 0x10000000 });
    const w2 = fake().addSensor(oid, { hostname: 'w2', plat: 0x10000000 });
    const linux = fake().addSensor(oid, { hostname: 'l1' });

    const result = await lc.tags.massTag('plat == `windows`', 'fleet', { ttl: 600 });

    expect(result).toEqual({ tagged: 2, tag: 'fleet', selector: 'plat == `windows`' });
    const [list, ...adds] = fake().calls;
    expect(list).toMatchObject({
      method: 'GET',
      path: `/v1/sensors/${oid}`,
      query: { selector: 'plat == `windows`' },
    });
    expect(Object.keys(list.query)).toEqual(['selector']);
    expect(adds.map((c) => [c.method, c.path, c.form])).toEqual([
      ['POST', `/v1/${w1.sid}/tags`, { tags: 'fleet', ttl: '600' }],
      ['POST', `/v1/${w2.sid}/tags`, { tags: 'fleet', ttl: '600' }],
    ]);
    expect(fake().sensorTags(w1.sid)).toEqual(['fleet']);
    expect(fake().sensorTags(linux.sid)).toEqual([]);
  });

  it('tags.massUntag sends what limacharlie/sdk/organization.py Organization.mass_untag sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const a = fake().addSensor(oid, { hostname: 'a', tags: ['fleet', 'keep'] });
    const b = fake().addSensor(oid, { hostname: 'b', tags: ['keep'] });

    const result = await lc.tags.massUntag('`fleet` in tags', 'fleet');

    expect(result).toEqual({ untagged: 1, tag: 'fleet', selector: '`fleet` in tags' });
    expect(lastCall(fake())).toMatchObject({
      method: 'DELETE',
      path: `/v1/${a.sid}/tags`,
      form: { tag: 'fleet' },
    });
    expect(fake().sensorTags(a.sid)).toEqual(['keep']);
    expect(fake().sensorTags(b.sid)).toEqual(['keep']);
    await expect(lc.tags.massUntag('  ', 'fleet')).rejects.toThrow(/selector/);
  });

  it('the fake refuses a selector it cannot evaluate instead of matching every sensor', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addSensor(oid, { hostname: 'a' });
    const err = await rejectionOf(lc.tags.massTag('plat == windows and (', 'x'));
    expect(err).toMatchObject({ status: 400 });
    expect(writeCount()).toBe(0);

    function writeCount(): number {
      return fake().calls.filter((c) => c.method !== 'GET').length;
    }
  });

  it('sensors.online sends what limacharlie/sdk/organization.py Organization.get_online_sensors sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const on = fake().addSensor(oid, { hostname: 'on' });
    const off = fake().addSensor(oid, { hostname: 'off', online: false });
    const unknown = randomUUID();

    await expect(lc.sensors.online([on.sid, off.sid, unknown])).resolves.toEqual([on.sid]);
    expect(lastCall(fake())).toMatchObject({
      method: 'POST',
      path: `/v1/online/${oid}`,
      query: {},
      form: { sids: [on.sid, off.sid, unknown] },
    });

    await expect(lc.sensors.online()).resolves.toEqual([on.sid]);
    expect(lastCall(fake())).toMatchObject({ method: 'POST', path: `/v1/online/${oid}`, body: '' });
    await expect(lc.sensors.online(['nope'])).rejects.toThrow(/sid must be a UUID/);
  });

  it('sensors.findByHostname sends what limacharlie/sdk/organization.py Organization.find_sensors_by_hostname sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const web1 = fake().addSensor(oid, { hostname: 'web-1' });
    const web2 = fake().addSensor(oid, { hostname: 'web-2' });
    fake().addSensor(oid, { hostname: 'db-1' });

    await expect(lc.sensors.findByHostname('web-')).resolves.toEqual([
      { sid: web1.sid, hostname: 'web-1' },
      { sid: web2.sid, hostname: 'web-2' },
    ]);
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/hostnames/${oid}`,
      query: { hostname: 'web-' },
      form: {},
    });

    fake().failNext({
      path: `hostnames/${oid}`,
      status: 200,
      body: { sid: [{ sid: web1.sid, hostname: 'web-1' }] },
    });
    await expect(lc.sensors.findByHostname('web-')).resolves.toEqual([
      { sid: web1.sid, hostname: 'web-1' },
    ]);
  });
});
