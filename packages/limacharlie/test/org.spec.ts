import { LcApiError } from '../src/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

describe('lc.org (limacharlie/sdk/organization.py)', () => {
  const fake = useFakeLimaCharlie();

  it('org.info sends what limacharlie/sdk/organization.py Organization.get_info sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    await expect(lc.org.info()).resolves.toMatchObject({ oid });
    expect(lastCall(fake())).toMatchObject({ method: 'GET', path: `/v1/orgs/${oid}`, body: '' });
  });

  it('org.urls sends what limacharlie/sdk/organization.py Organization.get_urls sends (no auth)', async () => {
    const { lc, oid } = newOrgClient(fake());

    const urls = await lc.org.urls();

    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'GET', path: `/v1/orgs/${oid}/url`, body: '' });
    expect(call.headers.authorization).toBeUndefined();
    expect(urls.lc).toBe(new URL(fake().url).host);
    expect(urls).toHaveProperty('search');
  });

  it('org.config sends what limacharlie/sdk/organization.py Organization.get_config sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().setOrgConfig(oid, 'vt', 'vt-key');

    await expect(lc.org.config('vt')).resolves.toBe('vt-key');
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/configs/${oid}/vt`,
      query: {},
      body: '',
    });
    await expect(lc.org.config('otx')).resolves.toBeUndefined();
  });

  it('org.setConfig sends what limacharlie/sdk/organization.py Organization.set_config sends', async () => {
    const { lc, oid } = newOrgClient(fake());

    await lc.org.setConfig('otx', 'a b&c');

    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'POST', path: `/v1/configs/${oid}/otx` });
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.body).toBe('value=a+b%26c');
    expect(fake().getOrgConfigs(oid)).toEqual({ otx: 'a b&c' });
  });

  it('org.errors sends what limacharlie/sdk/organization.py Organization.get_errors sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addOrgError(oid, 'output:siem', 'connection refused');

    const errors = await lc.org.errors();

    expect(lastCall(fake())).toMatchObject({ method: 'GET', path: `/v1/errors/${oid}` });
    expect(errors).toEqual({
      'output:siem': { error: 'connection refused', ts: expect.any(Number) },
    });
  });

  it('org.dismissError sends what limacharlie/sdk/organization.py Organization.dismiss_error sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addOrgError(oid, 'output:siem', 'connection refused');

    await lc.org.dismissError('output:siem');

    expect(lastCall(fake())).toMatchObject({
      method: 'DELETE',
      path: `/v1/errors/${oid}/output%3Asiem`,
      body: '',
    });
    expect(fake().orgErrors(oid)).toEqual([]);
    const again = await rejectionOf(lc.org.dismissError('output:siem'));
    expect(again).toBeInstanceOf(LcApiError);
    expect(again).toMatchObject({ status: 404 });
  });

  it('org.schemas sends what limacharlie/sdk/organization.py Organization.get_schemas sends', async () => {
    const { lc, oid } = newOrgClient(fake());

    const all = await lc.org.schemas();
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/orgs/${oid}/schema`,
      query: {},
    });
    expect(all.event_types).toContain('evt:NEW_PROCESS');

    const windows = await lc.org.schemas({ platform: 'windows' });
    expect(lastCall(fake()).query).toEqual({ platform: 'windows' });
    expect(windows.event_types).toContain('evt:REGISTRY_WRITE');
    const linux = await lc.org.schemas({ platform: 'linux' });
    expect(linux.event_types).not.toContain('evt:REGISTRY_WRITE');
  });

  it('org.eventTypes sends what limacharlie/sdk/organization.py Organization.get_event_types sends', async () => {
    const { lc } = newOrgClient(fake());

    const types = await lc.org.eventTypes();

    expect(lastCall(fake())).toMatchObject({ method: 'GET', path: '/v1/events', body: '' });
    expect(types.events).toContain('NEW_PROCESS');
  });

  it('config permissions are checked, names are escaped, bad names fail before a call', async () => {
    const { lc, oid } = newOrgClient(fake(), { perms: ['org.get'] });

    const err = await rejectionOf(lc.org.setConfig('vt', 'x'));
    expect(err).toMatchObject({ status: 401, permission: 'org.conf.set' });
    await rejectionOf(lc.org.config('a/b'));
    expect(lastCall(fake()).path).toBe(`/v1/configs/${oid}/a%2Fb`);
    const calls = fake().calls.length;
    await expect(lc.org.config('')).rejects.toThrow(TypeError);
    await expect(lc.org.dismissError('')).rejects.toThrow(TypeError);
    expect(fake().calls).toHaveLength(calls);
  });
});
