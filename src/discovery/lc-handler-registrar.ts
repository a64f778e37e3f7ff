import { Inject, Injectable } from '@nestjs/common';
import { ExternalContextCreator } from '@nestjs/core';
import type { LcInvoke } from '../call/lc-handler-entry.js';
import type { LcHandlerMeta } from '../decorators/lc-handler.decorator.js';
import { handlerIsIdempotent } from '../idempotency/handler-idempotency.js';
import { isTrackedTaskName } from '../interactive/investigation-id.js';
import { LcInteractive } from '../interactive/lc-interactive.js';
import { LC_OPTIONS } from '../lc-service.constants.js';
import { LcConfigError } from '../options/lc-config-error.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import { prepareHandlerParams } from '../params/handler-params.js';
import { isHandlerEtype, MODULE_ETYPES } from '../protocol/service/etypes.js';
import { encodeResource, type LcResourceContent } from '../protocol/service/resources.js';
import { LcServiceState } from '../service/lc-service.state.js';
import type { LcServedBy } from './lc-boot-summary.js';
import type { LcDiscoveredMethod } from './lc-explorer.js';
import { LcHandlerRegistry } from './lc-handler.registry.js';
import { LcParamsFactory } from './lc-params.factory.js';
import { methodInvoker } from './lc-method-invoker.js';

/**
 * Turns discovered methods into what the Service protocol serves: each handler checked and given
 * one ExternalContextCreator invoker (guards, pipes, interceptors), registered by etype, detection
 * or command; task callbacks registered with the interactive tracker; `@LcResource` contents
 * computed once every provider is initialised.
 */
