import { Injectable } from '@nestjs/common';
import { LcClient, LcHandler, LcSid, LimaCharlieClient } from 'nestjs-lc-service';
import { LcDispatcher } from '../../src/dispatch/lc-dispatcher.js';
import type { LcWireResponse } from '../../src/protocol/service/response.js';
import { FakeLimaCharlie, type LcTestReply } from 'nestjs-lc-service/testing';
import { startLcApp, type LcTestApp } from '../helpers/lc-app.js';

/**
 * Per-attempt timeout: long enough that a healthy call on a busy 2-core machine never hits it,
 * since a timed-out healthy attempt would be retried and miscount the plan's attempts.
 */
const TIMEOUT_MS = 1500;
const MAX_ATTEMPTS = 3;
const CALLS = 180;
const CONCURRENCY = 30;
/** Enough for every plan to play out (3 attempts of 1.5 s plus backoff) before the deadline. */
const DEADLINE_S = 8;
/**
 * For the calls whose API call hangs past their deadline (3 attempts of 1.5 s would outlast it).
 * Long enough that the reply margin (a fifth of it) covers an event loop stalled by load.
 */
const SHORT_DEADLINE_S = 3;

@Injectable()
class TaggingHandlers {
  /** Each new sensor gets a tag: one LimaCharlie API call per protocol call. */
  @LcHandler('new_sensor')
  async welcome(@LcSid() sid: string, @LcClient() lc: LimaCharlieClient) {
    await lc.sensor(sid).tags.add('seen');
    return true;
  }
}

interface Plan {
  name: string;
  /** Queues the fault on the fake for this call's sensor. */
  inject(fake: FakeLimaCharlie, path: string): void;
  deadlineS: number;
  expected: Pick<LcWireResponse, 'success' | 'retry'>;
  /** How many API attempts the plan costs; unchecked when the deadline cuts them short. */
  attempts?: number;
}

const OK = { success: true };
const RETRY = { success: false, retry: true };

/** What LimaCharlie's API does to a call, and what the service must answer. */
const PLANS: Plan[] = [
  { name: 'healthy', inject: () => undefined, deadlineS: DEADLINE_S, expected: OK, attempts: 1 },
  ...[429, 504].map((status) => ({
    name: `${status} once, then healthy`,
    inject: (fake: FakeLimaCharlie, path: string) => fake.failNext({ path, status }),
    deadlineS: DEADLINE_S,
    expected: OK,
    attempts: 2,
  })),
  ...[429, 504].map((status) => ({
    name: `${status} on every attempt`,
    inject: (fake: FakeLimaCharlie, path: string) =>
      fake.failNext({ path, status, count: MAX_ATTEMPTS }),
    deadlineS: DEADLINE_S,
    expected: RETRY,
    attempts: MAX_ATTEMPTS,
  })),
  {
    name: '500 (not retried by the client)',
    inject: (fake, path) => fake.failNext({ path, status: 500 }),
    deadlineS: DEADLINE_S,
    expected: RETRY,
    attempts: 1,
  },
  {
    name: 'hangs once, then healthy',
    inject: (fake, path) => fake.hangNext({ path }),
    deadlineS: DEADLINE_S,
    expected: OK,
    attempts: 2,
  },
  {
    name: 'hangs on every attempt',
    inject: (fake, path) => fake.hangNext({ path, count: MAX_ATTEMPTS }),
    deadlineS: DEADLINE_S,
    expected: RETRY,
    attempts: MAX_ATTEMPTS,
  },
  {
    name: 'hangs past the deadline',
    inject: (fake, path) => fake.hangNext({ path, count: MAX_ATTEMPTS }),
    deadlineS: SHORT_DEADLINE_S,
    expected: RETRY,
  },
];

interface Outcome {
  plan: Plan;
  sid: string;
  deadlineMs: number;
  answeredMs: number;
  reply: LcTestReply;
}

describe('upstream faults under concurrent load', () => {
  const fake = new FakeLimaCharlie();
  let t: LcTestApp;
  let oid: string;
  let jwt: string;

  beforeAll(async () => {
    await fake.start();
    ({ oid, jwt } = fake.addOrg());
    t = await startLcApp({
      providers: [TaggingHandlers],
      options: {
        limaCharlie: {
          clientFactory: (orgId, token, signal) =>
            new LimaCharlieClient({
              oid: orgId,
              jwt: token,
              signal,
              apiUrl: fake.url,
              timeoutMs: TIMEOUT_MS,
              maxAttempts: MAX_ATTEMPTS,
              backoff: { baseMs: 20, maxMs: 50 },
            }),
        },
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('answers every call before its deadline with the right retry flag, and drains to 0 in progress', async () => {
    const calls = Array.from({ length: CALLS }, (_, i) => {
      const plan = PLANS[i % PLANS.length];
      const sid = fake.addSensor(oid, { hostname: `host-${i}` }).sid;
      plan.inject(fake, `${sid}/tags`);
      return { plan, sid };
    });
    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < calls.length) {
        const { plan, sid } = calls[next++];
        const deadline = Date.now() / 1000 + plan.deadlineS;
        const reply = await t.client.send('new_sensor', { data: { sid }, oid, jwt, deadline });
        outcomes.push({ plan, sid, deadlineMs: deadline * 1000, answeredMs: Date.now(), reply });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const wrong = outcomes
      .map(({ plan, sid, deadlineMs, answeredMs, reply }) => {
        const problems: string[] = [];
        if (reply.status !== 200) problems.push(`HTTP ${reply.status}`);
        if (answeredMs > deadlineMs) problems.push(`answered ${answeredMs - deadlineMs} ms late`);
        const { success, retry } = reply.body;
        if (success !== plan.expected.success || retry !== plan.expected.retry) {
          problems.push(`got ${JSON.stringify(reply.body)}`);
        }
        const attempts = fake.calls.filter((c) => c.path === `/v1/${sid}/tags`).length;
        if (plan.attempts !== undefined && attempts !== plan.attempts) {
          problems.push(`${attempts} API attempts`);
        }
        return problems.length === 0 ? undefined : `${plan.name}: ${problems.join(', ')}`;
      })
      .filter((p) => p !== undefined);
    expect(wrong).toEqual([]);
    expect(outcomes).toHaveLength(CALLS);

    // Handlers still unwinding after a deadline answer stay counted until they return.
    const dispatcher = t.app.get(LcDispatcher);
    const until = Date.now() + 2000;
    while (dispatcher.callsInProgress > 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(dispatcher.callsInProgress).toBe(0);
    const health = await t.client.send('health');
    expect(health.body.data).toMatchObject({ calls_in_progress: 1 });
  }, 60_000);

  it('answers a call whose API call hangs before the deadline, not at it', async () => {
    const sid = fake.addSensor(oid, { hostname: 'stuck' }).sid;
    fake.hangNext({ path: `${sid}/tags`, count: MAX_ATTEMPTS });
    const deadline = Date.now() / 1000 + SHORT_DEADLINE_S;
    const reply = await t.client.send('new_sensor', { data: { sid }, oid, jwt, deadline });
    expect(Date.now()).toBeLessThan(deadline * 1000);
    expect(reply.body).toEqual({
      success: false,
      retry: true,
      data: {},
      error: 'deadline exceeded',
    });
  });
});
