import {
  Injectable,
  UseGuards,
  UseInterceptors,
  UsePipes,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
  type PipeTransform,
  type Provider,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { from, map } from 'rxjs';
import {
  getLcExtRequest,
  getLcRequest,
  isLcExtContext,
  LcAction,
  LcCommand,
  LcData,
  LcError,
  LcExtensionModule,
  LcOid,
  lcResponse,
  LcServiceModule,
} from 'nestjs-lc-service';
import { LcExtTestClient, LcTestClient } from 'nestjs-lc-service/testing';
import { EXT_SECRET } from '../extension/helpers.js';
import { SECRET } from '../helpers/lc-app.js';

/**
 * A handler no guard, interceptor or pipe applies to is called directly; any enhancer keeps Nest's
 * invoker. Each enhancer here is the only one its handler has (no global one hides a miss), on
 * both protocols: the enhancer must have its effect.
 */

function dataOf(ctx: ExecutionContext): Record<string, unknown> {
  return isLcExtContext(ctx) ? getLcExtRequest(ctx).data : getLcRequest(ctx).data;
}

/** Lets a call through only when its data says `allow: true`. */
@Injectable()
class AllowGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    return dataOf(ctx).allow === true;
  }
}

/** Adds `intercepted: true` to the answer's data. */
@Injectable()
class MarkInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler) {
    const ext = isLcExtContext(ctx);
    return next.handle().pipe(
      map((result: Record<string, unknown>) =>
        ext
          ? { ...result, intercepted: true }
          : lcResponse({
              data: { ...(result as { data: Record<string, unknown> }).data, intercepted: true },
            }),
      ),
    );
  }
}

class UpperPipe implements PipeTransform {
  transform(value: unknown): unknown {
    return typeof value === 'string' ? value.toUpperCase() : value;
  }
}

/** What both protocols' handlers answer with the word they got. */
function wordAnswer(ext: boolean, word: unknown) {
  return ext ? { word } : lcResponse({ data: { word } });
}

@Injectable()
class PerMethod {
  @LcCommand({ name: 'guarded', description: 'guarded' })
  @UseGuards(AllowGuard)
  svcGuarded(@LcData('word') word: string) {
    return wordAnswer(false, word);
  }

  @LcAction('guarded')
  @UseGuards(AllowGuard)
  extGuarded(@LcData('word') word: string) {
    return wordAnswer(true, word);
  }

  @LcCommand({ name: 'intercepted', description: 'intercepted' })
  @UseInterceptors(MarkInterceptor)
  svcIntercepted(@LcData('word') word: string) {
    return wordAnswer(false, word);
  }

  @LcAction('intercepted')
  @UseInterceptors(MarkInterceptor)
  extIntercepted(@LcData('word') word: string) {
    return wordAnswer(true, word);
  }

  @LcCommand({ name: 'piped', description: 'piped' })
  @UsePipes(UpperPipe)
  svcPiped(@LcData('word') word: string) {
    return wordAnswer(false, word);
  }

  @LcAction('piped')
  @UsePipes(UpperPipe)
  extPiped(@LcData('word') word: string) {
    return wordAnswer(true, word);
  }

  @LcCommand({ name: 'param-piped', description: 'param-piped' })
  svcParamPiped(@LcData('word', UpperPipe) word: string) {
    return wordAnswer(false, word);
  }

  @LcAction('param-piped')
  extParamPiped(@LcData('word', UpperPipe) word: string) {
    return wordAnswer(true, word);
  }

  @LcCommand({ name: 'observable', description: 'observable' })
  svcObservable() {
    return from([lcResponse({ data: { n: 1 } }), lcResponse({ data: { n: 2 } })]);
  }

  @LcAction('observable')
  extObservable() {
    return from([{ n: 1 }, { n: 2 }]);
  }

  @LcCommand({ name: 'gap', description: 'gap' })
  svcGap(@LcOid() oid: string, undecorated: unknown, @LcData('word') word: string) {
    return lcResponse({ data: { oid, word, gap: undecorated === undefined } });
  }

  @LcAction('gap')
  extGap(@LcOid() oid: string, undecorated: unknown, @LcData('word') word: string) {
    return { oid, word, gap: undecorated === undefined };
  }
}

