import { LcApiError } from '../src/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const FORM = 'application/x-www-form-urlencoded';

describe('False-positive rules (limacharlie/sdk/fp_rules.py)', () => {
  const fake = useFakeLimaCharlie();

  it('fpRules.list sends what limacharlie/sdk/fp_rules.py FPRules.list sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'fp', 'noisy-updater', {
      data: { detection: { op: 'is', path: 'cat', value: 'updater' } },
      enabled: true,
    });

    const rules = await lc.fpRules.list();

    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'GET', path: `/v1/hive/fp/${oid}`, body: '' });
    expect(call.query).toEqual({});
    expect(Object.keys(rules)).toEqual(['noisy-updater']);
    expect(rules['noisy-updater']).toMatchObject({
      name: 'noisy-updater',
      data: { detection: { op: 'is', path: 'cat', value: 'updater' } },
      enabled: true,
      etag: fake().getHiveRecord(oid, 'fp', 'noisy-updater')?.sys_mtd.etag,
    });
  });

  it('fpRules.get sends what limacharlie/sdk/fp_rules.py FPRules.get sends, null on 404', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'fp', 'r 1', { data: { detection: { op: 'exists', path: 'x' } } });

    const rule = await lc.fpRules.get('r 1');

    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/hive/fp/${oid}/r%201/data`,
      body: '',
    });
    expect(rule).toMatchObject({ name: 'r 1', data: { detection: { op: 'exists', path: 'x' } } });
    await expect(lc.fpRules.get('missing')).resolves.toBeNull();
  });

  it('fpRules.get lets errors other than 404 through', async () => {
    const { lc } = newOrgClient(fake(), { perms: ['org.get'] });

    const err = await rejectionOf(lc.fpRules.get('r'));

    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ status: 401 });
  });

  it('fpRules.create sends what limacharlie/sdk/fp_rules.py FPRules.create sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const data = { detection: { op: 'is', path: 'routing/hostname', value: 'build-01' } };

    const result = await lc.fpRules.create('build-host', data);

    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'POST', path: `/v1/hive/fp/${oid}/build-host/data` });
    expect(call.headers['content-type']).toBe(FORM);
    // HiveRecord(name, data=data) carries no etag and empty metadata: only `data` is sent.
    expect(Object.keys(call.form)).toEqual(['data']);
    expect(JSON.parse(call.form.data as string)).toEqual(data);
    expect(result).toMatchObject({ name: 'build-host', hive: { name: 'fp', partition: oid } });
    expect(fake().getHiveRecord(oid, 'fp', 'build-host')?.data).toEqual(data);
  });

  it('fpRules.delete sends what limacharlie/sdk/fp_rules.py FPRules.delete sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putHiveRecord(oid, 'fp', 'old', { data: { detection: {} } });

    await lc.fpRules.delete('old');

    expect(lastCall(fake())).toMatchObject({ method: 'DELETE', path: `/v1/hive/fp/${oid}/old` });
    expect(fake().getHiveRecord(oid, 'fp', 'old')).toBeUndefined();
  });
});
