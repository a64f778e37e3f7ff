import { LcApiError } from '../src/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const FORM = 'application/x-www-form-urlencoded';

describe('Hive (limacharlie/sdk/hive.py)', () => {
  const fake = useFakeLimaCharlie();

  it('hive.list sends what limacharlie/sdk/hive.py Hive.list sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'lookup', 'bad-domains', {
      data: { lookup_data: { 'evil.com': {} } },
      enabled: true,
      tags: ['ti'],
      comment: 'feed',
    });

    const records = await lc.hive('lookup').list();

    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'GET', path: `/v1/hive/lookup/${oid}`, body: '' });
    expect(call.query).toEqual({});
    const stored = fake().getHiveRecord(oid, 'lookup', 'bad-domains');
    expect(records).toEqual({
      'bad-domains': {
        name: 'bad-domains',
        data: { lookup_data: { 'evil.com': {} } },
        enabled: true,
        tags: ['ti'],
        comment: 'feed',
        expiry: 0,
        etag: stored?.sys_mtd.etag,
        createdAt: expect.any(Number),
        createdBy: 'fake',
        guid: stored?.sys_mtd.guid,
        lastAuthor: 'fake',
        lastModified: expect.any(Number),
        lastError: '',
        lastErrorTs: 0,
      },
    });
  });

  it('hive.get sends what limacharlie/sdk/hive.py Hive.get sends (key quoted with safe="")', async () => {
    const { lc, oid } = newOrgClient(fake());
    const key = "a/b c(1)!*'";
    fake().putHiveRecord(oid, 'lookup', key, { data: { n: 1 } });

    const record = await lc.hive('lookup').get(key);

    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/hive/lookup/${oid}/a%2Fb%20c%281%29%21%2A%27/data`,
      body: '',
    });
    expect(record).toMatchObject({ name: key, data: { n: 1 }, enabled: false });
    expect(record.etag).toBe(fake().getHiveRecord(oid, 'lookup', key)?.sys_mtd.etag);

    const missing = await rejectionOf(lc.hive('lookup').get('nope'));
    expect(missing).toBeInstanceOf(LcApiError);
    expect(missing).toMatchObject({ status: 404, retryable: false });
    expect((missing as LcApiError).code).toContain('RECORD_NOT_FOUND');
  });

  it('hive.getMetadata sends what limacharlie/sdk/hive.py Hive.get_metadata sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'secret', 'k', { data: { secret: 's3cr3t' }, tags: ['x'] });

    const record = await lc.hive('secret').getMetadata('k');

    expect(lastCall(fake())).toMatchObject({ method: 'GET', path: `/v1/hive/secret/${oid}/k/mtd` });
    expect(record).toMatchObject({ name: 'k', tags: ['x'], etag: expect.any(String) });
    expect(record).not.toHaveProperty('data');
  });

  it('hive.set sends what limacharlie/sdk/hive.py Hive.set sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const expiry = Date.now() + 3_600_000;

    const result = await lc.hive('lookup').set('feed', {
      data: { lookup_data: { 'evil.com': { score: 9 } } },
      enabled: true,
      tags: ['ti', 'auto'],
      expiry,
      comment: 'from the feed',
    });

    expect(result).toMatchObject({ name: 'feed', hive: { name: 'lookup', partition: oid } });
    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'POST', path: `/v1/hive/lookup/${oid}/feed/data` });
    expect(call.headers['content-type']).toBe(FORM);
    expect(Object.keys(call.form)).toEqual(['data', 'usr_mtd']);
    expect(JSON.parse(call.form.data as string)).toEqual({
      lookup_data: { 'evil.com': { score: 9 } },
    });
    // The SDK's key order: expiry, enabled, tags, comment.
    expect(Object.entries(JSON.parse(call.form.usr_mtd as string))).toEqual([
      ['expiry', expiry],
      ['enabled', true],
      ['tags', ['ti', 'auto']],
      ['comment', 'from the feed'],
    ]);
    expect(fake().getHiveRecord(oid, 'lookup', 'feed')).toMatchObject({
      data: { lookup_data: { 'evil.com': { score: 9 } } },
      usr_mtd: { enabled: true, tags: ['ti', 'auto'], expiry, comment: 'from the feed' },
    });
  });

  it('hive.set with an etag and no data sends what Hive.set sends for metadata (…/mtd)', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { sys_mtd } = fake().putHiveRecord(oid, 'lookup', 'feed', { data: { a: 1 } });

    await lc.hive('lookup').set('feed', { enabled: true, etag: sys_mtd.etag });

    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'POST', path: `/v1/hive/lookup/${oid}/feed/mtd` });
    expect(call.body).toBe(
      `etag=${sys_mtd.etag}&usr_mtd=${encodeURIComponent('{"enabled":true}')}`,
    );
    const stored = fake().getHiveRecord(oid, 'lookup', 'feed');
    expect(stored).toMatchObject({ data: { a: 1 }, usr_mtd: { enabled: true } });
    expect(stored?.sys_mtd.etag).not.toBe(sys_mtd.etag);
  });

  it('a stale etag is refused with HTTP 409 ETAG_MISMATCH and nothing is written', async () => {
    const { lc, oid } = newOrgClient(fake());
    const first = fake().putHiveRecord(oid, 'lookup', 'feed', { data: { v: 1 } });
    const staleEtag = first.sys_mtd.etag;
    fake().putHiveRecord(oid, 'lookup', 'feed', { data: { v: 2 } });

    const err = await rejectionOf(
      lc.hive('lookup').set('feed', { data: { v: 3 }, etag: staleEtag }),
    );

    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ status: 409, retryable: false });
    expect((err as LcApiError).code).toContain('ETAG_MISMATCH');
    expect(lastCall(fake()).form.etag).toBe(staleEtag);
    expect(fake().getHiveRecord(oid, 'lookup', 'feed')?.data).toEqual({ v: 2 });
  });

  it('hive.delete sends what limacharlie/sdk/hive.py Hive.delete sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'lookup', 'old', { data: {} });

    await lc.hive('lookup').delete('old');

    expect(lastCall(fake())).toMatchObject({
      method: 'DELETE',
      path: `/v1/hive/lookup/${oid}/old`,
      body: '',
    });
    expect(fake().getHiveRecord(oid, 'lookup', 'old')).toBeUndefined();
    const again = await rejectionOf(lc.hive('lookup').delete('old'));
    expect((again as LcApiError).code).toContain('RECORD_NOT_FOUND');
  });

  it('hive.rename sends what limacharlie/sdk/hive.py Hive.rename sends (new_name in the query)', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'lookup', 'old name', { data: { keep: true } });

    const result = await lc.hive('lookup').rename('old name', 'new/name');

    const call = lastCall(fake());
    expect(call).toMatchObject({
      method: 'POST',
      path: `/v1/hive/lookup/${oid}/old%20name/rename`,
    });
    expect(call.query).toEqual({ new_name: 'new/name' });
    expect(call.body).toBe('');
    expect(call.form).toEqual({});
    expect(result).toMatchObject({ name: 'new/name' });
    expect(fake().getHiveRecord(oid, 'lookup', 'old name')).toBeUndefined();
    expect(fake().getHiveRecord(oid, 'lookup', 'new/name')?.data).toEqual({ keep: true });
  });

  it('hive.update sends what limacharlie/sdk/hive.py Hive.update_tx sends, retrying a conflict', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'lookup', 'counter', { data: { n: 1 }, tags: ['t'] });
    let runs = 0;

    await lc.hive<{ n: number }>('lookup').update('counter', (record) => {
      runs += 1;
      // A concurrent writer gets in between the first read and its write.
      if (runs === 1) fake().putHiveRecord(oid, 'lookup', 'counter', { data: { n: 10 } });
      record.data = { n: (record.data?.n ?? 0) + 1 };
    });

    expect(runs).toBe(2);
    const hiveCalls = fake().calls.map((c) => `${c.method} ${c.path.split('/').at(-1)}`);
    expect(hiveCalls).toEqual(['GET data', 'POST data', 'GET data', 'POST data']);
    const writes = fake().calls.filter((c) => c.method === 'POST');
    expect(JSON.parse(writes[1].form.data as string)).toEqual({ n: 11 });
    expect(JSON.parse(writes[1].form.usr_mtd as string)).toEqual({
      expiry: 0,
      enabled: false,
      tags: ['t'],
      comment: '',
    });
    expect(writes[0].form.etag).not.toBe(writes[1].form.etag);
    expect(fake().getHiveRecord(oid, 'lookup', 'counter')?.data).toEqual({ n: 11 });
  });

  it('hive.update gives up after maxRetries conflicts with a 409 naming the option', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'lookup', 'hot', { data: { n: 0 } });

    const err = await rejectionOf(
      lc.hive('lookup').update(
        'hot',
        (record) => {
          fake().putHiveRecord(oid, 'lookup', 'hot', { data: { n: Math.random() } });
          return { ...record, data: { n: -1 } };
        },
        { maxRetries: 3 },
      ),
    );

    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ status: 409, retryable: true });
    expect((err as Error).message).toMatch(/3 updates lost.*raise maxRetries/);
    expect(fake().calls.filter((c) => c.method === 'POST')).toHaveLength(3);
    expect(fake().getHiveRecord(oid, 'lookup', 'hot')?.data.n).not.toBe(-1);
  });

  it('hive.update does not retry errors other than conflicts', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'lookup', 'k', { data: {} });
    fake().failNext({ method: 'POST', path: /\/hive\//, status: 500 });

    const err = await rejectionOf(lc.hive('lookup').update('k', () => undefined));
    expect(err).toMatchObject({ status: 500 });
    expect(fake().calls).toHaveLength(2);
  });

  it('hive calls retry a 429 and a 503 like every call', async () => {
    const { lc, oid, events } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'lookup', 'k', { data: { v: 1 } });
    fake().failNext({ method: 'GET', path: `hive/lookup/${oid}/k/data`, status: 429 });
    fake().failNext({ method: 'GET', path: `hive/lookup/${oid}/k/data`, status: 503 });

    await expect(lc.hive('lookup').get('k')).resolves.toMatchObject({ data: { v: 1 } });
    expect(events.map((e) => [e.operation, e.status, e.attempt])).toEqual([
      ['hive.get', 429, 1],
      ['hive.get', 503, 2],
      ['hive.get', 200, 3],
    ]);
  });

  it('the partition defaults to the org; another org’s partition is refused', async () => {
    const { lc } = newOrgClient(fake());
    const other = fake().addOrg();

    const err = await rejectionOf(lc.hive('lookup', other.oid).list());
    expect(err).toMatchObject({ status: 401 });
    expect(lastCall(fake()).path).toBe(`/v1/hive/lookup/${other.oid}`);
    const unknown = await rejectionOf(lc.hive('no-such-hive').list());
    expect(unknown).toMatchObject({ status: 404 });
  });

  it('secrets.get reads the secret hive value as the SDK secret commands do', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'secret', 'slack-token', { data: { secret: 'xoxb-1' } });

    await expect(lc.secrets.get('slack-token')).resolves.toBe('xoxb-1');
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/hive/secret/${oid}/slack-token/data`,
    });

    fake().putHiveRecord(oid, 'secret', 'odd', { data: { value: 'xoxb-2' } });
    const err = await rejectionOf(lc.secrets.get('odd'));
    expect(err).toBeInstanceOf(LcApiError);
    expect((err as Error).message).not.toContain('xoxb-2');
  });

  it('lookups is the lookup hive of the org', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.lookups.set('ioc', { data: { lookup_data: { '1.2.3.4': {} } }, enabled: true });

    expect(lastCall(fake()).path).toBe(`/v1/hive/lookup/${oid}/ioc/data`);
    await expect(lc.lookups.list()).resolves.toMatchObject({ ioc: { enabled: true } });
  });

  it('expired records disappear, and bad arguments fail before any call', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'lookup', 'gone', { data: {}, expiry: Date.now() - 1 });

    await expect(lc.lookups.list()).resolves.toEqual({});
    const calls = fake().calls.length;
    expect(() => lc.hive('')).toThrow(/hive name/);
    await expect(lc.lookups.get('')).rejects.toThrow(/key/);
    await expect(lc.lookups.rename('a', '')).rejects.toThrow(/rename/);
    await expect(lc.lookups.update('a', () => undefined, { maxRetries: 0 })).rejects.toThrow(
      /maxRetries/,
    );
    expect(fake().calls).toHaveLength(calls);
  });
});
