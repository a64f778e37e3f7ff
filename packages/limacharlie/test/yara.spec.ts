import { LcApiError } from '../src/index.js';
import type { FakeCall } from '../src/testing/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * What Organization.service_request (limacharlie/sdk/organization.py) sends for `data`: form
 * `request_data` = base64 of `json.dumps(data)` (", " and ": " separators), then `is_async=False`.
 */
function expectServiceRequest(call: FakeCall, oid: string, pyJson: string): void {
  expect(call).toMatchObject({ method: 'POST', path: `/v1/service/${oid}/yara` });
  expect(call.headers['content-type']).toBe(FORM);
  expect(Object.entries(call.form)).toEqual([
    ['request_data', Buffer.from(pyJson, 'utf8').toString('base64')],
    ['is_async', 'False'],
  ]);
}

describe('YARA (limacharlie/sdk/yara.py)', () => {
  const fake = useFakeLimaCharlie();

  it('yara.addSource and yara.getSource send what limacharlie/sdk/yara.py Yara.add_source and get_source send', async () => {
    const { lc, oid } = newOrgClient(fake());
    const source = 'rule evil { strings: $a = "évil" condition: $a }';

    await lc.yara.addSource('evil-src', source);
    expectServiceRequest(
      lastCall(fake()),
      oid,
      '{"action": "add_source", "name": "evil-src", "source": "rule evil { strings: $a = \\"\\u00e9vil\\" condition: $a }"}',
    );
    expect(fake().yara(oid).sources.get('evil-src')).toBe(source);

    await expect(lc.yara.getSource('evil-src')).resolves.toEqual({ source });
    expectServiceRequest(lastCall(fake()), oid, '{"action": "get_source", "name": "evil-src"}');
  });

  it('yara.listSources sends what limacharlie/sdk/yara.py Yara.list_sources sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().yara(oid).sources.set('s1', 'rule a { condition: true }');

    await expect(lc.yara.listSources()).resolves.toEqual({ sources: { s1: { name: 's1' } } });
    expectServiceRequest(lastCall(fake()), oid, '{"action": "list_sources"}');
  });

  it('yara.addRule sends what limacharlie/sdk/yara.py Yara.add_rule sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().yara(oid).sources.set('s1', 'rule a { condition: true }');
    fake().yara(oid).sources.set('s2', 'rule b { condition: true }');

    await lc.yara.addRule('r1', ['s1', 's2'], { tags: ['vip'], platforms: ['windows'] });

    // sources, tags and platforms are json.dumps text nested in the JSON request.
    expectServiceRequest(
      lastCall(fake()),
      oid,
      '{"action": "add_rule", "name": "r1", "sources": "[\\"s1\\", \\"s2\\"]", "tags": "[\\"vip\\"]", "platforms": "[\\"windows\\"]"}',
    );
    expect(fake().yara(oid).rules.get('r1')).toEqual({
      sources: ['s1', 's2'],
      tags: ['vip'],
      platforms: ['windows'],
    });

    await lc.yara.addRule('r2', ['s1'], { tags: [] });
    expectServiceRequest(
      lastCall(fake()),
      oid,
      '{"action": "add_rule", "name": "r2", "sources": "[\\"s1\\"]"}',
    );

    const err = await rejectionOf(lc.yara.addRule('r3', ['missing']));
    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ status: 400 });
  });

  it('yara.listRules sends what limacharlie/sdk/yara.py Yara.list_rules sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake()
      .yara(oid)
      .rules.set('r', { sources: ['s'], tags: [], platforms: [] });

    await expect(lc.yara.listRules()).resolves.toEqual({
      rules: { r: { sources: ['s'], tags: [], platforms: [] } },
    });
    expectServiceRequest(lastCall(fake()), oid, '{"action": "list_rules"}');
  });

  it('yara.deleteRule and yara.deleteSource send what limacharlie/sdk/yara.py Yara.delete_rule and delete_source send', async () => {
    const { lc, oid } = newOrgClient(fake());
    const state = fake().yara(oid);
    state.sources.set('s', 'rule a { condition: true }');
    state.rules.set('r', { sources: ['s'], tags: [], platforms: [] });

    // A source still used by a rule is refused.
    expect(await rejectionOf(lc.yara.deleteSource('s'))).toMatchObject({ status: 400 });

    await lc.yara.deleteRule('r');
    expectServiceRequest(lastCall(fake()), oid, '{"action": "remove_rule", "name": "r"}');
    await lc.yara.deleteSource('s');
    expectServiceRequest(lastCall(fake()), oid, '{"action": "remove_source", "name": "s"}');
    expect(state.rules.size).toBe(0);
    expect(state.sources.size).toBe(0);
  });

  it('yara.scan sends what limacharlie/sdk/yara.py Yara.scan sends, and its job can be awaited', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'ws-1' });
    const rule = 'rule t { condition: true }';

    const answer = await lc.yara.scan(sid, rule, { timeout: 30 });

    expectServiceRequest(
      lastCall(fake()),
      oid,
      `{"action": "scan", "sid": "${sid}", "rule": "rule t { condition: true }", "timeout": "30"}`,
    );
    expect(fake().yara(oid).scans).toEqual([
      { oid, sid, rule, timeout: '30', jobId: answer.job_id },
    ]);
    const job = await lc.jobs.wait(answer.job_id as string, { pollIntervalMs: 10 });
    expect(job).toMatchObject({ sid, service_name: 'yara', is_done: true });

    await lc.yara.scan(sid, rule);
    expectServiceRequest(
      lastCall(fake()),
      oid,
      `{"action": "scan", "sid": "${sid}", "rule": "rule t { condition: true }"}`,
    );
  });
});
