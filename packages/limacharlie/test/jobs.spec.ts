import { LcApiError } from '../src/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const SID = '7d6e6a0f-2a8b-4c1e-9f0d-3b5a1c2d4e6f';

describe('Jobs (limacharlie/sdk/jobs.py)', () => {
  const fake = useFakeLimaCharlie();

  it('jobs.list sends what limacharlie/sdk/jobs.py Jobs.list (Organization.get_jobs) sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const a = fake().addJob(oid, { jobId: 'job-a', sid: SID, start: 1_700_000_100 });
    fake().addJob(oid, { jobId: 'job-b', start: 1_700_000_200 });
    fake().addJob(oid, { jobId: 'job-old', sid: SID, start: 1_600_000_000 });

    const jobs = await lc.jobs.list({
      start: 1_700_000_000,
      end: 1_700_000_500,
      limit: 10,
      sid: SID,
    });

    const call = lastCall(fake());
    expect(call).toMatchObject({ method: 'GET', path: `/v1/job/${oid}`, body: '' });
    expect(Object.entries(call.query)).toEqual([
      ['is_compressed', 'true'],
      ['with_data', 'false'],
      ['start', '1700000000'],
      ['end', '1700000500'],
      ['limit', '10'],
      ['sid', SID],
    ]);
    expect(jobs).toEqual([a]);
  });

  it('jobs.list defaults to the last 24 hours and decodes an empty answer to []', async () => {
    const { lc, oid } = newOrgClient(fake());
    const before = Math.trunc(Date.now() / 1000);

    await expect(lc.jobs.list()).resolves.toEqual([]);

    const { query } = lastCall(fake());
    expect(Object.keys(query)).toEqual(['is_compressed', 'with_data', 'start', 'end']);
    const end = Number(query.end);
    expect(end).toBeGreaterThanOrEqual(before);
    expect(Number(query.start)).toBe(end - 86_400);

    const recent = fake().addJob(oid, { jobId: 'now' });
    await expect(lc.jobs.list()).resolves.toEqual([recent]);
  });

  it('jobs.get sends what limacharlie/sdk/jobs.py Jobs.get sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addJob(oid, { jobId: 'j/1', sid: SID, extra: { hits: 3 } });

    const job = await lc.jobs.get('j/1');

    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/job/${oid}/j%2F1`,
      body: '',
    });
    expect(job).toMatchObject({ job_id: 'j/1', sid: SID, is_done: true, hits: 3 });
    const missing = await rejectionOf(lc.jobs.get('nope'));
    expect(missing).toBeInstanceOf(LcApiError);
    expect(missing).toMatchObject({ status: 404 });
  });

  it('jobs.delete sends what limacharlie/sdk/jobs.py Jobs.delete sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addJob(oid, { jobId: 'gone' });

    await lc.jobs.delete('gone');

    expect(lastCall(fake())).toMatchObject({
      method: 'DELETE',
      path: `/v1/job/${oid}/gone`,
      body: '',
    });
    expect(fake().getJob(oid, 'gone')).toBeUndefined();
  });

  it('jobs.wait polls Jobs.get (limacharlie/sdk/jobs.py Jobs.wait) until the job is done', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addJob(oid, { jobId: 'slow', pendingReads: 3 });

    const job = await lc.jobs.wait('slow', { pollIntervalMs: 10, timeoutMs: 60_000 });

    expect(job).toMatchObject({ job_id: 'slow', is_done: true });
    const polls = fake().calls.filter((c) => c.path === `/v1/job/${oid}/slow`);
    expect(polls).toHaveLength(3);
    expect(polls.every((c) => c.method === 'GET')).toBe(true);
  });

  it('jobs.wait returns the running job once its timeout passes, as the SDK does', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addJob(oid, { jobId: 'stuck', pendingReads: 1_000_000 });

    // Room for several polls even when each one is slow on a busy machine.
    const job = await lc.jobs.wait('stuck', { pollIntervalMs: 20, timeoutMs: 1000 });

    expect(job).toMatchObject({ job_id: 'stuck', is_done: false });
    const polls = fake().calls.filter((c) => c.path === `/v1/job/${oid}/stuck`).length;
    expect(polls).toBeGreaterThanOrEqual(2);
  });

  it('a deadline that passes while jobs.wait sleeps ends it with a deadline error', async () => {
    const deadline = new AbortController();
    const { lc, oid } = newOrgClient(fake(), { signal: deadline.signal });
    fake().addJob(oid, { jobId: 'long', pendingReads: 1_000_000 });
    setTimeout(() => deadline.abort(), 50);

    const err = await rejectionOf(lc.jobs.wait('long', { pollIntervalMs: 60_000 }));

    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ kind: 'deadline' });
    expect(fake().calls.filter((c) => c.path === `/v1/job/${oid}/long`)).toHaveLength(1);
  });

  it('jobs calls are counted under their own operation names and retried on 503', async () => {
    const { lc, oid, events } = newOrgClient(fake());
    fake().addJob(oid, { jobId: 'x' });
    fake().failNext({ path: `/v1/job/${oid}/x`, status: 503 });

    await lc.jobs.get('x');

    expect(events.map((e) => [e.operation, e.status])).toEqual([
      ['jobs.get', 503],
      ['jobs.get', 200],
    ]);
  });
});
