import { Controller, Get, Post } from '@nestjs/common';
import { LcConfigError } from 'nestjs-lc-service';
import { ADAPTERS, startLcApp, type LcTestAdapter } from '../helpers/lc-app.js';

@Controller('healthz')
class OwnHealthz {
  @Get()
  get() {
    return 'mine';
  }
}

@Controller()
class OwnRoot {
  @Post()
  post() {
    return 'mine';
  }

  @Get()
  get() {
    return 'mine';
  }
}

@Controller('metrics')
class OwnMetrics {
  @Get()
  get() {
    return 'mine';
  }
}

function controllers(...classes: (new () => object)[]) {
  return [{ module: class UserModule {}, controllers: classes }];
}

async function bootError(
  adapter: LcTestAdapter,
  setup: Parameters<typeof startLcApp>[0],
): Promise<Error> {
  try {
    const t = await startLcApp({ adapter, ...setup });
    await t.close();
  } catch (err) {
    return err as Error;
  }
  throw new Error('the app booted');
}

describe.each(ADAPTERS)("routes of the module that clash with the app's (%s)", (adapter) => {
  it('refuses a liveness probe on a path a controller has, naming the option and the fix', async () => {
    const err = await bootError(adapter, { imports: controllers(OwnHealthz) });
    expect(err).toBeInstanceOf(LcConfigError);
    expect(err.message).toMatch(
      /^LcServiceModule: option 'probes.liveness' mounts GET '\/healthz', but the app already has a GET route there .*probes: \{ liveness: '\/lc\/healthz' \}.*\(probes: false\)/,
    );
  });

  it('refuses the webhook on a path where a controller takes POST', async () => {
    const err = await bootError(adapter, { imports: controllers(OwnRoot) });
    expect(err).toBeInstanceOf(LcConfigError);
    expect(err.message).toMatch(
      /^LcServiceModule: option 'path' mounts POST '\/', but the app already has a POST route there .*path: '\/lc'/,
    );
  });

  it('refuses the metrics route on a path a controller has', async () => {
    const err = await bootError(adapter, {
      imports: controllers(OwnMetrics),
      options: { metrics: true },
    });
    expect(err).toBeInstanceOf(LcConfigError);
    expect(err.message).toMatch(/option 'metrics.path' mounts GET '\/metrics'.*path: false/);
  });

  it('boots with the fixes the errors give, and each route answers for its owner', async () => {
    const t = await startLcApp({
      adapter,
      imports: controllers(OwnHealthz, OwnRoot),
      options: { probes: false, path: '/lc' },
    });
    try {
      expect(await (await fetch(`${t.url}/healthz`)).text()).toBe('mine');
      expect(await (await fetch(`${t.url}/`, { method: 'POST' })).text()).toBe('mine');
      expect((await t.client.send('health')).body.success).toBe(true);
    } finally {
      await t.close();
    }
  });
});
