import { jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import {
  Job,
  LcClient,
  LcHandler,
  LcJob,
  LcOid,
  LcReq,
  lcResponse,
  LcSid,
  LcTaskCallback,
  LcTaskCtx,
  type LcRequest,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { FakeLimaCharlie, LcTestClient, type FakeTask } from 'nestjs-lc-service/testing';
import { SECRET, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

const SERVICE = 'pkg-audit';
const REPORT = `__svc-${SERVICE}-ex`;
const DAY_MS = 24 * 3600 * 1000;

const calls: Record<string, unknown>[] = [];

@Injectable()
class Tasker {
  @LcHandler('request')
  async task(@LcReq() req: LcRequest, @LcClient() lc: LimaCharlieClient) {
    const job = new Job();
    await lc
      .sensor(req.data.sid as string)
      .task('os_packages', { callback: this.onReply, job, ctx: { secret: 'org A only' } });
    return lcResponse({ data: { jobId: job.getId() } });
  }

  @LcTaskCallback('reply')
  onReply(
    @LcOid() oid: string,
    @LcSid() sid: string,
    @LcJob() job: Job | null,
    @LcTaskCtx() ctx: unknown,
  ) {
    calls.push({ oid, sid, jobId: job?.getId(), ctx });
    return true;
  }
}

/** The detection LimaCharlie sends when a sensor's event carries `investigationId`. */
function reply(sid: string, investigationId: string): Record<string, unknown> {
  const routing = { sid, investigation_id: investigationId, event_type: 'OS_PACKAGES_REP' };
  return { cat: REPORT, routing, detect: { routing, event: { PACKAGES: [] } } };
}

describe('tracked-task ids are bound to their org and sensor, and expire', () => {
  const fake = new FakeLimaCharlie();
  const tasks: FakeTask[] = [];
  let app: LcTestApp;
  let orgA: { oid: string; jwt: string };
  let orgB: { oid: string; jwt: string };
  let sidA: string;
  let otherSidA: string;
  let sidB: string;

  /** Tasks `sid` in org A through a real `request`, returning the id LimaCharlie received. */
  async function taskInA(target: LcTestApp, sid = sidA): Promise<{ id: string; jobId: string }> {
    tasks.length = 0;
    const client = new LcTestClient({ url: target.url, secret: SECRET, ...orgA });
    const res = await client.send('request', { data: { sid } });
    expect(res.body.success).toBe(true);
    expect(tasks).toHaveLength(1);
    return { id: tasks[0].investigationId!, jobId: (res.body.data as { jobId: string }).jobId };
  }

  function detection(
    target: LcTestApp,
    org: { oid: string; jwt: string },
    sid: string,
    id: string,
  ) {
    const client = new LcTestClient({ url: target.url, secret: SECRET, ...org });
    return client.send('detection', { data: reply(sid, id) });
  }

  beforeAll(async () => {
    await fake.start();
    orgA = fake.addOrg();
    orgB = fake.addOrg();
    sidA = fake.addSensor(orgA.oid, { hostname: 'a-1' }).sid;
    otherSidA = fake.addSensor(orgA.oid, { hostname: 'a-2' }).sid;
    sidB = fake.addSensor(orgB.oid, { hostname: 'b-1' }).sid;
    fake.onTask((task) => tasks.push(task));
    app = await boot(true);
  });
  afterAll(async () => {
    await app?.close();
    await fake.stop();
  });

  function boot(interactive: true | { ttlSeconds: number }): Promise<LcTestApp> {
    const options = { serviceName: SERVICE, interactive, limaCharlie: { apiUrl: fake.url } };
    return startLcApp({ options, providers: [Tasker] });
  }
  beforeEach(() => {
    calls.length = 0;
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('refuses an id minted in org A and carried into a detection for org B', async () => {
    const { id } = await taskInA(app);
    // Org B's user re-tasks one of org B's sensors with the id seen in org A's events.
    for (const sid of [sidB, sidA]) {
      const res = await detection(app, orgB, sid, id);
      expect(res.body).toEqual({
        success: false,
        retry: false,
        data: {},
        error:
          'tracked-task id failed authentication: altered, or not from the org and sensor its task was sent to',
      });
    }
    expect(calls).toEqual([]);
  });

  it('refuses the id in a reply of another sensor of the same org', async () => {
    const { id } = await taskInA(app);
    const res = await detection(app, orgA, otherSidA, id);
    expect(res.body).toMatchObject({
      success: false,
      retry: false,
      error: expect.stringMatching(/^tracked-task id failed authentication/),
    });
    expect(calls).toEqual([]);
  });

  it('runs the callback for each reply of the tasked sensor, whatever the case of its sid', async () => {
    const { id, jobId } = await taskInA(app);
    expect(id).toMatch(new RegExp(`^svc-${SERVICE}-ex/reply/${jobId}/[\\w-]+/[0-9a-z]{6,7}/`));
    for (const sid of [sidA, sidA, sidA.toUpperCase()]) {
      expect((await detection(app, orgA, sid, id)).body).toEqual({ success: true, data: {} });
    }
    const expected = { oid: orgA.oid, jobId, ctx: { secret: 'org A only' } };
    expect(calls).toEqual([
      { ...expected, sid: sidA },
      { ...expected, sid: sidA },
      { ...expected, sid: sidA.toUpperCase() },
    ]);
  });

  it('accepts an id for 3 days by default, then refuses it and says it expired', async () => {
    const { id } = await taskInA(app);
    const now = Date.now();
    const at = jest.spyOn(Date, 'now');
    at.mockReturnValue(now + 3 * DAY_MS - 60_000);
    expect((await detection(app, orgA, sidA, id)).body.success).toBe(true);
    at.mockReturnValue(now + 3 * DAY_MS + 60_000);
    const res = await detection(app, orgA, sidA, id);
    expect(res.body).toMatchObject({
      success: false,
      retry: false,
      error: expect.stringMatching(
        /^tracked-task id expired: its task was sent \d+ s ago, more than interactive\.ttlSeconds \(259200\)$/,
      ),
    });
    expect(calls).toHaveLength(1);
  });

  it('takes the lifetime from interactive.ttlSeconds', async () => {
    const shortLived = await boot({ ttlSeconds: 60 });
    try {
      const { id } = await taskInA(shortLived);
      const now = Date.now();
      const at = jest.spyOn(Date, 'now');
      at.mockReturnValue(now + 30_000);
      expect((await detection(shortLived, orgA, sidA, id)).body.success).toBe(true);
      at.mockReturnValue(now + 90_000);
      expect((await detection(shortLived, orgA, sidA, id)).body.error).toMatch(
        /^tracked-task id expired: .*interactive\.ttlSeconds \(60\)$/,
      );
      expect(calls).toHaveLength(1);
    } finally {
      await shortLived.close();
    }
  });
});
