import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LcTestClient, type LcTestReply } from 'nestjs-lc-service/testing';
import { distFile } from '../helpers/dist.js';
import { ADAPTERS } from '../helpers/lc-app.js';

const SECRET = 'drain-secret';
const CALLS = 5;
const CALL_MS = 700;

interface Running {
  child: ChildProcess;
  url: string;
  events: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(name: string, count?: number): Promise<void>;
}

/** Starts the compiled fixture app and follows the EVENT lines it prints. */
async function startDrainApp(adapter: string): Promise<Running> {
  const child = spawn(process.execPath, [distFile('test/fixtures/drain-app/main.js')], {
    env: { ...process.env, ADAPTER: adapter, LC_SHARED_SECRET: SECRET, GRACE_MS: '5000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: string[] = [];
  const waiters: (() => void)[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('EVENT ')) return;
    events.push(line.slice('EVENT '.length));
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const count = (name: string) => events.filter((e) => e.split(' ')[0] === name).length;
  const waitFor = async (name: string, wanted = 1): Promise<void> => {
    const started = Date.now();
    while (count(name) < wanted) {
      if (child.exitCode !== null || Date.now() - started > 15_000) {
        throw new Error(`no '${name}' event; events: ${events.join(', ')}; stderr: ${stderr}`);
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  await waitFor('listening');
  const url = events.find((e) => e.startsWith('listening '))!.slice('listening '.length);
  return { child, url, events, exited, waitFor };
}

describe.each(ADAPTERS)('SIGTERM with calls in flight (%s)', (adapter) => {
  let app: Running;
  afterEach(() => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  });

  it('answers every call in flight completely, refuses new ones with retry, then exits', async () => {
    app = await startDrainApp(adapter);
    const client = new LcTestClient({ url: app.url, secret: SECRET });
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);

    const inFlight: Promise<LcTestReply>[] = [];
    for (let n = 0; n < CALLS; n++) {
      inFlight.push(client.send('request', { data: { ms: CALL_MS, n } }));
    }
    await app.waitFor('call-start', CALLS);
    app.child.kill('SIGTERM');

    // While the calls drain: not ready, still alive, and new calls are told to retry.
    let readiness: Response | undefined;
    for (let i = 0; i < 50 && readiness?.status !== 503; i++) {
      readiness = await fetch(`${app.url}/readyz`);
      if (readiness.status !== 503) await new Promise((r) => setTimeout(r, 10));
    }
    expect(readiness!.status).toBe(503);
    expect(await readiness!.json()).toEqual({ status: 'draining' });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const late = await client.send('request', { data: { ms: 0, n: 99 } });
    expect(late.status).toBe(503);
    expect(late.body).toMatchObject({ success: false, retry: true });

    const replies = await Promise.all(inFlight);
    replies.forEach((reply, n) => {
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ success: true, data: { n } });
    });

    const { code, signal } = await app.exited;
    // Nest re-raises the signal once its shutdown hooks have run.
    expect(signal === 'SIGTERM' || code === 0).toBe(true);
    const order = app.events.map((e) => e.split(' ')[0]);
    const lastCallEnd = order.lastIndexOf('call-end');
    expect(order.filter((e) => e === 'call-end')).toHaveLength(CALLS);
    expect(app.events).not.toContain('call-start 99');
    // Users' own hooks (a pool closing) run after the calls that may need them.
    expect(order.indexOf('user-module-destroy')).toBeGreaterThan(lastCallEnd);
    expect(order.slice(lastCallEnd + 1)).toEqual([
      'user-module-destroy',
      'user-before-shutdown',
      'user-shutdown',
    ]);
  });
});
