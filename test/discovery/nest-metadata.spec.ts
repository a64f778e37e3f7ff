import 'reflect-metadata';
import { Inject, Injectable, forwardRef } from '@nestjs/common';
import {
  PARAMTYPES_METADATA,
  PROPERTY_DEPS_METADATA,
  SELF_DECLARED_DEPS_METADATA,
} from '@nestjs/common/constants.js';
import { classInjects, hideFromPipes, paramTypesOf } from '../../src/decorators/nest-metadata.js';

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
