import { lastCall, newOrgClient, useFakeLimaCharlie } from './support.js';

const RULE = {
  detect: { event: 'NEW_PROCESS', op: 'exists', path: 'event' },
  respond: [{ action: 'report', name: 'x' }],
};

describe('lc.rules get/update (limacharlie/sdk/dr_rules.py)', () => {
  const fake = useFakeLimaCharlie();

  it('rules.get sends what limacharlie/sdk/dr_rules.py DRRules.get sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putRule(oid, 'my rule/1', { ...RULE, namespace: 'managed', enabled: false });

    const record = await lc.rules.get('my rule/1', { namespace: 'managed' });
    expect(record?.data).toEqual(RULE);
    expect(record?.usr_mtd.enabled).toBe(false);
    expect(record?.sys_mtd.etag).toEqual(expect.any(String));
    const call = lastCall(fake());
    expect(call.method).toBe('GET');
    // quote(name, safe=''): the slash and the space are escaped too.
    expect(call.path).toBe(`/v1/hive/dr-managed/${oid}/my%20rule%2F1/data`);
    expect(call.query).toEqual({});

    await expect(lc.rules.get('missing')).resolves.toBeNull();
    expect(lastCall(fake()).path).toBe(`/v1/hive/dr-general/${oid}/missing/data`);
  });

  it('rules.update sends what limacharlie/sdk/dr_rules.py DRRules.update sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putRule(oid, 'r', { ...RULE, enabled: false });

    const changed = { detect: { ...RULE.detect, event: 'DNS_REQUEST' }, respond: RULE.respond };
    const result = await lc.rules.update('r', changed);
    expect(result).toMatchObject({ hive: { name: 'dr-general', partition: oid }, name: 'r' });
    const call = lastCall(fake());
    expect(call.method).toBe('POST');
    expect(call.path).toBe(`/v1/hive/dr-general/${oid}/r/data`);
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.query).toEqual({});
    // Only `data` (json.dumps of the rule): no usr_mtd, so the rule stays disabled.
    expect(call.form).toEqual({
      data: '{"detect": {"event": "DNS_REQUEST", "op": "exists", "path": "event"}, "respond": [{"action": "report", "name": "x"}]}',
    });
    expect(fake().getRules(oid).r).toMatchObject({ detect: changed.detect, is_enabled: false });

    // The legacy list and the hive are one store: a rule created here is listed there.
    await lc.rules.update('new', RULE, { namespace: 'replicant' });
    expect(Object.keys(await lc.rules.list('replicant'))).toEqual(['new']);
  });
});
