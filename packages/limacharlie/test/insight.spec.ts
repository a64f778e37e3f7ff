import { randomUUID } from 'node:crypto';

import { lastCall, newOrgClient, useFakeLimaCharlie } from './support.js';

describe('lc.insight (limacharlie/sdk/insight.py)', () => {
  const fake = useFakeLimaCharlie();

  it('insight.isEnabled sends what limacharlie/sdk/insight.py Insight.is_enabled sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    await expect(lc.insight.isEnabled()).resolves.toBe(true);
    const call = lastCall(fake());
    expect(call.method).toBe('GET');
    expect(call.path).toBe(`/v1/insight/${oid}`);
    expect(call.query).toEqual({});

    fake().setInsightEnabled(oid, false);
    await expect(lc.insight.isEnabled()).resolves.toBe(false);
  });

  it('insight.searchIoc sends what limacharlie/sdk/insight.py Insight.search_ioc sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const [a, b] = [randomUUID(), randomUUID()];
    fake().addInsightObject(oid, { type: 'domain', name: 'evil.com', sid: a });
    fake().addInsightObject(oid, { type: 'domain', name: 'evil.com', sid: b });
    fake().addInsightObject(oid, {
      type: 'domain',
      name: 'evil.com',
      sid: b,
      ts: Math.floor(Date.now() / 1000) - 10 * 86_400,
    });

    const summary = await lc.insight.searchIoc('domain', 'evil.com');
    expect(summary).toMatchObject({ last_1_days: 2, last_7_days: 2, last_30_days: 2 });
    const call = lastCall(fake());
    expect(call.method).toBe('GET');
    expect(call.path).toBe(`/v1/insight/${oid}/objects/domain`);
    expect(call.query).toEqual({
      name: 'evil.com',
      info: 'summary',
      case_sensitive: 'true',
      with_wildcards: 'false',
      per_object: 'false',
    });
    expect(call.body).toBe('');

    // py turns per_object on by itself for a wildcard summary, and sends limit as a string.
    const grouped = await lc.insight.searchIoc('domain', 'EVIL.%', {
      wildcards: true,
      caseSensitive: false,
      limit: 5,
    });
    expect(grouped.last_1_days).toEqual({ 'evil.com': 2 });
    expect(lastCall(fake()).query).toEqual({
      name: 'EVIL.%',
      info: 'summary',
      case_sensitive: 'false',
      with_wildcards: 'true',
      per_object: 'true',
      limit: '5',
    });

    const where = await lc.insight.searchIoc('domain', 'evil.com', {
      info: 'locations',
      perObject: true,
    });
    expect(Object.keys(where.locations ?? {}).sort()).toEqual([a, b].sort());
    expect(lastCall(fake()).query).toMatchObject({ info: 'locations', per_object: 'true' });
  });

  it('insight.objectInformation sends what limacharlie/sdk/insight.py Insight.get_object_information sends', async () => {
    const { lc, oid, events } = newOrgClient(fake());
    fake().addInsightObject(oid, { type: 'ip', name: '1.2.3.4', sid: randomUUID() });

    const info = await lc.insight.objectInformation('ip', '1.2.3.4', {
      info: 'locations',
      limit: 1,
    });
    expect(Object.keys(info.locations ?? {})).toHaveLength(1);
    const call = lastCall(fake());
    expect(call.path).toBe(`/v1/insight/${oid}/objects/ip`);
    expect(call.query).toEqual({
      name: '1.2.3.4',
      info: 'locations',
      case_sensitive: 'true',
      with_wildcards: 'false',
      per_object: 'false',
      limit: '1',
    });
    expect(events.at(-1)?.operation).toBe('insight.objectInformation');
  });

  it('insight.batchSearch sends what limacharlie/sdk/insight.py Insight.batch_search sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addInsightObject(oid, { type: 'file_name', name: 'a.exe', sid: randomUUID() });

    const result = await lc.insight.batchSearch({
      file_name: ['a.exe', 'b.exe'],
      domain: ['x.io'],
    });
    expect(result.last_1_days).toEqual({
      file_name: { 'a.exe': 1, 'b.exe': 0 },
      domain: { 'x.io': 0 },
    });
    const call = lastCall(fake());
    expect(call.method).toBe('POST');
    expect(call.path).toBe(`/v1/insight/${oid}/objects`);
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.query).toEqual({});
    // json.dumps writes ", " and ": " separators.
    expect(call.form).toEqual({
      objects: '{"file_name": ["a.exe", "b.exe"], "domain": ["x.io"]}',
      case_sensitive: 'true',
      info: 'summary',
    });

    await lc.insight.batchSearch(
      { domain: ['x.io'] },
      { info: 'locations', limit: 50, caseSensitive: false },
    );
    expect(lastCall(fake()).form).toEqual({
      objects: '{"domain": ["x.io"]}',
      case_sensitive: 'false',
      info: 'locations',
      limit: '50',
    });
  });

  it('fails with the API error when Insight is off', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().setInsightEnabled(oid, false);
    await expect(lc.insight.searchIoc('domain', 'x.io')).rejects.toMatchObject({
      status: 400,
      code: expect.stringContaining('insight is not enabled') as unknown,
    });
  });
});
