import type { ModulesContainer } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';

/**
 * Nest's dependency metadata keys (PARAMTYPES_METADATA, SELF_DECLARED_DEPS_METADATA and
 * PROPERTY_DEPS_METADATA in @nestjs/common, which keeps them off its public entry).
 */
const CONSTRUCTOR_TYPES = 'design:paramtypes';
const CONSTRUCTOR_INJECTS = 'self:paramtypes';
const PROPERTY_INJECTS = 'self:properties_metadata';

/** A dependency as Nest records it: the token itself, `forwardRef(() => token)`, or `{ token }`. */
function isToken(dep: unknown, token: unknown): boolean {
  if (dep === token) return true;
  if (typeof dep !== 'object' || dep === null) return false;
  if ('forwardRef' in dep && typeof dep.forwardRef === 'function') {
    return (dep.forwardRef as () => unknown)() === token;
  }
  return 'token' in dep && isToken(dep.token, token);
}

function classInjects(metatype: object, token: unknown): boolean {
  const types = Reflect.getMetadata(CONSTRUCTOR_TYPES, metatype) as unknown[] | undefined;
  if (types?.includes(token) === true) return true;
  const declared = Reflect.getMetadata(CONSTRUCTOR_INJECTS, metatype) as
    { param: unknown }[] | undefined;
  if (declared?.some((d) => isToken(d.param, token)) === true) return true;
  const properties = Reflect.getMetadata(PROPERTY_INJECTS, metatype) as
    { type: unknown }[] | undefined;
  return properties?.some((p) => isToken(p.type, token)) === true;
}

function wrapperInjects(wrapper: InstanceWrapper<unknown>, token: unknown): boolean {
  const { metatype, inject } = wrapper;
  if (inject !== undefined && inject !== null) return inject.some((dep) => isToken(dep, token));
  return typeof metatype === 'function' && classInjects(metatype, token);
}

/**
 * The names of the providers, controllers and enhancers that get `token` from Nest's injector
 * (constructor, `@Inject()` or property injection, factory `inject`). Read once at boot.
 */
export function findInjectionsOf(modules: ModulesContainer, token: unknown): string[] {
  const found = new Set<string>();
  for (const moduleRef of modules.values()) {
    for (const wrappers of [moduleRef.providers, moduleRef.controllers, moduleRef.injectables]) {
      for (const wrapper of wrappers.values()) {
        if (wrapper.metatype !== token && wrapperInjects(wrapper, token)) {
          found.add(String(wrapper.name));
        }
      }
    }
  }
  return [...found];
}
