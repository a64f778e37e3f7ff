import { Injectable } from '@nestjs/common';
import {
  interactiveRule,
  Job,
  LcClient,
  LcEvent,
  LcHandler,
  LcJob,
  LcReq,
  lcResponse,
  LcSid,
  LcTaskCallback,
  LcTaskCtx,
  type LcRequest,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { FakeLimaCharlie, LcTestClient, type FakeTask } from 'nestjs-lc-service/testing';
import { InvestigationIdCodec } from '../../src/interactive/investigation-id.js';
import { SECRET, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

const SERVICE = 'pkg-audit';
const RULE = `svc-${SERVICE}-ex`;
const REPORT = `__${RULE}`;
const FAILED_AUTHENTICATION =
  'tracked-task id failed authentication: altered, or not from the org and sensor its task was sent to';

const replies: Record<string, unknown>[] = [];
const userCalls: string[] = [];

@Injectable()
class PackageAudit {
  @LcHandler('request')
  async audit(@LcReq() req: LcRequest, @LcClient() lc: LimaCharlieClient) {
    const sid = req.data.sid as string;
    const job = new Job();
    job.setCause(`package audit of ${sid}`);
    const callback = req.data.byName === true ? 'audit-packages' : this.onPackages;
    await lc
      .sensor(sid)
      .task('os_packages', { callback, job, ctx: req.data.ctx ?? { asked: 'packages' } });
    return lcResponse({ data: { jobId: job.getId() }, jobs: [job] });
  }

  @LcTaskCallback('audit-packages')
  onPackages(
    @LcEvent() event: { event?: { PACKAGES?: unknown[] } },
    @LcJob() job: Job | null,
    @LcTaskCtx() ctx: unknown,
    @LcSid() sid: string,
  ) {
    replies.push({
      via: 'decorators',
      packages: event.event?.PACKAGES?.length,
      jobId: job?.getId(),
      ctx,
      sid,
    });
    job?.narrate(`${event.event?.PACKAGES?.length ?? 0} packages`);
    job?.close();
    return lcResponse({ jobs: job === null ? [] : [job] });
  }

  @LcTaskCallback()
  riStyle(
    lc: LimaCharlieClient | null,
    oid: string,
    event: unknown,
    job: Job | null,
    ctx: unknown,
    request: LcRequest,
  ) {
    replies.push({
      via: 'ri',
      hasClient: lc !== null,
      oid,
      event,
      jobId: job?.getId(),
      ctx,
      reqOid: request.oid,
    });
    return true;
  }

  @LcHandler('org_install')
  install() {
    userCalls.push('org_install');
    return lcResponse({ data: { user: 'install' } });
  }

  @LcHandler('detection')
  other(@LcReq() req: LcRequest) {
    replies.push({ via: 'user-detection', cat: req.data.cat });
    return true;
  }
}

/** What LimaCharlie sends back when the interactive rule reports a sensor's reply to a task. */
function replyDetection(
  task: FakeTask,
  investigationId = task.investigationId!,
): Record<string, unknown> {
  const routing = {
    sid: task.sid,
    investigation_id: investigationId,
    event_type: 'OS_PACKAGES_REP',
  };
  return {
    cat: REPORT,
    routing,
    detect: { routing, event: { PACKAGES: [{ name: 'bash' }, { name: 'curl' }] } },
  };
}

describe('interactive services', () => {
  const fake = new FakeLimaCharlie();
  let tasker: LcTestApp;
  let receiver: LcTestApp;
  let oid: string;
  let sid: string;
  let a: LcTestClient;
  let b: LcTestClient;
  const tasks: FakeTask[] = [];

  beforeAll(async () => {
    await fake.start();
    const org = fake.addOrg();
    oid = org.oid;
    sid = fake.addSensor(oid, { hostname: 'web-1' }).sid;
    fake.onTask((task) => tasks.push(task));
    const options = { serviceName: SERVICE, interactive: true, limaCharlie: { apiUrl: fake.url } };
    // Two replicas, one per HTTP adapter: the task leaves from one, the reply lands on the other.
    tasker = await startLcApp({ options, providers: [PackageAudit] });
    receiver = await startLcApp({ adapter: 'express', options, providers: [PackageAudit] });
    a = new LcTestClient({ url: tasker.url, secret: SECRET, oid, jwt: org.jwt });
    b = new LcTestClient({ url: receiver.url, secret: SECRET, oid, jwt: org.jwt });
  });
  afterAll(async () => {
    await tasker.close();
    await receiver.close();
    await fake.stop();
  });
  beforeEach(() => {
    replies.length = 0;
    tasks.length = 0;
  });

  it('advertises the report subscription and the wrapped callbacks', async () => {
    const res = await a.send('health');
    expect(res.body.data).toMatchObject({
      mtd: {
        detect_subscriptions: [REPORT],
        callbacks: [
          'detection',
          'get_resource',
          'health',
          'org_install',
          'org_per_1h',
          'org_uninstall',
          'request',
        ],
      },
    });
  });

  it('pushes exactly the rule on install, after the user handler, which decides the answer', async () => {
    const res = await a.send('org_install');
    expect(res.body).toEqual({ success: true, data: { user: 'install' } });
    expect(userCalls).toEqual(['org_install']);
    const rule = fake.getRules(oid, 'managed')[RULE];
    expect(rule).toMatchObject({ name: RULE, namespace: 'managed', is_enabled: true });
    expect({ detect: rule.detect, respond: rule.respond }).toEqual({
      detect: {
        op: 'and',
        rules: [
          { op: 'starts with', path: 'routing/investigation_id', value: `${RULE}/` },
          { op: 'is', not: true, path: 'routing/event_type', value: 'CLOUD_NOTIFICATION' },
        ],
      },
      respond: [{ action: 'report', name: REPORT }],
    });
    expect(interactiveRule(SERVICE).namespace).toBe('managed');
  });

  it('re-pushes hourly without writing when nothing changed, answering success without a user handler', async () => {
    const writes = () => fake.calls.filter((c) => c.method !== 'GET').length;
    const before = writes();
    const res = await a.send('org_per_1h');
    expect(res.body).toEqual({ success: true, data: {} });
    expect(writes()).toBe(before);
  });

  it('answers retry when the rule cannot be pushed, and says why', async () => {
    fake.putRule(oid, RULE, {
      namespace: 'managed',
      detect: { op: 'exists', path: 'x' },
      respond: [],
    });
    fake.failNext({ method: 'POST', path: /\/rules\//, status: 500 });
    const res = await a.send('org_per_1h');
    expect(res.body).toMatchObject({
      success: false,
      retry: true,
      error: expect.stringMatching(/^interactive rule push failed: /),
    });
    expect((await a.send('org_per_1h')).body.success).toBe(true);
  });

  it('routes a reply to the callback on another replica, with its job and ctx', async () => {
    const res = await a.send('request', { data: { sid, ctx: { asked: 'packages', n: 1 } } });
    expect(res.body.success).toBe(true);
    const jobId = (res.body.data as { jobId: string }).jobId;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ sid, tasks: ['os_packages'] });
    const id = tasks[0].investigationId!;
    expect(id.startsWith(`${RULE}/audit-packages/${jobId}/`)).toBe(true);

    const reply = await b.send('detection', { data: replyDetection(tasks[0]) });
    expect(reply.body).toMatchObject({
      success: true,
      jobs: [{ id: jobId, hist: [{ msg: '2 packages' }], end: expect.any(Number) }],
    });
    expect(reply.body.jobs![0]).not.toHaveProperty('start');
    expect(replies).toEqual([
      { via: 'decorators', packages: 2, jobId, ctx: { asked: 'packages', n: 1 }, sid },
    ]);
  });

  it('takes a callback by name, and calls RI-style callbacks (lc, oid, event, job, ctx, request)', async () => {
    await a.send('request', { data: { sid, byName: true } });
    await b.send('detection', { data: replyDetection(tasks[0]) });
    expect(replies[0]).toMatchObject({ via: 'decorators', ctx: { asked: 'packages' } });

    const codec = new InvestigationIdCodec(SERVICE, [SECRET], 60);
    const id = codec.encode({ callback: 'PackageAudit.riStyle', ctx: 'plain' }, { oid, sid });
    const res = await b.send('detection', {
      data: replyDetection({ ...tasks[0], investigationId: id }),
    });
    expect(res.body).toEqual({ success: true, data: {} });
    expect(replies[1]).toMatchObject({
      via: 'ri',
      hasClient: true,
      oid,
      jobId: undefined,
      ctx: 'plain',
      reqOid: oid,
    });
  });

  it('refuses any altered id, a replay under another callback, an unknown callback, and never calls back', async () => {
    await a.send('request', { data: { sid } });
    const id = tasks[0].investigationId!;
    const refused = async (investigationId: string) => {
      const res = await b.send('detection', { data: replyDetection(tasks[0], investigationId) });
      expect(res.body).toMatchObject({ success: false, retry: false });
      return res.body.error;
    };
    const prefixLength = `${RULE}/`.length;
    for (let i = prefixLength; i < id.length; i++) {
      const c = id[i] === 'A' ? 'B' : 'A';
      await refused(id.slice(0, i) + c + id.slice(i + 1));
    }
    expect(await refused(id.replace('/audit-packages/', '/PackageAudit.riStyle/'))).toBe(
      FAILED_AUTHENTICATION,
    );
    expect(await refused(`${id}x`)).toMatch(/malformed|authentication/);
    expect(await refused(id.split('/').slice(0, 3).join('/'))).toBe('malformed tracked-task id');
    const target = { oid, sid };
    const forgedUnknown = new InvestigationIdCodec(SERVICE, [SECRET], 60).encode(
      { callback: 'nope' },
      target,
    );
    expect(await refused(forgedUnknown)).toBe("unknown task callback 'nope'");
    const otherSecret = new InvestigationIdCodec(SERVICE, ['another-secret'], 60).encode(
      { callback: 'audit-packages' },
      target,
    );
    expect(await refused(otherSecret)).toBe(FAILED_AUTHENTICATION);
    const noId = await b.send('detection', { data: { cat: REPORT, detect: {} } });
    expect(noId.body).toMatchObject({
      success: false,
      retry: false,
      error: 'a report of the interactive rule without a tracked-task id',
    });
    expect(replies).toEqual([]);
  });

  it('leaves other detections, and ids of services whose name extends ours, to the user handler', async () => {
    await b.send('detection', { data: { cat: 'something' } });
    await b.send('detection', {
      data: { cat: 'x', routing: { investigation_id: `svc-${SERVICE}-extra-ex/a/b/c/d` } },
    });
    expect(replies).toEqual([
      { via: 'user-detection', cat: 'something' },
      { via: 'user-detection', cat: 'x' },
    ]);
  });

  it('refuses an oversized ctx when tasking, with a clear error', async () => {
    const res = await a.send('request', { data: { sid, ctx: { blob: 'x'.repeat(600) } } });
    expect(res.body).toMatchObject({
      success: false,
      error: expect.stringMatching(/ctx is \d+ bytes of JSON; at most 512/),
    });
    expect(tasks).toEqual([]);
  });

  it('removes the rule on uninstall, and succeeds when it is already gone', async () => {
    const res = await a.send('org_uninstall');
    expect(res.body).toEqual({ success: true, data: {} });
    expect(fake.getRules(oid, 'managed')).toEqual({});
    expect((await b.send('org_uninstall')).body).toEqual({ success: true, data: {} });
  });
});

describe('interactive boot errors', () => {
  @Injectable()
  class Callback {
    @LcTaskCallback('dup')
    one() {
      return true;
    }
  }
  @Injectable()
  class SameName {
    @LcTaskCallback('dup')
    two() {
      return true;
    }
  }
  @Injectable()
  class BadName {
    @LcTaskCallback('has space')
    three() {
      return true;
    }
  }

  it.each([
    [
      { interactive: false },
      [Callback],
      /Callback\.one is an @LcTaskCallback, but option 'interactive' is off/,
    ],
    [
      { interactive: true },
      [Callback, SameName],
      /two task callbacks are named 'dup': Callback\.one and SameName\.two/,
    ],
    [
      { interactive: true },
      [BadName],
      /@LcTaskCallback on BadName\.three: the name "has space" must be/,
    ],
    [
      { interactive: true, secret: undefined, allowUnsigned: true },
      [],
      /option 'interactive' needs 'secret'/,
    ],
    [
      { interactive: { ttlMs: 60_000 } as never },
      [],
      /option 'interactive' has no key 'ttlMs'; the only one is ttlSeconds/,
    ],
    [
      { interactive: { ttlSeconds: 0 } },
      [],
      /option 'interactive\.ttlSeconds' must be a positive integer number of seconds, got 0/,
    ],
    [
      { interactive: 'yes' as never },
      [],
      /option 'interactive' must be true, false or \{ ttlSeconds \}, got yes/,
    ],
  ])('%j', async (options, providers, message) => {
    await expect(startLcApp({ options, providers })).rejects.toThrow(message);
  });

  it('explains that tracked tasking needs interactive', async () => {
    const fake = new FakeLimaCharlie();
    await fake.start();
    const org = fake.addOrg();
    const sid = fake.addSensor(org.oid, { hostname: 'h' }).sid;
    @Injectable()
    class Tasker {
      @LcHandler('request')
      async go(@LcClient() lc: LimaCharlieClient) {
        await lc.sensor(sid).task('os_packages', { callback: 'x' });
        return true;
      }
    }
    const t = await startLcApp({
      options: { limaCharlie: { apiUrl: fake.url } },
      providers: [Tasker],
    });
    try {
      const client = new LcTestClient({ url: t.url, secret: SECRET, oid: org.oid, jwt: org.jwt });
      const res = await client.send('request');
      expect(res.body.error).toMatch(
        /a `callback` needs an interactive service: LcServiceModule\.forRoot\(\{ interactive: true/,
      );
    } finally {
      await t.close();
      await fake.stop();
    }
  });
});
