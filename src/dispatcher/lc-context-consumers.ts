import type { ModulesContainer } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';

/**
 * Nest's dependency metadata keys (PARAMTYPES_METADATA, SELF_DECLARED_DEPS_METADATA and
 * PROPERTY_DEPS_METADATA in @nestjs/common, which keeps them off its public entry).
 */
const CONSTRUCTOR_TYPES = 'design:paramtypes';
const CONSTRUCTOR_INJECTS = 'self:paramtypes';
const PROPERTY_INJECTS = 'self:properties_metadata';

function classInjects(metatype: object, token: unknown): boolean {
  const types = Reflect.getMetadata(CONSTRUCTOR_TYPES, metatype) as unknown[] | undefined;
  if (types?.includes(token) === true) return true;
  const declared = Reflect.getMetadata(CONSTRUCTOR_INJECTS, metatype) as
    { param: unknown }[] | undefined;
  if (declared?.some((d) => d.param === token) === true) return true;
  const properties = Reflect.getMetadata(PROPERTY_INJECTS, metatype) as
    { type: unknown }[] | undefined;
  return properties?.some((p) => p.type === token) === true;
}

function wrapperInjects(wrapper: InstanceWrapper<unknown>, token: unknown): boolean {
  const { metatype, inject } = wrapper;
  if (inject !== undefined && inject !== null) {
    return inject.some((dep) =>
      typeof dep === 'object' && dep !== null && 'token' in dep
        ? dep.token === token
        : dep === token,
    );
  }
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
