import {
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { isLcContext, LcData, LcHandler } from 'nestjs-lc-service';
import { ADAPTERS, CapturingLogger, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

const finished: number[] = [];
/** Handlers that have started, so a test can close the app once one is really in flight. */
let started: () => void = () => undefined;
/** Lets go of the call a test holds in flight with `data.hold`, however long its checks take. */
let release: () => void = () => undefined;
@Injectable()
class Handlers {
  @LcHandler('request')
  async slow(@LcData('hold') hold: boolean | undefined) {
    started();
    if (hold === true) await new Promise<void>((resolve) => (release = resolve));
    finished.push(Date.now());
    return true;
  }
}

/** An app-wide guard that refuses every HTTP request: probes must not depend on it. */
@Injectable()
class DenyHttp implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    return isLcContext(ctx);
  }
}

const destroyed: number[] = [];
@Injectable()
class Pool implements OnModuleDestroy {
  onModuleDestroy(): void {
    destroyed.push(Date.now());
  }
}

async function get(
  t: LcTestApp,
  path: string,
): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(`${t.url}${path}`);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

describe.each(ADAPTERS)('probes (%s)', (adapter) => {
  it('answers liveness and readiness unsigned, outside guards and prefixes, revealing nothing', async () => {
    const t = await startLcApp({
      adapter,
      providers: [Handlers, { provide: APP_GUARD, useClass: DenyHttp }],
      configure: (app) => app.setGlobalPrefix('api'),
    });
    try {
      for (const [path, body] of [
        ['/healthz', '{"status":"ok"}'],
        ['/readyz', '{"status":"ready"}'],
      ]) {
        const res = await get(t, path);
        expect(res.status).toBe(200);
        expect(res.body).toBe(body);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
      expect((await t.client.send('request', { data: {} })).body.success).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('takes other paths, or none', async () => {
    const moved = await startLcApp({
      adapter,
      options: { probes: { liveness: '/live', readiness: '/ready' } },
    });
    try {
      expect((await get(moved, '/live')).status).toBe(200);
      expect((await get(moved, '/ready')).status).toBe(200);
      expect((await get(moved, '/healthz')).status).toBe(404);
    } finally {
      await moved.close();
    }
    const none = await startLcApp({ adapter, options: { probes: false } });
    try {
      expect((await get(none, '/healthz')).status).toBe(404);
      expect((await get(none, '/readyz')).status).toBe(404);
    } finally {
      await none.close();
    }
  });

  it('drains on close: not ready, new calls told to retry, calls in flight finish first', async () => {
    destroyed.length = 0;
    finished.length = 0;
    const t = await startLcApp({ adapter, providers: [Handlers, Pool] });
    // Closed once the handler runs, not after a fixed time: a busy machine may deliver it late.
    const running = new Promise<void>((resolve) => (started = resolve));
    const inFlight = t.client.send('request', { data: { hold: true } });
    await running;
    const closing = t.close();
    await new Promise((resolve) => setTimeout(resolve, 20));

    const ready = await get(t, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toBe('{"status":"draining"}');
    expect((await get(t, '/healthz')).status).toBe(200);
    const late = await t.client.send('request', { data: {} });
    expect(late.status).toBe(503);
    expect(late.body).toEqual({
      success: false,
      retry: true,
      data: {},
      error: 'the service is shutting down; retry',
    });
    expect(destroyed).toEqual([]);

    release();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual({ success: true, data: {} });
    await closing;
    // Other providers' shutdown hooks (a pool closing) wait for the handler that may need them.
    expect(finished).toHaveLength(1);
    expect(destroyed).toHaveLength(1);
    expect(destroyed[0]).toBeGreaterThanOrEqual(finished[0]);
  });

  it('stops waiting at shutdownGraceMs and says so', async () => {
    const logger = new CapturingLogger();
    const t = await startLcApp({
      adapter,
      providers: [Handlers],
      options: { shutdownGraceMs: 100 },
      logger,
    });
    finished.length = 0;
    const running = new Promise<void>((resolve) => (started = resolve));
    // Settled as soon as the connection is cut, which happens while `close()` is awaited.
    const inFlight = t.client.send('request', { data: { hold: true } }).then(
      () => 'answered',
      () => 'cut',
    );
    await running;
    const closing = t.close();
    const gaveUp = /1 call\(s\) still in progress when shutdownGraceMs \(100 ms\) ran out/;
    for (let tries = 0; !gaveUp.test(logger.lines.join('\n')); tries++) {
      if (tries > 200) throw new Error('the drain never gave up on the held call');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The drain gave up while the call was still held, so it did not wait for the call, and
    // neither does the server's close: the held call's connection is cut, and LimaCharlie,
    // which got no answer, delivers the call again (to another replica).
    expect(finished).toEqual([]);
    await closing;
    expect(finished).toEqual([]);
    expect(await inFlight).toBe('cut');
    release();
  });
});

describe('probe options', () => {
  it.each([
    [
      { probes: { liveness: 'healthz' } },
      /option 'probes.liveness' must be an absolute route path/,
    ],
    [
      { probes: { liveness: '/x', readiness: '/x' } },
      /option 'probes' liveness and readiness need different paths/,
    ],
    [{ probes: 'yes' }, /option 'probes' must be false or/],
    [
      { probes: {}, metrics: { path: '/readyz' } },
      /option 'metrics.path' '\/readyz' is already a probe route/,
    ],
  ])('rejects %j at boot', async (options, message) => {
    await expect(startLcApp({ options: options as never })).rejects.toThrow(message);
  });
});
