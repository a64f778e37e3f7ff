import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { LcHandler, lcResponse, LcService, LcServiceModule } from 'nestjs-lc-service';
import { startLcApp } from '../helpers/lc-app.js';

/** The Python RI's tests/test_lifecycle.py, case by case. */
describe('RI test_lifecycle equivalents', () => {
  @Injectable()
  class CreateService implements OnModuleInit {
    constructor(private readonly lc: LcService) {}
    onModuleInit() {
      this.lc.setRequestParameters({
        action: { type: 'str', desc: "the action to take, one of 'set' or 'get'." },
        api_key: { type: 'str', desc: 'the api key to use when requesting a payload detonation.' },
        retention: {
          type: 'int',
          desc: 'the number of days to set when ingesting detonation artifacts.',
        },
      });
    }
  }

  it('test_create_service: health lists version, start_time, no subscriptions, 2 callbacks, 3 params', async () => {
    const t = await startLcApp({ providers: [CreateService] });
    try {
      const res = await t.client.send('health');
      expect(res.body.success).toBe(true);
      const data = res.body.data as {
        version: number;
        start_time: number;
        mtd: Record<string, object>;
      };
      expect(data.version).toBe(1);
      expect(data.start_time).toBeGreaterThan(0);
      expect(data.mtd.detect_subscriptions).toHaveLength(0);
      expect(data.mtd.callbacks).toEqual(['get_resource', 'health']);
      expect(Object.keys(data.mtd.request_params)).toHaveLength(3);
    } finally {
      await t.close();
    }
  });

  @Injectable()
  class CallbackEnabled {
    @LcHandler('org_install')
    onOrgInstalled() {
      return lcResponse({ success: true, data: { test: 42 } });
    }
  }

  it('test_callback_enabled: a handler adds its callback and answers with its data', async () => {
    const t = await startLcApp({ providers: [CallbackEnabled] });
    try {
      const health = await t.client.send('health');
      expect((health.body.data as { mtd: { callbacks: string[] } }).mtd.callbacks).toHaveLength(3);
      const res = await t.client.send('org_install', {
        oid: '6bfc2c8b-1a57-4a67-8a5b-28f7d0f64e16',
      });
      expect(res.body).toEqual({ success: true, data: { test: 42 } });
    } finally {
      await t.close();
    }
  });
});

describe('module wiring', () => {
  @Injectable()
  class NeedsLcService {
    constructor(readonly lc: LcService) {}
  }
  @Module({ providers: [NeedsLcService] })
  class FeatureModule {}

  it('isGlobal makes LcService injectable in modules that do not import LcServiceModule', async () => {
    const t = await startLcApp({
      lcModule: LcServiceModule.forRoot({
        serviceName: 'global',
        secret: 'test-secret',
        isGlobal: true,
      }),
      imports: [FeatureModule],
    });
    try {
      expect(t.app.get(NeedsLcService).lc.serviceName).toBe('global');
    } finally {
      await t.close();
    }
  });

  it('stops LcService timers when the app closes', async () => {
    const t = await startLcApp();
    let runs = 0;
    const lc = t.app.get(LcService);
    lc.delay(0.05, () => runs++);
    lc.schedule(0.02, () => runs++);
    await t.close();
    const after = runs;
    await new Promise((r) => setTimeout(r, 120));
    expect(runs).toBe(after);
    expect(after).toBeGreaterThanOrEqual(1);
  });
});