@Injectable()
@UseGuards(AllowGuard)
class GuardedClass {
  @LcCommand({ name: 'class-guarded', description: 'class-guarded' })
  svc(@LcData('word') word: string) {
    return wordAnswer(false, word);
  }

  @LcAction('class-guarded')
  ext(@LcData('word') word: string) {
    return wordAnswer(true, word);
  }
}

@Injectable()
@UseInterceptors(MarkInterceptor)
class InterceptedClass {
  @LcCommand({ name: 'class-intercepted', description: 'class-intercepted' })
  svc(@LcData('word') word: string) {
    return wordAnswer(false, word);
  }

  @LcAction('class-intercepted')
  ext(@LcData('word') word: string) {
    return wordAnswer(true, word);
  }
}

@Injectable()
@UsePipes(UpperPipe)
class PipedClass {
  @LcCommand({ name: 'class-piped', description: 'class-piped' })
  svc(@LcData('word') word: string) {
    return wordAnswer(false, word);
  }

  @LcAction('class-piped')
  ext(@LcData('word') word: string) {
    return wordAnswer(true, word);
  }
}

/** The only handlers of the apps with one global enhancer. */
@Injectable()
class Bare {
  @LcCommand({ name: 'echo', description: 'echo' })
  svc(@LcData('word') word: string) {
    return wordAnswer(false, word);
  }

  @LcAction('echo')
  ext(@LcData('word') word: string) {
    return wordAnswer(true, word);
  }
}

/** Every shape of result a handler called directly may give, on both protocols. */
@Injectable()
class Results {
  @LcCommand({ name: 'sync', description: 'sync' })
  svcSync(@LcData('word') word: string) {
    return wordAnswer(false, word);
  }

  @LcAction('sync')
  extSync(@LcData('word') word: string) {
    return wordAnswer(true, word);
  }

  @LcCommand({ name: 'async', description: 'async' })
  async svcAsync(@LcData('word') word: string) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return wordAnswer(false, word);
  }

  @LcAction('async')
  async extAsync(@LcData('word') word: string) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return wordAnswer(true, word);
  }

  @LcCommand({ name: 'thenable', description: 'thenable' })
  svcThenable(@LcData('word') word: string) {
    return { then: (resolve: (value: unknown) => void) => resolve(wordAnswer(false, word)) };
  }

  @LcAction('thenable')
  extThenable(@LcData('word') word: string) {
    return { then: (resolve: (value: unknown) => void) => resolve(wordAnswer(true, word)) };
  }

  @LcCommand({ name: 'promised-observable', description: 'promised-observable' })
  async svcPromisedObservable() {
    return from([lcResponse({ data: { n: 1 } }), lcResponse({ data: { n: 2 } })]);
  }

  @LcAction('promised-observable')
  async extPromisedObservable() {
    return from([{ n: 1 }, { n: 2 }]);
  }

  @LcCommand({ name: 'throws', description: 'throws' })
  svcThrows(): never {
    throw new LcError('refused at once', { retry: false });
  }

  @LcAction('throws')
  extThrows(): never {
    throw new LcError('refused at once', { retry: false });
  }

  @LcCommand({ name: 'rejects', description: 'rejects' })
  async svcRejects(): Promise<never> {
    await Promise.resolve();
    throw new LcError('refused later', { retry: false });
  }

  @LcAction('rejects')
  async extRejects(): Promise<never> {
    await Promise.resolve();
    throw new LcError('refused later', { retry: false });
  }
}

interface BothApp {
  /** The answer's data of a Service `command` and of an Extension request, by name. */
  call(name: string, data: Record<string, unknown>): Promise<{ svc: unknown; ext: unknown }>;
  close(): Promise<void>;
}

/** One app serving both protocols, on loopback. */
async function startBoth(
  providers: Provider[],
  configure: (app: INestApplication) => void = () => undefined,
): Promise<BothApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      LcServiceModule.forRoot({ serviceName: 'svc', secret: SECRET, path: '/svc' }),
      LcExtensionModule.forRoot({ name: 'ext', secret: EXT_SECRET, path: '/ext' }),
    ],
    providers,
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  configure(app);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const svc = new LcTestClient({ url, secret: SECRET, path: '/svc' });
  const ext = new LcExtTestClient({ url, secret: EXT_SECRET, path: '/ext' });
  return {
    async call(name, data) {
      const svcAnswer = await svc.send('command', { data: { command_name: name, ...data } });
      const extAnswer = await ext.request(name, data);
      return {
        svc: svcAnswer.body.success === true ? svcAnswer.body.data : svcAnswer.body.error,
        ext: extAnswer.status === 200 ? extAnswer.body.data : extAnswer.body.error,
      };
    },
    close: () => app.close(),
  };
}

