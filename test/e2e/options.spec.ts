import { Injectable, Module } from '@nestjs/common';
import {
  LcClient,
  LcData,
  LcHandler,
  LcOid,
  lcResponse,
  LcService,
  LcServiceModule,
  LimaCharlieClient,
  type LcServiceModuleOptions,
} from 'nestjs-lc-service';
import { FakeLimaCharlie, LcTestClient } from 'nestjs-lc-service/testing';
import { ADAPTERS, CapturingLogger, SECRET, startLcApp } from '../helpers/lc-app.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LWNsYWltcw.s1gn4tur3';

@Injectable()
class Handlers {
  constructor(private readonly lc: LcService) {}

  @LcHandler('org_install')
  install() {
    this.lc.subscribeToDetect('late-subscription');
    this.lc.publishResource('late', 'lookup', 'content');
    return lcResponse({ data: { installed: true } });
  }

  @LcHandler('request')
  request(@LcData('mode') mode: string) {
    if (mode === 'leak') throw new Error(`upstream said: bad token ${JWT}`);
    return true;
  }
}

@Injectable()
class ParamsConfig {
  constructor(lc: LcService) {
    lc.setRequestParameters({
      action: { type: 'enum', desc: 'what to do', values: ['set', 'get'], is_required: true },
      retention: { type: 'int', desc: 'days to keep' },
      ratio: { type: 'float', desc: 'a ratio' },
      sid: { type: 'sid', desc: 'sensor' },
    });
  }
}

@Module({})
class ConfigModule {
  static register(values: Partial<LcServiceModuleOptions>) {
    return {
      module: ConfigModule,
      providers: [{ provide: 'CONFIG', useValue: values }],
      exports: ['CONFIG'],
    };
  }
}

