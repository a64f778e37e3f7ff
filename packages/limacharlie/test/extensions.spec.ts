import { gunzipSync } from 'node:zlib';

import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

describe('lc.extensions (limacharlie/sdk/extensions.py)', () => {
  const fake = useFakeLimaCharlie();

  it('extensions.request sends what limacharlie/sdk/extensions.py Extensions.request sends', async () => {
    const { lc, oid, jwt } = newOrgClient(fake());
    fake().addExtension('ext-yara', {
      handle: (req) => ({ echoed: req.data, action: req.action }),
    });
    fake().subscribeExtension(oid, 'ext-yara');

    const data = { sid: 'abc', rules: ['r1', 'r2'], note: 'é' };
    const answer = await lc.extensions.request('ext-yara', 'scan', data);
    expect(answer).toEqual({ data: { echoed: data, action: 'scan' } });

    const call = lastCall(fake());
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/v1/extension/request/ext-yara');
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.headers.authorization).toBe(`bearer ${jwt}`);
    expect(call.query).toEqual({});
    expect(Object.keys(call.form)).toEqual(['oid', 'action', 'gzdata']);
    expect(call.form.oid).toBe(oid);
    expect(call.form.action).toBe('scan');
    // base64(gzip(json.dumps(data))): the JSON text is py's, separators and \u escapes included.
    const json = gunzipSync(Buffer.from(call.form.gzdata as string, 'base64')).toString('utf8');
    expect(json).toBe('{"sid": "abc", "rules": ["r1", "r2"], "note": "\\u00e9"}');
    expect(fake().extensionRequests).toHaveLength(1);

    const unwrapped = await lc.extensions.request('ext-yara', 'list', undefined, {
      impersonate: true,
      unwrap: true,
    });
    expect(unwrapped).toEqual({ echoed: {}, action: 'list' });
    const second = lastCall(fake());
    expect(second.form.impersonator_jwt).toBe(jwt);
    expect(gunzipSync(Buffer.from(second.form.gzdata as string, 'base64')).toString()).toBe('{}');
    expect(fake().extensionRequests[1].impersonatorJwt).toBe(jwt);
  });

  it('a request to an extension the org has not subscribed to fails with the API error', async () => {
    const { lc } = newOrgClient(fake());
    fake().addExtension('ext-zeek');
    const err = await rejectionOf(lc.extensions.request('ext-zeek', 'status'));
    expect(err).toMatchObject({
      status: 403,
      code: expect.stringContaining('not subscribed') as unknown,
    });
    expect(fake().extensionRequests).toHaveLength(0);
  });

  it('extensions.subscribe, unsubscribe and listSubscribed send what limacharlie/sdk/extensions.py sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addExtension('ext-zeek');

    await expect(lc.extensions.subscribe('ext-zeek')).resolves.toEqual({});
    let call = lastCall(fake());
    expect(call).toMatchObject({
      method: 'POST',
      path: `/v1/orgs/${oid}/subscription/extension/ext-zeek`,
      body: '',
      query: {},
    });
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(fake().extensionSubscriptions(oid)).toEqual(['ext-zeek']);

    const listed = await lc.extensions.listSubscribed();
    expect(listed).toEqual([{ name: 'ext-zeek', subscribed_at: expect.any(Number) as number }]);
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/orgs/${oid}/subscriptions`,
      query: {},
    });

    await expect(lc.extensions.unsubscribe('ext-zeek')).resolves.toEqual({});
    call = lastCall(fake());
    expect(call).toMatchObject({
      method: 'DELETE',
      path: `/v1/orgs/${oid}/subscription/extension/ext-zeek`,
      body: '',
    });
    expect(fake().extensionSubscriptions(oid)).toEqual([]);
    await expect(lc.extensions.unsubscribe('ext-zeek')).rejects.toMatchObject({ status: 404 });
  });

  it('extensions.getSchema sends what limacharlie/sdk/extensions.py Extensions.get_schema sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const schema = {
      config_schema: { fields: {} },
      request_schema: { scan: { is_user_facing: true } },
      required_events: [],
    };
    fake().addExtension('ext-yara', { schema });

    await expect(lc.extensions.getSchema('ext-yara')).resolves.toEqual(schema);
    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'GET', path: '/v1/extension/schema/ext-yara', body: '' });
    expect(call.query).toEqual({ oid });
  });
});
