import { randomUUID } from 'node:crypto';

import { LcApiError, type Artifact } from '../src/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const FORM = 'application/x-www-form-urlencoded';

describe('lc.artifacts (limacharlie/sdk/artifacts.py)', () => {
  const fake = useFakeLimaCharlie();

  it('artifacts.listPage sends what limacharlie/sdk/artifacts.py Artifacts.list sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const sid = randomUUID();
    fake().addArtifact(oid, { sid, ts: 1_700_000_100, type: 'pcap' });
    fake().addArtifact(oid, { ts: 1_700_000_200 });

    const page = await lc.artifacts.listPage({ sid, start: 1_700_000_000, end: 1_700_000_500 });
    expect(page.artifacts).toEqual([expect.objectContaining({ sid, type: 'pcap' })]);
    const call = lastCall(fake());
    expect(call.method).toBe('GET');
    expect(call.path).toBe(`/v1/insight/${oid}/artifacts`);
    expect(call.query).toEqual({ sid: sid, start: '1700000000', end: '1700000500' });

    // Without a range py asks for the last 24 hours; with a cursor it sends the cursor alone.
    const before = Math.floor(Date.now() / 1000);
    await lc.artifacts.listPage();
    const defaults = lastCall(fake()).query;
    expect(Object.keys(defaults).sort()).toEqual(['end', 'start']);
    const end = Number(defaults.end);
    expect(end).toBeGreaterThanOrEqual(before);
    expect(Number(defaults.start)).toBe(end - 86_400);

    await lc.artifacts.listPage({ cursor: '0:1:2', start: 5, end: 6 });
    expect(lastCall(fake()).query).toEqual({ cursor: '0:1:2' });
  });

  it('artifacts.list pages through next_cursor on demand', async () => {
    const { lc, oid } = newOrgClient(fake());
    const ids = [1, 2, 3, 4, 5].map((i) => fake().addArtifact(oid, { ts: 1_700_000_000 + i }).id);
    fake().setArtifactPageSize(2);

    const seen: Artifact[] = [];
    for await (const artifact of lc.artifacts.list({ start: 1_700_000_000, end: 1_700_000_010 })) {
      seen.push(artifact);
      if (seen.length === 3) break;
    }
    expect(seen.map((a) => a.id)).toEqual(ids.slice(0, 3));
    // Three items need two pages: the third is not fetched when the caller stops.
    const listCalls = fake().calls.filter((c) => c.path.endsWith('/artifacts'));
    expect(listCalls).toHaveLength(2);
    expect(listCalls[1].query).toEqual({ cursor: '2:1700000000:1700000010' });

    const all: string[] = [];
    for await (const artifact of lc.artifacts.list({ start: 1_700_000_000, end: 1_700_000_010 })) {
      all.push(artifact.id as string);
    }
    expect(all).toEqual(ids);
  });

  it('artifacts.list stops between pages when the deadline passes', async () => {
    const deadline = new AbortController();
    const { lc, oid } = newOrgClient(fake(), { signal: deadline.signal });
    for (let i = 0; i < 4; i += 1) fake().addArtifact(oid, { ts: 1_700_000_000 + i });
    const seen: unknown[] = [];
    const err = await rejectionOf(
      (async () => {
        for await (const artifact of lc.artifacts.list({
          start: 1_700_000_000,
          end: 1_700_000_010,
        })) {
          seen.push(artifact);
          if (seen.length === 2) deadline.abort();
        }
      })(),
    );
    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ kind: 'deadline' });
    expect(seen).toHaveLength(2);
  });

  it('artifacts.getUrl sends what limacharlie/sdk/artifacts.py Artifacts.get_url sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { id } = fake().addArtifact(oid, { data: 'hello' });
    const original = await lc.artifacts.getUrl(id);
    expect(Buffer.from(original.payload ?? '', 'base64').toString()).toBe('hello');
    const call = lastCall(fake());
    expect(call.method).toBe('POST');
    expect(call.path).toBe(`/v1/insight/${oid}/artifacts/originals/${id}`);
    expect(call.query).toEqual({});
    expect(call.body).toBe('');

    const missing = await rejectionOf(lc.artifacts.getUrl(randomUUID()));
    expect(missing).toMatchObject({ status: 404 });
  });

  it('artifacts.setRule sends what limacharlie/sdk/artifacts.py Artifacts.set_rule sends', async () => {
    const { lc, oid, events } = newOrgClient(fake());
    await lc.artifacts.setRule('evtx', {
      platforms: ['windows'],
      patterns: ['wel://Security:*'],
      tags: ['prod'],
    });
    const call = lastCall(fake());
    expect(call.method).toBe('POST');
    expect(call.path).toBe(`/v1/insight/${oid}/artifacts/rules`);
    expect(call.headers['content-type']).toBe('application/json');
    // json.dumps of py's dict, in its key order and with its separators.
    expect(call.body).toBe(
      '{"name": "evtx", "platforms": ["windows"], "patterns": ["wel://Security:*"], ' +
        '"is_delete_after": false, "days_retention": 30, "tags": ["prod"]}',
    );
    expect(events.at(-1)).toMatchObject({ operation: 'artifacts.setRule', status: 200 });

    await lc.artifacts.setRule('logs', {
      platforms: ['linux'],
      patterns: ['/var/log/*.log'],
      isDeleteAfter: true,
      retentionDays: 7,
      tags: [],
    });
    expect(lastCall(fake()).body).toBe(
      '{"name": "logs", "platforms": ["linux"], "patterns": ["/var/log/*.log"], ' +
        '"is_delete_after": true, "days_retention": 7}',
    );
  });

  it('artifacts.getRules sends what limacharlie/sdk/artifacts.py Artifacts.get_rules sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.artifacts.setRule('evtx', { platforms: ['windows'], patterns: ['wel://System:*'] });
    const rules = await lc.artifacts.getRules();
    expect(rules).toEqual({
      evtx: {
        platforms: ['windows'],
        patterns: ['wel://System:*'],
        is_delete_after: false,
        days_retention: 30,
      },
    });
    const call = lastCall(fake());
    expect(call.method).toBe('GET');
    expect(call.path).toBe(`/v1/insight/${oid}/artifacts/rules`);
    expect(call.query).toEqual({});
  });

  it('artifacts.deleteRule sends what limacharlie/sdk/artifacts.py Artifacts.delete_rule sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.artifacts.setRule('evtx', { platforms: ['windows'], patterns: ['wel://System:*'] });
    await lc.artifacts.deleteRule('evtx');
    const call = lastCall(fake());
    expect(call.method).toBe('DELETE');
    expect(call.path).toBe(`/v1/insight/${oid}/artifacts/rules`);
    expect(call.headers['content-type']).toBe(FORM);
    expect(call.form).toEqual({ name: 'evtx' });
    await expect(lc.artifacts.getRules()).resolves.toEqual({});
    await expect(rejectionOf(lc.artifacts.deleteRule('evtx'))).resolves.toMatchObject({
      status: 404,
    });
  });
});
