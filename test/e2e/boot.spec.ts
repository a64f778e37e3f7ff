import { Controller, Injectable, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { Inject } from '@nestjs/common';
import { LcConfigError, LcCron, LcHandler, LcResource, LcServiceModule } from 'nestjs-lc-service';
import { ADAPTERS, startLcApp } from '../helpers/lc-app.js';

async function bootError(setup: Parameters<typeof startLcApp>[0]): Promise<Error> {
  try {
    const t = await startLcApp(setup);
    await t.close();
  } catch (err) {
    return err as Error;
  }
  throw new Error('the app booted');
}

@Injectable()
class InstallA {
  @LcHandler('org_install')
  a() {
    return true;
  }
}

@Injectable()
class InstallB {
  @LcHandler('org_install')
  b() {
    return true;
  }
}

@Injectable()
class EvilA {
  @LcHandler('detection', { detections: ['evil'] })
  a() {
    return true;
  }
}

@Injectable()
class EvilB {
  @LcHandler('detection', { detections: ['other', 'evil'] })
  b() {
    return true;
  }
}

@Injectable()
class CatchAllA {
  @LcHandler('detection')
  a() {
    return true;
  }
}

@Controller('x')
class HandlerOnController {
  @LcCron('org_per_1h')
  hourly() {
    return true;
  }
}

@Injectable({ scope: Scope.REQUEST })
class RequestScoped {
  @LcHandler('org_install')
  install() {
    return true;
  }
}

@Injectable()
class DependsOnRequest {
  constructor(@Inject(REQUEST) readonly req: unknown) {}
  @LcHandler('org_install')
  install() {
    return true;
  }
}

@Injectable()
class UnknownEtype {
  @LcHandler('org_instal' as 'org_install')
  install() {
    return true;
  }
}

@Injectable()
class HealthHandler {
  @LcHandler('health' as 'org_install')
  health() {
    return true;
  }
}

@Injectable()
class DetectionsOnInstall {
  @LcHandler('org_install' as 'detection', { detections: ['x'] })
  install() {
    return true;
  }
}

@Injectable()
class TwoResources {
  @LcResource({ name: 'same', category: 'lookup' })
  one() {
    return 'a';
  }
  @LcResource({ name: 'same', category: 'lookup' })
  two() {
    return 'b';
  }
}

@Injectable()
class BadResource {
  @LcResource({ name: 'n', category: 'lookup' })
  value() {
    return 42;
  }
}

@Module({ imports: [LcServiceModule.forRoot({ serviceName: 'again', secret: 's' })] })
class SecondImport {}

describe('boot-time errors name the class, method and fix', () => {
  it.each([
    [
      'two handlers for an etype',
      [InstallA, InstallB],
      /two handlers for etype 'org_install': InstallA\.a and InstallB\.b/,
    ],
    [
      'two handlers for a detection name',
      [EvilA, EvilB],
      /two handlers for detection 'evil': EvilA\.a and EvilB\.b/,
    ],
    [
      'an unknown etype',
      [UnknownEtype],
      /@LcHandler\('org_instal'\) on UnknownEtype\.install: unknown etype 'org_instal'/,
    ],
    [
      'a handler for health',
      [HealthHandler],
      /HealthHandler\.health: 'health' is answered by the module/,
    ],
    [
      'detections on another etype',
      [DetectionsOnInstall],
      /'detections' option only applies to @LcHandler\('detection'\)/,
    ],
    [
      'a request-scoped class',
      [RequestScoped],
      /RequestScoped\.install is an LC handler, but RequestScoped is request-scoped/,
    ],
    [
      'a class depending on REQUEST',
      [DependsOnRequest],
      /DependsOnRequest is request-scoped \(or depends on a request-scoped provider\)/,
    ],
    [
      'a duplicate resource',
      [TwoResources],
      /resource 'same' is published twice \(again by TwoResources\.two\)/,
    ],
    [
      'a resource of the wrong type',
      [BadResource],
      /@LcResource BadResource\.value returned number/,
    ],
  ])('%s', async (_name, providers, message) => {
    const err = await bootError({ providers });
    expect(err).toBeInstanceOf(LcConfigError);
    expect(err.message).toMatch(message);
  });

  it('refuses a handler on a controller', async () => {
    const err = await bootError({
      imports: [{ module: class M {}, controllers: [HandlerOnController] }],
    });
    expect(err.message).toMatch(
      /HandlerOnController\.hourly has an LC decorator, but HandlerOnController is a controller/,
    );
  });

  it('lets one catch-all coexist with named detection handlers', async () => {
    const t = await startLcApp({ providers: [EvilA, CatchAllA] });
    await t.close();
  });

  it.each(ADAPTERS)('refuses a second forRoot() on the same path (%s)', async (adapter) => {
    const err = await bootError({ adapter, imports: [SecondImport] });
    expect(err.message).toMatch(
      /already mounted at '\/': LcServiceModule\.forRoot\(\) is imported twice/,
    );
  });

  it.each([
    [{ secret: undefined }, /option 'secret' is required.*allowUnsigned: true/],
    [{ secret: '' }, /option 'secret' must be a non-empty string/],
    [{ serviceName: '' }, /option 'serviceName' is required/],
    [{ serviceName: 'a/b' }, /option 'serviceName' must not contain whitespace or '\/'/],
    [{ path: 'hook' }, /option 'path' must be an absolute route path/],
    [{ path: '/hooks/:id' }, /option 'path' must be a literal path, without route parameters/],
    [{ path: '/hook?x=1' }, /option 'path' must be a literal path/],
    [{ bodyLimit: -1 }, /option 'bodyLimit' must be a positive integer/],
    [{ bodyTimeoutMs: 0 }, /option 'bodyTimeoutMs' must be a positive integer/],
    [{ headersTimeoutMs: 2.5 }, /option 'headersTimeoutMs' must be a positive integer/],
    [
      { maxPendingBodyBytes: 1024 },
      /option 'maxPendingBodyBytes' \(1024\) is smaller than bodyLimit \(52428800\).*Raise maxPendingBodyBytes or lower bodyLimit/,
    ],
    [{ traceComms: 'yes' as unknown as boolean }, /option 'traceComms' must be true or false/],
    [
      { limaCharlie: { apiUrl: 'ftp://x' } },
      /option 'limaCharlie.apiUrl' must be an http\(s\) URL/,
    ],
    [
      { limaCharlie: { maxAttempts: 0 } },
      /option 'limaCharlie.maxAttempts' must be a positive integer/,
    ],
    [
      { limaCharlie: { maxResponseBytes: 0.5 } },
      /option 'limaCharlie.maxResponseBytes' must be a positive integer, got 0.5/,
    ],
    [{ shutdownGraceMs: 1.5 }, /option 'shutdownGraceMs' must be a non-negative integer/],
  ])('rejects options %j', async (options, message) => {
    const err = await bootError({ options });
    expect(err).toBeInstanceOf(LcConfigError);
    expect(err.message).toMatch(message);
  });
});
