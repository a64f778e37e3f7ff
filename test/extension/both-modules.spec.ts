import {
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD, ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ExpressAdapter } from '@nestjs/platform-express';
import {
  getLcExtRequest,
  getLcRequest,
  isLcContext,
  isLcExtContext,
  LcAction,
  LcClient,
  LcConfigError,
  LcData,
  LcExtensionEvent,
  LcExtensionModule,
  LcHandler,
  LcIdempotent,
  LcReq,
  LcServiceModule,
  type LcExtRequest,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { FakeLimaCharlie, LcExtTestClient, LcTestClient } from 'nestjs-lc-service/testing';
import { Registry } from 'prom-client';
import { EXT_SECRET } from './helpers.js';

const SVC_SECRET = 'svc-secret';

@Injectable()
class Both {
  @LcHandler('org_install')
  install() {
    return true;
  }

  @LcAction('echo')
  echo(@LcData() data: Record<string, unknown>) {
    return data;
  }
}

describe.each(['fastify', 'express'] as const)(
  'LcServiceModule and LcExtensionModule in one app (%s)',
  (adapter) => {
    it('serves both protocols on their paths, with one set of probes and metrics per module', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          LcServiceModule.forRoot({ serviceName: 'svc', secret: SVC_SECRET, path: '/svc' }),
          LcExtensionModule.forRootAsync({
            useFactory: () => ({
              name: 'ext',
              secret: EXT_SECRET,
              path: '/ext',
              metrics: { path: '/ext-metrics' },
            }),
          }),
        ],
        providers: [Both],
      }).compile();
      const app = moduleRef.createNestApplication(
        adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
        { logger: false },
      );
      await app.listen(0, '127.0.0.1');
      try {
        const url = await app.getUrl();
        const svc = new LcTestClient({ url, secret: SVC_SECRET, path: '/svc' });
        const ext = new LcExtTestClient({ url, secret: EXT_SECRET, path: '/ext' });
        expect((await svc.send('org_install')).body).toEqual({ success: true, data: {} });
        const echoed = await ext.request('echo', { a: 1 });
        expect(echoed).toMatchObject({ status: 200, body: { data: { a: 1 } } });
        // Each path verifies its own protocol's signature only.
        expect((await ext.sendRaw('{"heartbeat":{}}', { signature: 'ab'.repeat(32) })).status).toBe(
          401,
        );
        const crossed = new LcExtTestClient({ url, secret: EXT_SECRET, path: '/svc' });
        expect((await crossed.heartbeat()).status).toBe(401);

        const ready = await fetch(new URL('/readyz', url));
        expect(ready.status).toBe(200);
        const live = await fetch(new URL('/healthz', url));
        expect(live.status).toBe(200);

        const metrics = await (await fetch(new URL('/ext-metrics', url))).text();
        expect(metrics).toMatch(
          /lc_service_calls_total\{protocol="extension",etype="echo",outcome="success"\} 1/,
        );
        expect(metrics).toMatch(/etype="unknown",outcome="rejected-signature"/);
      } finally {
        await app.close();
      }
    });
  },
);

let counted = 0;
let guardSawLast: string | undefined;

/** One guard for the whole app: it reads whichever protocol's call it guards. */
@Injectable()
class AppGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    if (!isLcContext(ctx)) return true;
    const ident = isLcExtContext(ctx) ? getLcExtRequest(ctx).ident : getLcRequest(ctx).eventType;
    guardSawLast = ident;
    return ident !== 'intruder@example.com';
  }
}

@Injectable()
class ExtWork {
  @LcIdempotent()
  @LcAction('count')
  count() {
    counted++;
    return { counted };
  }

  @LcAction('who')
  who(@LcClient() lc: LimaCharlieClient) {
    return lc.whoAmI();
  }

  @LcAction('hang')
  hang(@LcReq() req: LcExtRequest) {
    return new Promise((resolve) => req.signal.addEventListener('abort', resolve));
  }
}

