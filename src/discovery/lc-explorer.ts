import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type { LcHandlerMeta } from '../decorators/lc-handler.decorator.js';
import type { LcResourceOptions } from '../decorators/lc-resource.decorator.js';
import type { LcTaskCallbackMeta } from '../interactive/lc-task-callback.decorator.js';
import {
  LC_HANDLER_METADATA,
  LC_RESOURCE_METADATA,
  LC_TASK_CALLBACK_METADATA,
} from '../lc-service.constants.js';
import { LcConfigError } from '../options/lc-config-error.js';

/** A provider method that carries LC decorators. */
export interface LcDiscoveredMethod {
  instance: object;
  className: string;
  methodName: string;
  handlers: LcHandlerMeta[];
  resource: LcResourceOptions | undefined;
  taskCallback: LcTaskCallbackMeta | undefined;
}

type Wrapper = InstanceWrapper<unknown>;

/** Finds decorated methods once, at boot, and refuses the setups that cannot work. */
@Injectable()
export class LcExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  explore(): LcDiscoveredMethod[] {
    for (const wrapper of this.discovery.getControllers()) this.refuseController(wrapper);
    const found: LcDiscoveredMethod[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const proto = prototypeOf(wrapper);
      if (proto === undefined) continue;
      const methods = this.decoratedMethods(proto);
      if (methods.length === 0) continue;
      const className = classNameOf(wrapper, proto);
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
        throw new LcConfigError(
          `LcServiceModule: ${className}.${methods[0].methodName} is an LC handler, but ${className} is ` +
            `${wrapper.isTransient ? 'transient' : 'request-scoped (or depends on a request-scoped provider)'}. ` +
            'LC handlers must live in default-scoped (singleton) providers; read per-call state with LcContext or @LcReq() instead.',
        );
      }
      const instance = wrapper.instance as object;
      for (const m of methods) found.push({ instance, className, ...m });
    }
    return found;
  }

  private decoratedMethods(proto: object): Omit<LcDiscoveredMethod, 'instance' | 'className'>[] {
    const out: Omit<LcDiscoveredMethod, 'instance' | 'className'>[] = [];
    for (const methodName of this.scanner.getAllMethodNames(proto)) {
      const method = (proto as Record<string, unknown>)[methodName];
      if (typeof method !== 'function') continue;
      const handlers = (Reflect.getMetadata(LC_HANDLER_METADATA, method) as LcHandlerMeta[]) ?? [];
      const resource = Reflect.getMetadata(LC_RESOURCE_METADATA, method) as
        LcResourceOptions | undefined;
      const taskCallback = Reflect.getMetadata(LC_TASK_CALLBACK_METADATA, method) as
        LcTaskCallbackMeta | undefined;
      if (handlers.length > 0 || resource !== undefined || taskCallback !== undefined)
        out.push({ methodName, handlers, resource, taskCallback });
    }
    return out;
  }

  private refuseController(wrapper: Wrapper): void {
    const proto = prototypeOf(wrapper);
    if (proto === undefined) return;
    const methods = this.decoratedMethods(proto);
    if (methods.length === 0) return;
    throw new LcConfigError(
      `LcServiceModule: ${classNameOf(wrapper, proto)}.${methods[0].methodName} has an LC decorator, but ` +
        `${classNameOf(wrapper, proto)} is a controller. Put LC handlers on a provider (@Injectable() class ` +
        "listed in a module's providers): their parameter decorators would clash with HTTP route parameters.",
    );
  }
}

export function prototypeOf(wrapper: Wrapper): object | undefined {
  const { instance, metatype } = wrapper;
  if (instance !== undefined && instance !== null && typeof instance === 'object') {
    return Object.getPrototypeOf(instance) as object;
  }
  // Request-scoped providers have no instance at boot: look at the class to refuse them.
  if (typeof metatype === 'function' && !wrapper.isNotMetatype) {
    return metatype.prototype as object;
  }
  return undefined;
}

export function classNameOf(wrapper: Wrapper, proto: object): string {
  return (proto.constructor as { name?: string }).name || String(wrapper.name);
}
