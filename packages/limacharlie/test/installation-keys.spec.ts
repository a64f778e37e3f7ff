import { LcApiError } from '../src/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const FORM = 'application/x-www-form-urlencoded';

describe('Installation keys (limacharlie/sdk/installation_keys.py)', () => {
  const fake = useFakeLimaCharlie();

  it('installationKeys.list sends what limacharlie/sdk/installation_keys.py InstallationKeys.list sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const key = fake().addInstallationKey(oid, { desc: 'servers', tags: ['srv'] });

    const keys = await lc.installationKeys.list();

    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'GET', path: `/v1/installationkeys/${oid}`, body: '' });
    expect(call.query).toEqual({});
    // The SDK returns the map under the oid.
    expect(keys).toEqual({ [key.iid]: key });
  });

  it('installationKeys.get sends what limacharlie/sdk/installation_keys.py InstallationKeys.get sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const key = fake().addInstallationKey(oid, { desc: 'laptops' });

    await expect(lc.installationKeys.get(key.iid)).resolves.toEqual(key);

    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/installationkeys/${oid}/${key.iid}`,
      body: '',
    });
    const missing = await rejectionOf(lc.installationKeys.get('nope'));
    expect(missing).toBeInstanceOf(LcApiError);
    expect(missing).toMatchObject({ status: 404 });
  });

  it('installationKeys.create sends what limacharlie/sdk/installation_keys.py InstallationKeys.create sends', async () => {
    const { lc, oid } = newOrgClient(fake());

    const created = await lc.installationKeys.create('web tier', {
      tags: ['web', 'prod'],
      usePublicCa: true,
    });

    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'POST', path: `/v1/installationkeys/${oid}` });
    expect(call.headers['content-type']).toBe(FORM);
    // Organization.create_installation_key: desc, use_public_root_ca, then tags comma-joined.
    expect(call.body).toBe('desc=web+tier&use_public_root_ca=true&tags=web%2Cprod');
    expect(fake().getInstallationKey(oid, created.iid)).toMatchObject({
      desc: 'web tier',
      tags: ['web', 'prod'],
      use_public_root_ca: true,
    });

    await lc.installationKeys.create('plain');
    expect(lastCall(fake()).body).toBe('desc=plain&use_public_root_ca=false');
    await lc.installationKeys.create('one', { tags: 'a,b' });
    expect(lastCall(fake()).body).toBe('desc=one&use_public_root_ca=false&tags=a%2Cb');
  });

  it('installationKeys.delete sends what limacharlie/sdk/installation_keys.py InstallationKeys.delete sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const key = fake().addInstallationKey(oid, { desc: 'old' });

    await lc.installationKeys.delete(key.iid);

    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'DELETE', path: `/v1/installationkeys/${oid}` });
    expect(call.query).toEqual({});
    expect(call.headers['content-type']).toBe(FORM);
    expect(call.body).toBe(`iid=${key.iid}`);
    expect(fake().getInstallationKey(oid, key.iid)).toBeUndefined();
  });
});
