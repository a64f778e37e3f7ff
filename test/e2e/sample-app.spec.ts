import type { FakeLimaCharlie, LcTestClient } from 'nestjs-lc-service/testing';
import { EVIL_HASHES, SAMPLE_RULES } from '../../sample-app/rules.js';
import { startSampleApp, type SampleRun } from '../helpers/sample-app.js';

/** The sample service against a fake LimaCharlie: real HTTP on both sides. */
describe('the sample app drives the LimaCharlie API', () => {
  let run: SampleRun;
  let fake: FakeLimaCharlie;
  let client: LcTestClient;
  let oid: string;
  let online: string;
  let offline: string;

  beforeAll(async () => {
    run = await startSampleApp();
    ({ fake, client, oid } = run);
    online = fake.addSensor(oid, { hostname: 'web-1' }).sid;
    offline = fake.addSensor(oid, { hostname: 'db-1', online: false }).sid;
  });
  afterAll(() => run.stop());

  it('installs its rules, idempotently, and removes them on uninstall', async () => {
    const first = await client.send('org_install');
    expect(first.body).toEqual({
      success: true,
      data: { rules: { added: ['sample-evil-hash'], replaced: [], removed: [], unchanged: [] } },
    });
    const stored = fake.getRules(oid, 'general')['sample-evil-hash'];
    expect(stored).toMatchObject({
      detect: SAMPLE_RULES['sample-evil-hash'].detect,
      respond: SAMPLE_RULES['sample-evil-hash'].respond,
    });
    const writes = () => fake.calls.filter((c) => c.method !== 'GET').length;
    const before = writes();
    const again = await client.send('org_install');
    expect((again.body.data as { rules: { unchanged: string[] } }).rules.unchanged).toEqual([
      'sample-evil-hash',
    ]);
    expect(writes()).toBe(before);

    const uninstall = await client.send('org_uninstall');
    expect(uninstall.body).toEqual({ success: true, data: {} });
    expect(fake.getRules(oid, 'general')).toEqual({});
  });

  it('answers a redelivered uninstall as done when its rules are already gone', async () => {
    await client.send('org_install');
    expect((await client.send('org_uninstall')).body).toEqual({ success: true, data: {} });
    expect((await client.send('org_uninstall')).body).toEqual({ success: true, data: {} });
  });

  it('refuses a signed call with an empty oid with HTTP 400 naming the field, before any step', async () => {
    for (const etype of ['org_uninstall', '__proto__', 'org_install', 'org_per_1h']) {
      const res = await client.send(etype, { oid: '' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        success: false,
        retry: false,
        data: {},
        error: `invalid envelope: 'oid' must be a UUID, got ""`,
      });
    }
  });

  it('tasks online sensors daily and skips offline ones', async () => {
    const tasked = await client.send('sensor_per_24h', { data: { sid: online } });
    expect(tasked.body).toEqual({ success: true, data: { tasked: true } });
    expect(fake.tasks.filter((t) => t.sid === online).map((t) => t.tasks)).toEqual([
      ['os_packages'],
    ]);
    const skipped = await client.send('sensor_per_24h', { data: { sid: offline } });
    expect(skipped.body).toEqual({ success: true, data: { tasked: false, reason: 'offline' } });
    expect(fake.tasks.some((t) => t.sid === offline)).toBe(false);
  });

  it('counts sensors hourly and tags new sensors', async () => {
    const hourly = await client.send('org_per_1h');
    expect(hourly.body).toEqual({ success: true, data: { sensors: 2 } });
    const welcome = await client.send('new_sensor', { data: { sid: offline } });
    expect(welcome.body.success).toBe(true);
    expect(fake.sensorTags(offline)).toContain('seen-by-sample');
  });

  it('tags the host of an evil-hash detection and reports a job', async () => {
    const res = await client.send('detection', {
      data: {
        cat: 'evil-hash',
        routing: { sid: online, hostname: 'web-1' },
        detect: { event: { HASH: EVIL_HASHES[0], FILE_PATH: '/tmp/x' } },
      },
    });
    expect(res.body.success).toBe(true);
    expect(fake.sensorTags(online)).toContain('evil-hash-seen');
    const [job] = res.body.jobs as {
      cause: string;
      sid: string[];
      hist: { attachments: unknown[] }[];
    }[];
    expect(job.cause).toBe('known-bad hash on web-1');
    expect(job.sid).toEqual([online]);
    expect(job.hist[0].attachments).toEqual([
      {
        att_type: 'table',
        caption: 'evidence',
        headers: ['field', 'value'],
        rows: [
          ['hash', EVIL_HASHES[0]],
          ['path', '/tmp/x'],
        ],
      },
    ]);
  });

  it('answers retry when the LimaCharlie API keeps failing, and no retry when the JWT is refused', async () => {
    fake.failNext({ path: /\/rules\//, status: 500 });
    const failed = await client.send('org_install');
    expect(failed.body).toMatchObject({ success: false, retry: true });
    const refused = await client.send('org_install', { jwt: 'not-a-known-token' });
    expect(refused.body).toMatchObject({ success: false, retry: true });
    expect(JSON.stringify(refused.body)).not.toContain('not-a-known-token');
  });
});

describe('the sample app interactive flow', () => {
  let run: SampleRun;
  let fake: FakeLimaCharlie;
  let client: LcTestClient;
  let sid: string;
  let oid: string;

  beforeAll(async () => {
    run = await startSampleApp();
    ({ fake, client, oid } = run);
    sid = fake.addSensor(oid, { hostname: 'web-1' }).sid;
  });
  afterAll(() => run.stop());

  it('installs the interactive rule, tasks os_packages with a job, and reports the reply in it', async () => {
    await client.send('org_install');
    expect(Object.keys(fake.getRules(oid, 'managed'))).toEqual(['svc-sample-hash-checker-ex']);
    const asked = await client.send('command', { data: { command_name: 'audit-packages', sid } });
    expect(asked.body.success).toBe(true);
    const jobId = (asked.body.data as { jobId: string }).jobId;
    expect(asked.body.jobs).toEqual([
      expect.objectContaining({ id: jobId, cause: `package audit of ${sid}`, sid: [sid] }),
    ]);
    const [task] = fake.tasks;
    expect(task.tasks).toEqual(['os_packages']);

    const routing = { sid, investigation_id: task.investigationId, event_type: 'OS_PACKAGES_REP' };
    const reply = await client.send('detection', {
      data: {
        cat: '__svc-sample-hash-checker-ex',
        routing,
        detect: { routing, event: { PACKAGES: [{ name: 'bash', version: '5.2' }] } },
      },
    });
    expect(reply.body.success).toBe(true);
    const [job] = reply.body.jobs as {
      id: string;
      end: number;
      hist: { msg: string; attachments: unknown[] }[];
    }[];
    expect(job.id).toBe(jobId);
    expect(job.end).toEqual(expect.any(Number));
    expect(job.hist[0].msg).toMatch(new RegExp(`^${sid} reported 1 packages \\(asked \\d{4}-`));
    expect(job.hist[0].attachments).toEqual([
      {
        att_type: 'table',
        caption: 'packages',
        headers: ['name', 'version'],
        rows: [['bash', '5.2']],
      },
    ]);
  });
});
