import 'reflect-metadata';
import {
  Inject,
  Injectable,
  Scope,
  forwardRef,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
  type PipeTransform,
  type Provider,
  type Type,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE, ExternalContextCreator } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { LcAction, LcOid } from 'nestjs-lc-service';
import {
  PARAMTYPES_METADATA,
  PROPERTY_DEPS_METADATA,
  SELF_DECLARED_DEPS_METADATA,
} from '@nestjs/common/constants.js';
import {
  argsOf,
  classInjects,
  hideFromPipes,
  nestEnhancersApply,
  paramTypesOf,
} from '../../src/decorators/nest-metadata.js';

/**
 * The module reads how Nest records dependencies and parameter types (src/decorators/
 * nest-metadata.ts). Nest has no public API for it; these tests fail first when an upgrade moves it.
 */
describe('Nest metadata the module relies on', () => {
  class Token {}

  it('Nest still exports its metadata keys from @nestjs/common/constants.js', () => {
    expect(PARAMTYPES_METADATA).toBe('design:paramtypes');
    expect(typeof SELF_DECLARED_DEPS_METADATA).toBe('string');
    expect(typeof PROPERTY_DEPS_METADATA).toBe('string');
  });

  it('sees a token injected by constructor type, @Inject, forwardRef and property', () => {
    @Injectable()
    class ByType {
      constructor(readonly token: Token) {}
    }
    @Injectable()
    class ByInject {
      constructor(
        @Inject('other') readonly a: unknown,
        @Inject(Token) readonly b: unknown,
      ) {}
    }
    @Injectable()
    class ByForwardRef {
      constructor(@Inject(forwardRef(() => Token)) readonly token: unknown) {}
    }
    @Injectable()
    class ByProperty {
      @Inject(Token) readonly token!: unknown;
    }
    @Injectable()
    class Unrelated {
      constructor(@Inject('other') readonly a: unknown) {}
    }
    expect(classInjects(ByType, Token)).toBe(true);
    expect(classInjects(ByInject, Token)).toBe(true);
    expect(classInjects(ByForwardRef, Token)).toBe(true);
    expect(classInjects(ByProperty, Token)).toBe(true);
    expect(classInjects(Unrelated, Token)).toBe(false);
  });

  it('hides a declared parameter type from pipes and keeps the others', () => {
    const noop: MethodDecorator = () => undefined;
    class Handlers {
      @noop
      handle(_a: Token, _b: string): void {}
    }
    expect(paramTypesOf(Handlers.prototype, 'handle')).toEqual([Token, String]);
    hideFromPipes(Handlers.prototype, 'handle', [0]);
    expect(paramTypesOf(Handlers.prototype, 'handle')).toEqual([Object, String]);
  });
});

/**
 * A handler no guard, interceptor or pipe applies to is called without Nest's invoker; the global
 * ones are read where ExternalContextCreator keeps them. If an upgrade moves them, these fail.
 */
describe('nestEnhancersApply', () => {
  @Injectable()
  class Handlers {
    @LcAction('bare')
    bare(@LcOid() oid: string): string {
      return oid;
    }
  }

  @Injectable()
  class AllowAll implements CanActivate {
    canActivate(): boolean {
      return true;
    }
  }

  @Injectable()
  class PassThrough implements NestInterceptor {
    intercept(_ctx: ExecutionContext, next: CallHandler) {
      return next.handle();
    }
  }

  class Same implements PipeTransform {
    transform(value: unknown): unknown {
      return value;
    }
  }

  async function appliesWith(
    providers: Provider[],
    configure: (app: INestApplication) => void = () => undefined,
  ): Promise<boolean> {
    const moduleRef = await Test.createTestingModule({
      providers: [Handlers, ...providers],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      configure(app);
      const instance = app.get(Handlers);
      return nestEnhancersApply(
        app.get(ExternalContextCreator),
        instance,
        Handlers.prototype.bare,
        argsOf(Handlers, 'bare'),
      );
    } finally {
      await app.close();
    }
  }

  it('says false for a handler with none', async () => {
    expect(await appliesWith([])).toBe(false);
  });

  it('sees global guards, interceptors and pipes, given with useGlobal* or APP_*', async () => {
    expect(await appliesWith([], (app) => app.useGlobalGuards(new AllowAll()))).toBe(true);
    expect(await appliesWith([], (app) => app.useGlobalInterceptors(new PassThrough()))).toBe(true);
    expect(await appliesWith([], (app) => app.useGlobalPipes(new Same()))).toBe(true);
    expect(await appliesWith([{ provide: APP_GUARD, useClass: AllowAll }])).toBe(true);
    expect(await appliesWith([{ provide: APP_INTERCEPTOR, useClass: PassThrough }])).toBe(true);
    expect(await appliesWith([{ provide: APP_PIPE, useClass: Same }])).toBe(true);
  });

  it('sees request-scoped global ones', async () => {
    const scoped = (provide: string, useClass: Type<unknown>): Provider => ({
      provide,
      useClass,
      scope: Scope.REQUEST,
    });
    expect(await appliesWith([scoped(APP_GUARD, AllowAll)])).toBe(true);
    expect(await appliesWith([scoped(APP_INTERCEPTOR, PassThrough)])).toBe(true);
    expect(await appliesWith([scoped(APP_PIPE, Same)])).toBe(true);
  });
});