describe.each(ADAPTERS)('module options (%s)', (adapter) => {
  it('forRootAsync takes options from a factory with injected config', async () => {
    const t = await startLcApp({
      adapter,
      lcModule: LcServiceModule.forRootAsync({
        imports: [
          ConfigModule.register({
            serviceName: 'async-service',
            secret: SECRET,
            path: '/hooks/lc',
          }),
        ],
        inject: ['CONFIG'],
        useFactory: (config: LcServiceModuleOptions) => config,
      }),
      options: { path: '/hooks/lc' },
      providers: [Handlers],
    });
    try {
      const res = await t.client.send('org_install');
      expect(res.body).toEqual({ success: true, data: { installed: true } });
      const health = await t.client.send('health');
      expect(health.body.data).toMatchObject({
        mtd: { detect_subscriptions: ['late-subscription'] },
      });
      const late = await t.client.send('get_resource', { data: { resource: 'late' } });
      expect(late.body.success).toBe(true);
      expect((await fetch(`${t.url}/`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('allowUnsigned accepts calls without a signature and warns loudly at boot', async () => {
    const logger = new CapturingLogger();
    const t = await startLcApp({
      adapter,
      options: { secret: undefined, allowUnsigned: true },
      providers: [Handlers],
      logger,
    });
    try {
      const client = new LcTestClient({ url: t.url });
      expect((await client.send('org_install')).body.success).toBe(true);
      expect(logger.lines.some((l) => l.startsWith('warn') && /allowUnsigned is on/.test(l))).toBe(
        true,
      );
    } finally {
      await t.close();
    }
  });

  it('accepts each secret of a rotation', async () => {
    const t = await startLcApp({
      adapter,
      options: { secret: ['old-secret', 'new-secret'] },
      providers: [Handlers],
    });
    try {
      for (const secret of ['old-secret', 'new-secret']) {
        const client = new LcTestClient({ url: t.url, secret });
        expect((await client.send('org_install')).status).toBe(200);
      }
      expect(
        (await new LcTestClient({ url: t.url, secret: SECRET }).send('org_install')).status,
      ).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('traceComms logs requests and replies with the JWT redacted; errors never echo it', async () => {
    const logger = new CapturingLogger();
    const t = await startLcApp({
      adapter,
      options: { traceComms: true },
      providers: [Handlers],
      logger,
    });
    try {
      await t.client.send('org_install', { jwt: JWT });
      const leak = await t.client.send('request', { jwt: JWT, data: { mode: 'leak' } });
      expect(leak.body.error).toBe('upstream said: bad token [REDACTED]');
      const all = logger.lines.join('\n');
      expect(all).toMatch(/REQ org_install/);
      expect(all).toMatch(/REP org_install .*"installed":true/);
      expect(all).not.toContain(JWT);
      expect(all).toContain('[REDACTED]');
    } finally {
      await t.close();
    }
  });

  it('exposeErrors puts the (redacted) stack in data.exception', async () => {
    const t = await startLcApp({ adapter, options: { exposeErrors: true }, providers: [Handlers] });
    try {
      const res = await t.client.send('request', { jwt: JWT, data: { mode: 'leak' } });
      const data = res.body.data as { exception: string };
      expect(data.exception).toMatch(/^Error: upstream said: bad token \[REDACTED\]\n\s+at /);
      expect(JSON.stringify(res.body)).not.toContain(JWT);
    } finally {
      await t.close();
    }
  });

  it('rejects a body over bodyLimit with 413 and a JSON error', async () => {
    const t = await startLcApp({ adapter, options: { bodyLimit: 1024 }, providers: [Handlers] });
    try {
      const res = await t.client.send('request', { data: { blob: 'x'.repeat(2048) } });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        success: false,
        retry: false,
        data: {},
        error: "the body is larger than the 1024 bytes allowed (option 'bodyLimit')",
      });
      expect((await t.client.send('request', { data: { mode: 'ok' } })).body.success).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('validates request parameters set in the RI dict form, with the RI error strings', async () => {
    const t = await startLcApp({ adapter, providers: [Handlers, ParamsConfig] });
    try {
      const send = (data: Record<string, unknown>) => t.client.send('request', { data });
      const sid = '0b6e0a3c-52bb-4b3c-b1b5-14c5b1c1a1f0';
      expect(
        (await send({ action: 'set', retention: 3, ratio: 0.5, sid, extra: 'allowed' })).body
          .success,
      ).toBe(true);
      expect((await send({ action: 'get', retention: null })).body.success).toBe(true);
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'missing parameter action'],
        [{ action: null }, 'missing parameter action'],
        [{ action: 'drop' }, 'invalid parameter action: enum has invalid value'],
        [{ action: 'set', retention: true }, 'invalid parameter retention: wrong data type'],
        [{ action: 'set', retention: 1.5 }, 'invalid parameter retention: wrong data type'],
        [{ action: 'set', ratio: '0.5' }, 'invalid parameter ratio: wrong data type'],
        [{ action: 'set', sid: 'not-a-sid' }, 'invalid parameter sid: wrong data type'],
        [{ retention: 'x' }, 'invalid parameter retention: wrong data type'],
      ];
      for (const [data, error] of cases) {
        expect((await send(data)).body).toEqual({ success: false, retry: false, data: {}, error });
      }
      const health = await t.client.send('health');
      expect((health.body.data as { mtd: { request_params: object } }).mtd.request_params).toEqual({
        action: { type: 'enum', desc: 'what to do', values: ['set', 'get'], is_required: true },
        retention: { type: 'int', desc: 'days to keep' },
        ratio: { type: 'float', desc: 'a ratio' },
        sid: { type: 'sid', desc: 'sensor' },
      });
    } finally {
      await t.close();
    }
  });

  it('rejects malformed request parameter definitions where they are set', async () => {
    @Injectable()
    class BadParams {
      constructor(lc: LcService) {
        lc.setRequestParameters({ x: { type: 'float64', desc: 'd' } } as never);
      }
    }
    await expect(startLcApp({ adapter, providers: [BadParams] })).rejects.toThrow(
      /setRequestParameters: parameter 'x' has unknown type "float64"/,
    );
  });

  it('builds the client through clientFactory, only for handlers that take it', async () => {
    const built: unknown[] = [];
    @Injectable()
    class ClientUser {
      @LcHandler('org_install')
      install(@LcOid() _oid: string) {
        return true;
      }

      @LcHandler('command')
      command(@LcClient() lc: LimaCharlieClient) {
        return lcResponse({ data: { oid: lc.oid } });
      }

      @LcHandler('org_uninstall')
      uninstall(lc: LimaCharlieClient) {
        return lcResponse({ data: { isClient: lc instanceof LimaCharlieClient } });
      }

      // Declares nothing: no client is built for it.
      @LcHandler('detection')
      other() {
        return true;
      }

      // Rest parameters are parameters: the RI convention gives it a client.
      @LcHandler('new_sensor')
      sensor(...args: unknown[]) {
        return lcResponse({ data: { isClient: args[0] instanceof LimaCharlieClient } });
      }
    }
    const t = await startLcApp({
      adapter,
      options: {
        limaCharlie: {
          clientFactory: (oid, jwt, signal) => {
            built.push({ oid, jwtSeen: jwt === JWT, aborted: signal.aborted });
            return new LimaCharlieClient({ oid, jwt, signal, apiUrl: 'http://127.0.0.1:9' });
          },
        },
      },
      providers: [ClientUser],
    });
    try {
      await t.client.send('org_install', { jwt: JWT });
      expect(built).toEqual([]);
      const oid = '11111111-2222-4333-8444-555555555555';
      expect((await t.client.send('command', { jwt: JWT, oid })).body.data).toEqual({ oid });
      expect((await t.client.send('org_uninstall', { jwt: JWT })).body.data).toEqual({
        isClient: true,
      });
      expect((await t.client.send('detection', { jwt: JWT, data: { cat: 'x' } })).body).toEqual({
        success: true,
        data: {},
      });
      const sid = '22222222-3333-4444-8555-666666666666';
      expect((await t.client.send('new_sensor', { jwt: JWT, data: { sid } })).body.data).toEqual({
        isClient: true,
      });
      expect(built).toEqual([
        { oid, jwtSeen: true, aborted: false },
        { oid: expect.any(String), jwtSeen: true, aborted: false },
        { oid: expect.any(String), jwtSeen: true, aborted: false },
      ]);
    } finally {
      await t.close();
    }
  });

  it('limaCharlie.maxResponseBytes bounds what the built-in client reads', async () => {
    @Injectable()
    class WhoAsker {
      @LcHandler('command')
      async command(@LcClient() lc: LimaCharlieClient) {
        return lcResponse({ data: { who: await lc.whoAmI() } });
      }
    }
    const fake = new FakeLimaCharlie();
    await fake.start();
    const { oid, jwt } = fake.addOrg();
    const t = await startLcApp({
      adapter,
      options: { limaCharlie: { apiUrl: fake.url, maxResponseBytes: 16 } },
      providers: [WhoAsker],
    });
    try {
      const reply = await t.client.send('command', { jwt, oid });
      expect(reply.body).toMatchObject({ success: false });
      expect(reply.body.error).toContain('answered with more than 16 bytes');
      expect(reply.body.error).toContain('limaCharlie.maxResponseBytes');
      expect(fake.calls).toHaveLength(1);
    } finally {
      await t.close();
      await fake.stop();
    }
  });
});
