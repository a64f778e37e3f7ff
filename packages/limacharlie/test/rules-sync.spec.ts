import { LcAuthError, type DrRuleSet } from '../src/index.js';
import { FAKE_ALL_PERMISSIONS } from '../src/testing/index.js';
import { newOrgClient, rejectionOf, useFakeLimaCharlie, writeCalls } from './support.js';

const detectA = { event: 'NEW_PROCESS', op: 'ends with', path: 'event/FILE_PATH', value: 'a.exe' };
const detectB = { event: 'DNS_REQUEST', op: 'is', path: 'event/DOMAIN_NAME', value: 'evil.com' };
const respond = [{ action: 'report', name: 'hit' }];

const RULES: DrRuleSet = {
  'rule-a': { detect: detectA, respond },
  'rule-b': { detect: detectB, respond, namespace: 'managed' },
};

describe('rules.sync (Sync.pushRules semantics)', () => {
  const fake = useFakeLimaCharlie();

  it('adds missing rules with is_replace=true, is_enabled=true and an explicit namespace', async () => {
    const { lc, oid } = newOrgClient(fake());

    const result = await lc.rules.sync(RULES);

    expect(result).toEqual({
      added: ['rule-a', 'rule-b'],
      replaced: [],
      removed: [],
      unchanged: [],
    });
    const posts = writeCalls(fake());
    expect(posts.map((c) => [c.method, c.form.name, c.form.namespace])).toEqual([
      ['POST', 'rule-a', 'general'],
      ['POST', 'rule-b', 'managed'],
    ]);
    expect(posts[0].form).toMatchObject({ is_replace: 'true', is_enabled: 'true' });
    expect(posts[0].form.expire_on).toBeUndefined();
    expect(fake().getRules(oid, 'general')['rule-a']).toMatchObject({ detect: detectA, respond });
    expect(fake().getRules(oid, 'managed')['rule-b']).toMatchObject({ detect: detectB });
  });

  it('probes namespaces with a single GET who, then lists each available one', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.rules.sync({});

    expect(fake().calls.map((c) => [c.method, c.path, c.query.namespace])).toEqual([
      ['GET', '/v1/who', undefined],
      ['GET', `/v1/rules/${oid}`, 'general'],
      ['GET', `/v1/rules/${oid}`, 'managed'],
      ['GET', `/v1/rules/${oid}`, 'replicant'],
    ]);
  });

  it('skips namespaces the token cannot list', async () => {
    const { lc } = newOrgClient(fake(), { perms: ['dr.list.managed', 'dr.set.managed'] });
    await lc.rules.sync({ x: { detect: detectA, respond, namespace: 'managed' } });

    expect(fake().calls.map((c) => c.query.namespace ?? c.form.namespace)).toEqual([
      undefined,
      'managed',
      'managed',
    ]);
  });

  it('makes no write call when a second identical sync finds nothing to change', async () => {
    const { lc } = newOrgClient(fake());
    await lc.rules.sync(RULES);
    fake().calls.length = 0;

    const result = await lc.rules.sync(RULES, { force: true });

    expect(result).toEqual({
      added: [],
      replaced: [],
      removed: [],
      unchanged: ['rule-a', 'rule-b'],
    });
    expect(writeCalls(fake())).toEqual([]);
  });

  it('compares canonical JSON, so key order does not count as a change', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putRule(oid, 'rule-a', {
      detect: { value: 'a.exe', path: 'event/FILE_PATH', op: 'ends with', event: 'NEW_PROCESS' },
      respond: [{ name: 'hit', action: 'report' }],
    });

    const result = await lc.rules.sync({ 'rule-a': RULES['rule-a'] });
    expect(result.unchanged).toEqual(['rule-a']);
    expect(writeCalls(fake())).toEqual([]);
  });

  it('replaces a rule whose detect or respond changed', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.rules.sync(RULES);
    fake().calls.length = 0;
    const changed = { ...RULES, 'rule-a': { detect: { ...detectA, value: 'b.exe' }, respond } };

    const result = await lc.rules.sync(changed);

    expect(result).toEqual({ added: [], replaced: ['rule-a'], removed: [], unchanged: ['rule-b'] });
    expect(writeCalls(fake()).map((c) => [c.method, c.form.name])).toEqual([['POST', 'rule-a']]);
    expect(fake().getRules(oid)['rule-a'].detect).toMatchObject({ value: 'b.exe' });
  });

  it('moves a rule to another namespace by deleting it first, then adding it', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putRule(oid, 'rule-a', { detect: detectA, respond, namespace: 'general' });

    const result = await lc.rules.sync({
      'rule-a': { detect: detectA, respond, namespace: 'managed' },
    });

    expect(result.replaced).toEqual(['rule-a']);
    expect(writeCalls(fake()).map((c) => [c.method, c.form.name, c.form.namespace])).toEqual([
      ['DELETE', 'rule-a', 'general'],
      ['POST', 'rule-a', 'managed'],
    ]);
    expect(fake().getRules(oid, 'general')).toEqual({});
    expect(fake().getRules(oid, 'managed')['rule-a']).toBeDefined();
  });

  it('uses the namespace option for rules that name none', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.rules.sync({ x: { detect: detectA, respond } }, { namespace: 'replicant' });
    expect(Object.keys(fake().getRules(oid, 'replicant'))).toEqual(['x']);
  });

  it('force deletes undesired rules in their namespace, sparing __ rules and desired ones', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putRule(oid, 'rule-a', { detect: detectA, respond });
    fake().putRule(oid, 'stale-general', { detect: detectB, respond });
    fake().putRule(oid, 'stale-managed', { detect: detectB, respond, namespace: 'managed' });
    fake().putRule(oid, '__svc-x-ex', { detect: detectB, respond, namespace: 'managed' });

    const result = await lc.rules.sync(RULES, { force: true });

    expect(result).toEqual({
      added: ['rule-b'],
      replaced: [],
      removed: ['stale-general', 'stale-managed'],
      unchanged: ['rule-a'],
    });
    const deletes = writeCalls(fake()).filter((c) => c.method === 'DELETE');
    expect(deletes.map((c) => c.body)).toEqual([
      'name=stale-general&namespace=general',
      'name=stale-managed&namespace=managed',
    ]);
    expect(Object.keys(fake().getRules(oid, 'managed')).sort()).toEqual(['__svc-x-ex', 'rule-b']);
  });

  it('counts a rule another replica deleted first (404 RECORD_NOT_FOUND) as removed or moved', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putRule(oid, 'stale', { detect: detectB, respond });
    fake().putRule(oid, 'rule-b', { detect: detectB, respond });
    const missing = { error: 'RECORD_NOT_FOUND: rule not found' };
    fake().failNext({ method: 'DELETE', path: /\/rules\//, status: 404, body: missing, count: 2 });

    const result = await lc.rules.sync(RULES, { force: true });

    expect(result).toEqual({
      added: ['rule-a'],
      replaced: ['rule-b'],
      removed: ['stale'],
      unchanged: [],
    });
    expect(fake().getRules(oid, 'managed')['rule-b']).toMatchObject({ detect: detectB });
  });

  it('confines the force sweep to the namespace option', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putRule(oid, 'users-own-rule', { detect: detectB, respond });
    fake().putRule(oid, 'old-managed', { detect: detectB, respond, namespace: 'managed' });

    const result = await lc.rules.sync(
      { mine: { detect: detectA, respond } },
      { namespace: 'managed', force: true },
    );

    expect(result.removed).toEqual(['old-managed']);
    expect(Object.keys(fake().getRules(oid, 'general'))).toEqual(['users-own-rule']);
  });

  it('writes nothing on a dry run but reports what it would do', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putRule(oid, 'rule-a', { detect: { changed: true }, respond });
    fake().putRule(oid, 'stale', { detect: detectB, respond });

    const result = await lc.rules.sync(RULES, { force: true, dryRun: true });

    expect(result).toEqual({
      added: ['rule-b'],
      replaced: ['rule-a'],
      removed: ['stale'],
      unchanged: [],
    });
    expect(writeCalls(fake())).toEqual([]);
  });

  it('accepts YAML text, with or without the {rules: ...} wrapper', async () => {
    const { lc, oid } = newOrgClient(fake());
    const yaml = `
rules:
  yaml-rule:
    namespace: managed
    detect:
      event: NEW_PROCESS
      op: is
      path: event/FILE_PATH
      value: x.exe
    respond:
      - action: report
        name: yaml-hit
`;
    await expect(lc.rules.sync(yaml)).resolves.toMatchObject({ added: ['yaml-rule'] });
    expect(fake().getRules(oid, 'managed')['yaml-rule'].respond).toEqual([
      { action: 'report', name: 'yaml-hit' },
    ]);

    const bare = yaml.replace('rules:\n', '').replace(/^ {2}/gm, '');
    await expect(lc.rules.sync(bare)).resolves.toMatchObject({ unchanged: ['yaml-rule'] });
    await expect(lc.rules.sync({ rules: RULES })).resolves.toMatchObject({
      added: ['rule-a', 'rule-b'],
    });
  });

  it('validates the whole input before any call', async () => {
    const { lc } = newOrgClient(fake());
    const bad = { ok: { detect: detectA, respond }, broken: { detect: detectA } };

    await expect(lc.rules.sync(bad as unknown as DrRuleSet)).rejects.toThrow(
      'rules.sync: rule "broken" needs a "respond" list',
    );
    await expect(lc.rules.sync('rules: [unclosed')).rejects.toThrow(/invalid YAML/);
    await expect(lc.rules.sync('- a\n- b')).rejects.toThrow(/expected a mapping/);
    expect(fake().calls).toHaveLength(0);
  });

  it('aborts on the first API error and keeps the writes already made', async () => {
    const perms = FAKE_ALL_PERMISSIONS.filter((p) => p !== 'dr.set.managed');
    const { lc, oid } = newOrgClient(fake(), { perms });
    const three: DrRuleSet = {
      first: { detect: detectA, respond },
      second: { detect: detectA, respond, namespace: 'managed' },
      third: { detect: detectA, respond },
    };

    const err = await rejectionOf(lc.rules.sync(three));

    expect(err).toBeInstanceOf(LcAuthError);
    expect(err).toMatchObject({ status: 401, permission: 'dr.set.managed' });
    expect(writeCalls(fake()).map((c) => c.form.name)).toEqual(['first', 'second']);
    expect(Object.keys(fake().getRules(oid))).toEqual(['first']);
  });
});