@Injectable()
export class LcHandlerRegistrar {
  private readonly paramsFactory = new LcParamsFactory();
  /** What each registered method serves, for the boot summary. */
  readonly served: LcServedBy[] = [];

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    private readonly registry: LcHandlerRegistry,
    private readonly state: LcServiceState,
    private readonly contextCreator: ExternalContextCreator,
    private readonly interactive: LcInteractive,
  ) {}

  register(methods: readonly LcDiscoveredMethod[]): void {
    for (const method of methods) {
      for (const meta of method.handlers) this.registerHandler(method, meta);
      if (method.taskCallback !== undefined) this.registerTaskCallback(method);
      if (method.resource !== undefined) {
        this.served.push({
          what: `resource: ${String(method.resource.name)}`,
          by: `${method.className}.${method.methodName}`,
        });
      }
    }
    this.state.changed();
  }

  async publishResources(methods: readonly LcDiscoveredMethod[]): Promise<void> {
    for (const { instance, className, methodName, resource } of methods) {
      if (resource === undefined) continue;
      const where = `${className}.${methodName}`;
      const { name, category } = resource;
      if (
        typeof name !== 'string' ||
        name === '' ||
        typeof category !== 'string' ||
        category === ''
      ) {
        throw new LcConfigError(
          `LcServiceModule: @LcResource on ${where} needs a non-empty 'name' and 'category'.`,
        );
      }
      if (this.state.resources.has(name)) {
        throw new LcConfigError(
          `LcServiceModule: resource '${name}' is published twice (again by ${where}). Resource names must be unique.`,
        );
      }
      let content: unknown;
      try {
        content = await (instance as Record<string, () => unknown>)[methodName]();
      } catch (err) {
        throw new LcConfigError(
          `LcServiceModule: @LcResource ${where} threw at bootstrap: ${(err as Error).message}`,
        );
      }
      if (content === null || (typeof content !== 'string' && typeof content !== 'object')) {
        throw new LcConfigError(
          `LcServiceModule: @LcResource ${where} returned ${content === null ? 'null' : typeof content}; return a string, a Buffer or a JSON-able object.`,
        );
      }
      this.state.resources.set(name, encodeResource(category, content as LcResourceContent));
    }
    this.state.changed();
  }

  private registerHandler(method: LcDiscoveredMethod, meta: LcHandlerMeta): void {
    const { instance, className, methodName } = method;
    const where = `${meta.decorator} on ${className}.${methodName}`;
    if ((MODULE_ETYPES as readonly string[]).includes(meta.etype)) {
      throw new LcConfigError(
        `LcServiceModule: ${where}: '${meta.etype}' is answered by the module from what it discovers. ` +
          (meta.etype === 'get_resource'
            ? 'Publish resources with @LcResource({ name, category }) or LcService.publishResource().'
            : 'Remove the handler.'),
      );
    }
    if (!isHandlerEtype(meta.etype)) {
      throw new LcConfigError(
        `LcServiceModule: ${where}: unknown etype '${meta.etype}'. Check the spelling against the LcHandlerEtype type.`,
      );
    }
    const { detections } = meta;
    if (detections !== undefined) {
      if (meta.etype !== 'detection') {
        throw new LcConfigError(
          `LcServiceModule: ${where}: the 'detections' option only applies to @LcHandler('detection').`,
        );
      }
      if (
        !Array.isArray(detections) ||
        detections.length === 0 ||
        !detections.every((d) => typeof d === 'string' && d !== '')
      ) {
        throw new LcConfigError(
          `LcServiceModule: ${where}: 'detections' must be a non-empty list of detection names.`,
        );
      }
    }
    // Before the invoker is created: it reads the parameter types the DTO shield rewrites.
    const { dto, command } = prepareHandlerParams(
      meta,
      instance,
      methodName,
      `LcServiceModule: ${where}`,
    );
    const { callback, invoke, wantsClientArg, usesClient } = this.invoker(instance, methodName);
    this.registry.register(
      {
        name: `${className}.${methodName}`,
        etype: meta.etype,
        invoke,
        wantsClientArg,
        usesClient,
        params: dto,
        idempotent: handlerIsIdempotent(
          callback,
          this.options.idempotency,
          `LcServiceModule: ${where}`,
        ),
      },
      detections,
      command?.name,
    );
    this.served.push({
      what:
        command !== undefined
          ? `command: ${command.name}`
          : detections !== undefined
            ? `detection: ${detections.join(', ')}`
            : meta.etype,
      by: `${className}.${methodName}`,
    });
    if (command !== undefined) this.state.commands[command.name] = command;
    else if (dto !== undefined) {
      this.state.declareRequestParams(dto.defs, `the params DTO ${dto.dto.name} of ${where}`);
    }
  }

  private registerTaskCallback(method: LcDiscoveredMethod): void {
    const { instance, className, methodName, taskCallback } = method;
    const where = `${className}.${methodName}`;
    const name = taskCallback?.name ?? where;
    if (!isTrackedTaskName(name)) {
      throw new LcConfigError(
        `LcServiceModule: @LcTaskCallback on ${where}: the name ${JSON.stringify(name)} must be 1-128 characters of A-Z a-z 0-9 _ . : - (it travels in investigation ids).`,
      );
    }
    const { callback, invoke, wantsClientArg, usesClient } = this.invoker(instance, methodName);
    this.served.push({ what: `task callback: ${name}`, by: where });
    this.interactive.register(
      name,
      { name: where, etype: 'detection', invoke, wantsClientArg, usesClient },
      callback,
    );
  }

  /**
   * The calling convention is the method's own declaration: with LC parameter decorators it gets
   * what they ask for; without any it is called like the Python RI, `(lc, oid, request)`.
   */
  private invoker(
    instance: object,
    methodName: string,
  ): {
    callback: (...args: unknown[]) => unknown;
    invoke: LcInvoke;
    wantsClientArg: boolean;
    usesClient: boolean;
  } {
    const { callback, invoke, plain, takesNoArgs, usesClient } = methodInvoker(
      this.contextCreator,
      this.paramsFactory,
      instance,
      methodName,
    );
    return { callback, invoke, wantsClientArg: plain && !takesNoArgs, usesClient };
  }
}
