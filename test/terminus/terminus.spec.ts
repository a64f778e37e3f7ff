import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { LcData, LcHandler } from 'nestjs-lc-service';
import { LcHealthIndicator } from 'nestjs-lc-service/terminus';
import { ADAPTERS, startLcApp } from '../helpers/lc-app.js';

let started: () => void = () => undefined;

@Injectable()
class Handlers {
  @LcHandler('request')
  async slow(@LcData('ms') ms: number) {
    started();
    await new Promise((resolve) => setTimeout(resolve, ms));
    return true;
  }
}

/** The app's own health check, on the path the module's liveness probe would take. */
@Controller('healthz')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly lc: LcHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.lc.isReady()]);
  }
}

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [LcHealthIndicator],
})
class HealthModule {}

describe.each(ADAPTERS)('LcHealthIndicator in a terminus health check (%s)', (adapter) => {
  it('is up once booted and down while the module drains, through the app’s own /healthz', async () => {
    const t = await startLcApp({
      adapter,
      providers: [Handlers],
      imports: [HealthModule],
      options: { probes: false },
    });
    let closing: Promise<void> | undefined;
    try {
      const up = await fetch(`${t.url}/healthz`);
      expect(up.status).toBe(200);
      expect(await up.json()).toEqual({
        status: 'ok',
        info: { limacharlie: { status: 'up' } },
        error: {},
        details: { limacharlie: { status: 'up' } },
      });

      const running = new Promise<void>((resolve) => (started = resolve));
      const inFlight = t.client.send('request', { data: { ms: 1000 } });
      await running;
      closing = t.close();
      let down: Response | undefined;
      for (let i = 0; i < 100 && down?.status !== 503; i++) {
        down = await fetch(`${t.url}/healthz`);
        if (down.status !== 503) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(down!.status).toBe(503);
      expect(await down!.json()).toMatchObject({
        status: 'error',
        error: { limacharlie: { status: 'down', state: 'draining' } },
      });
      // The call that was in flight still gets its whole answer.
      expect((await inFlight).body).toEqual({ success: true, data: {} });
    } finally {
      await (closing ?? t.close());
    }
  });
});

describe('LcHealthIndicator without a LimaCharlie module', () => {
  it('fails the boot, naming what to import', async () => {
    const { Test } = await import('@nestjs/testing');
    const moduleRef = Test.createTestingModule({ imports: [HealthModule] });
    await expect(moduleRef.compile().then((m) => m.init())).rejects.toThrow(
      /LcHealthIndicator: the app has no LcServiceModule or LcExtensionModule/,
    );
  });
});