it("the extension's calls get the shared machinery next to a Service module: idempotency, guards, timeoutMs, the per-org client", async () => {
  const fake = new FakeLimaCharlie();
  await fake.start();
  const { oid, jwt } = fake.addOrg();
  const moduleRef = await Test.createTestingModule({
    imports: [
      LcServiceModule.forRoot({ serviceName: 'svc', secret: SVC_SECRET, path: '/svc' }),
      LcExtensionModule.forRoot({
        name: 'ext',
        secret: EXT_SECRET,
        path: '/ext',
        timeoutMs: 300,
        idempotency: true,
        limaCharlie: { apiUrl: fake.url },
      }),
    ],
    providers: [Both, ExtWork, { provide: APP_GUARD, useClass: AppGuard }],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  try {
    const url = await app.getUrl();
    const ext = new LcExtTestClient({ url, secret: EXT_SECRET, path: '/ext', oid, jwt });

    const first = await ext.request('count', {}, { idempotencyKey: 'redelivered' });
    const again = await ext.request('count', {}, { idempotencyKey: 'redelivered' });
    expect(first.body.data).toEqual({ counted: 1 });
    expect(again.body).toEqual(first.body);
    expect(counted).toBe(1);

    const refused = await ext.request('count', {}, { ident: 'intruder@example.com' });
    expect(refused.status).toBe(400);
    expect(guardSawLast).toBe('intruder@example.com');
    expect(counted).toBe(1);
    const svc = new LcTestClient({ url, secret: SVC_SECRET, path: '/svc' });
    expect((await svc.send('org_install')).body.success).toBe(true);
    expect(guardSawLast).toBe('org_install');

    const who = await ext.request('who', {});
    expect(who.status).toBe(200);
    expect(who.body.data).toMatchObject({ ident: expect.any(String) });

    const late = await ext.request('hang', {});
    expect(late.status).toBe(500);
    expect(late.body).toMatchObject({ retriable: true, error: expect.stringMatching(/timeoutMs/) });
  } finally {
    await app.close();
    await fake.stop();
  }
});

describe('one metrics registry for both modules', () => {
  it('shares it: one set of metrics, told apart by the protocol label, on one path', async () => {
    const registry = new Registry();
    const moduleRef = await Test.createTestingModule({
      imports: [
        LcServiceModule.forRoot({
          serviceName: 'svc',
          secret: SVC_SECRET,
          path: '/svc',
          metrics: { registry },
        }),
        LcExtensionModule.forRoot({
          name: 'ext',
          secret: EXT_SECRET,
          path: '/ext',
          metrics: { registry },
        }),
      ],
      providers: [Both],
    }).compile();
    const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const url = await app.getUrl();
      await new LcTestClient({ url, secret: SVC_SECRET, path: '/svc' }).send('org_install');
      await new LcExtTestClient({ url, secret: EXT_SECRET, path: '/ext' }).request('echo', {});
      const text = await (await fetch(new URL('/metrics', url))).text();
      expect(text).toMatch(
        /^lc_service_calls_total\{protocol="service",etype="org_install",outcome="success"\} 1$/m,
      );
      expect(text).toMatch(
        /^lc_service_calls_total\{protocol="extension",etype="echo",outcome="success"\} 1$/m,
      );
      expect(text).toMatch(/^lc_service_calls_in_flight\{protocol="service"\} 0$/m);
      expect(text).toMatch(/^lc_service_calls_in_flight\{protocol="extension"\} 0$/m);
      expect(text.match(/^# TYPE lc_service_calls_total /gm)).toHaveLength(1);
      expect(await registry.metrics()).toBe(text);
    } finally {
      await app.close();
    }
  });

  it('names the module whose metrics path another module already serves', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        LcServiceModule.forRoot({
          serviceName: 'svc',
          secret: SVC_SECRET,
          path: '/svc',
          metrics: true,
        }),
        LcExtensionModule.forRoot({ name: 'ext', secret: EXT_SECRET, path: '/ext', metrics: true }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    try {
      await expect(app.init()).rejects.toThrow(
        /^LcExtensionModule: GET '\/metrics' is already mounted.*or both the same 'metrics.registry'/,
      );
    } finally {
      await app.close();
    }
  });
});

it('readiness is shared: the app is not ready while either module drains', async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [
      LcServiceModule.forRoot({ serviceName: 'svc', secret: SVC_SECRET, path: '/svc' }),
      LcExtensionModule.forRoot({ name: 'ext', secret: EXT_SECRET, path: '/ext' }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const { LcRunState } = await import('../../src/call/lc-run-state.js');
  const { LcExtensionRules } = await import('../../src/dispatch/extension/lc-extension-rules.js');
  // The Extension module's own run state: the one in the module that holds its protocol.
  const extModule = [...app.get(ModulesContainer).values()].find((m) =>
    m.providers.has(LcExtensionRules),
  )!;
  const extState = extModule.providers.get(LcRunState)!.instance as InstanceType<typeof LcRunState>;
  extState.draining = true;
  try {
    const ready = await fetch(new URL('/readyz', url));
    expect(ready.status).toBe(503);
    const ext = new LcExtTestClient({ url, secret: EXT_SECRET, path: '/ext' });
    const refused = await ext.heartbeat();
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ retriable: true });
  } finally {
    extState.draining = false;
    await app.close();
  }
});

describe('LcExtensionModule boot errors', () => {
  async function boot(imports: unknown[], providers: unknown[] = []): Promise<unknown> {
    let app: INestApplication | undefined;
    try {
      const moduleRef = await Test.createTestingModule({
        imports: imports as never[],
        providers: providers as never[],
      }).compile();
      app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
      await app.init();
      return undefined;
    } catch (err) {
      return err;
    } finally {
      await app?.close();
    }
  }

  it('names a missing secret', async () => {
    const err = await boot([LcExtensionModule.forRoot({ name: 'ext', secret: undefined })]);
    expect(err).toBeInstanceOf(LcConfigError);
    expect((err as Error).message).toMatch(/^LcExtensionModule: option 'secret' is required/);
  });

  it('names an unknown event and a duplicate action', async () => {
    @Injectable()
    class BadEvent {
      @LcExtensionEvent('install' as never)
      on() {}
    }
    const err = await boot([LcExtensionModule.forRoot({ name: 'ext', secret: 's' })], [BadEvent]);
    expect((err as Error).message).toMatch(
      /@LcExtensionEvent\('install'\) on BadEvent\.on: unknown event 'install'/,
    );
    @Injectable()
    class Twice {
      @LcAction('a')
      one() {}
      @LcAction('a')
      two() {}
    }
    const dup = await boot([LcExtensionModule.forRoot({ name: 'ext', secret: 's' })], [Twice]);
    expect((dup as Error).message).toMatch(
      /two handlers for action 'a': Twice\.one and Twice\.two/,
    );
  });

  it('names a view whose default request no action handles', async () => {
    const err = await boot([
      LcExtensionModule.forRoot({
        name: 'ext',
        secret: 's',
        views: [{ name: 'main', layoutType: 'action', defaultRequests: ['scan'] }],
      }),
    ]);
    expect((err as Error).message).toMatch(/defaultRequests names 'scan'/);
  });
});
