import type { ModulesContainer } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { classInjects, factoryInjects } from '../decorators/nest-metadata.js';

function wrapperInjects(wrapper: InstanceWrapper<unknown>, token: unknown): boolean {
  const { metatype, inject } = wrapper;
  if (inject !== undefined && inject !== null) return factoryInjects(inject, token);
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