const both = (value: unknown) => ({ svc: value, ext: value });
const FORBIDDEN = both('Forbidden resource');

describe('enhancers on one handler or class, none global', () => {
  let t: BothApp;
  beforeAll(async () => {
    t = await startBoth([PerMethod, GuardedClass, InterceptedClass, PipedClass]);
  });
  afterAll(() => t.close());

  it('runs @UseGuards on the method and on the class', async () => {
    for (const name of ['guarded', 'class-guarded']) {
      expect(await t.call(name, { word: 'a', allow: true })).toEqual(both({ word: 'a' }));
      expect(await t.call(name, { word: 'a' })).toEqual(FORBIDDEN);
    }
  });

  it('runs @UseInterceptors on the method and on the class', async () => {
    for (const name of ['intercepted', 'class-intercepted']) {
      expect(await t.call(name, { word: 'a' })).toEqual(both({ word: 'a', intercepted: true }));
    }
  });

  it('runs @UsePipes on the method and on the class, and a pipe given to @LcData', async () => {
    for (const name of ['piped', 'class-piped', 'param-piped']) {
      expect(await t.call(name, { word: 'a' })).toEqual(both({ word: 'A' }));
    }
  });

  it("answers a handler's Observable with its last value", async () => {
    expect(await t.call('observable', {})).toEqual(both({ n: 2 }));
  });

  it('leaves an undecorated parameter between decorated ones undefined', async () => {
    const answer = await t.call('gap', { word: 'w' });
    expect(answer).toEqual(both({ oid: expect.any(String), word: 'w', gap: true }));
  });
});

describe('one global enhancer and a handler without its own', () => {
  it('runs a guard given to app.useGlobalGuards', async () => {
    const t = await startBoth([Bare], (app) => app.useGlobalGuards(new AllowGuard()));
    try {
      expect(await t.call('echo', { word: 'a', allow: true })).toEqual(both({ word: 'a' }));
      expect(await t.call('echo', { word: 'a' })).toEqual(FORBIDDEN);
    } finally {
      await t.close();
    }
  });

  it('runs an APP_INTERCEPTOR', async () => {
    const t = await startBoth([Bare, { provide: APP_INTERCEPTOR, useClass: MarkInterceptor }]);
    try {
      expect(await t.call('echo', { word: 'a' })).toEqual(both({ word: 'a', intercepted: true }));
    } finally {
      await t.close();
    }
  });

  it('runs a pipe given to app.useGlobalPipes', async () => {
    const t = await startBoth([Bare], (app) => app.useGlobalPipes(new UpperPipe()));
    try {
      expect(await t.call('echo', { word: 'a' })).toEqual(both({ word: 'A' }));
    } finally {
      await t.close();
    }
  });
});

describe('the result of a handler called directly', () => {
  let t: BothApp;
  beforeAll(async () => {
    t = await startBoth([Results]);
  });
  afterAll(() => t.close());

  it('answers a value returned at once and one awaited alike', async () => {
    expect(await t.call('sync', { word: 'a' })).toEqual(both({ word: 'a' }));
    expect(await t.call('async', { word: 'b' })).toEqual(both({ word: 'b' }));
  });

  it("answers a thenable's value, and the last value of a promised Observable", async () => {
    expect(await t.call('thenable', { word: 'c' })).toEqual(both({ word: 'c' }));
    expect(await t.call('promised-observable', {})).toEqual(both({ n: 2 }));
  });

  it('answers what a handler throws at once as what it rejects with', async () => {
    expect(await t.call('throws', {})).toEqual(both('refused at once'));
    expect(await t.call('rejects', {})).toEqual(both('refused later'));
  });

  it('answers many calls in flight at once, each its own', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const answers = await Promise.all(
      words.map((word, i) => t.call(i % 2 === 0 ? 'sync' : 'async', { word })),
    );
    expect(answers).toEqual(words.map((word) => both({ word })));
  });
});
