import { Injectable } from '@nestjs/common';
import { LcCron } from 'nestjs-lc-service';
import { startLcApp, type LcTestApp } from '../helpers/lc-app.js';

/** Held until the suite ends, so the handlers are still running at their deadlines. */
let release!: () => void;
const held = new Promise<void>((resolve) => (release = resolve));

@Injectable()
class Hangs {
  @LcCron('org_per_1h')
  async hourly() {
    await held;
    return true;
  }
}

/** The dispatcher's deadline logic is adapter-independent: Fastify only. */
describe('deadlines of concurrent calls behind one timer', () => {
  let t: LcTestApp;
  beforeAll(async () => {
    t = await startLcApp({ providers: [Hangs] });
  });
  afterAll(async () => {
    release();
    await t.close();
  });

  it('answers each hanging call before its own deadline, in deadline order', async () => {
    const sent = Date.now();
    const order: number[] = [];
    // Reply margins of 0.5 to 0.8 s leave a busy machine room to answer before each deadline,
    // and the answers fall 0.6 s apart, so their order is the deadlines' order, not chance.
    const calls = [4, 2.5, 3.25].map(async (inSeconds) => {
      const deadlineMs = sent + inSeconds * 1000;
      const res = await t.client.send('org_per_1h', { deadline: deadlineMs / 1000 });
      const answered = Date.now();
      order.push(inSeconds);
      return { inSeconds, deadlineMs, answered, body: res.body };
    });
    for (const { inSeconds, deadlineMs, answered, body } of await Promise.all(calls)) {
      expect(body).toEqual({ success: false, retry: true, data: {}, error: 'deadline exceeded' });
      // The reply is due a fifth of the time left before the deadline (at most a second).
      const margin = Math.min(1000, (inSeconds * 1000) / 5);
      expect(answered).toBeLessThan(deadlineMs);
      expect(answered).toBeGreaterThanOrEqual(deadlineMs - margin - 100);
    }
    expect(order).toEqual([2.5, 3.25, 4]);
  });
});
