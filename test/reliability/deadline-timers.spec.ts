import { Agent } from 'node:http';
import { post } from './http-send.js';
import { signedWork, startLoadApp, type LoadApp } from './load-app/launch.js';

const CALLS = 2000;
const CONCURRENCY = 16;

/**
 * Each distinct timer duration gets its own list in Node's timer wheel, and an unref'd timer
 * cleared the plain way left its list behind until that duration had passed: when every call
 * armed a timer for its own deadline, that was one list per call with LimaCharlie's ~10 minute
 * deadlines (the heap grew by ~3 MB per 100,000 calls in the benchmark's soak). Calls now share
 * one timer (LcDeadlineWatch); this keeps either mistake from coming back.
 */
describe('deadline timers', () => {
  let app: LoadApp | undefined;
  afterEach(() => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  });

  it('leave no timer list behind once their call is answered', async () => {
    app = await startLoadApp('fastify');
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    let next = 0;
    let failed = 0;
    const worker = async (): Promise<void> => {
      while (next < CALLS) {
        const id = next++;
        // A distinct time left on each call, as calls arriving over time have.
        const deadline = Date.now() / 1000 + 600 + id / 100;
        const { headers, body } = signedWork(id, 0, deadline);
        if ((await post(agent, app!.url, headers, body)).status !== 200) failed++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    expect(failed).toBe(0);

    const counted = app.next('timer-lists');
    app.child.kill('SIGWINCH');
    // A handful serve the app's own timers (keep-alive, date header); none per call.
    expect(Number(await counted)).toBeLessThan(50);
  });
});
