import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { ExternalContextCreator, ModulesContainer } from '@nestjs/core';
import type { LcHandlerMeta } from '../decorators/lc-handler.decorator.js';
import { argsOf, LC_ARGS_METADATA } from '../decorators/nest-metadata.js';
import { LC_CONTEXT_TYPE, LC_OPTIONS } from '../lc-service.constants.js';
import { LcConfigError } from '../options/lc-config-error.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import { isHandlerEtype, MODULE_ETYPES } from '../protocol/service/etypes.js';
import { encodeResource, type LcResourceContent } from '../protocol/service/resources.js';
import { prepareHandlerParams } from '../params/handler-params.js';
import { handlerIsIdempotent } from '../idempotency/handler-idempotency.js';
import { LcServiceState } from '../service/lc-service.state.js';
import { callTrackingRequested } from '../call/lc-call.storage.js';
import { LcCallTracking } from '../call/lc-call-tracking.js';
import { findInjectionsOf } from './lc-context-consumers.js';
import { LcContext } from '../call/lc-context.js';
import { LcExplorer, type LcDiscoveredMethod } from './lc-explorer.js';
import type { LcInvoke } from '../call/lc-handler-entry.js';
import { LcHandlerRegistry } from './lc-handler.registry.js';
import { LcParamsFactory } from './lc-params.factory.js';
import { LcWebhookRoute } from '../transport/lc-webhook.route.js';
import { LcOperationsRoutes } from '../operations/lc-operations.routes.js';
import { isTrackedTaskName } from '../interactive/investigation-id.js';
import { LcInteractive } from '../interactive/lc-interactive.js';

const INVOKER_OPTIONS = { guards: true, interceptors: true, filters: false };

/**
 * Boot: discover, check, build one invoker per handler, mount the route (onModuleInit, so a
 * misconfiguration fails `app.init()` before the app listens); then compute the `@LcResource`
 * contents (onApplicationBootstrap, when every provider is initialised).
 */
@Injectable()
export class LcBootstrap implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('LcService');
  private readonly paramsFactory = new LcParamsFactory();
  private resourceMethods: LcDiscoveredMethod[] = [];

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    private readonly explorer: LcExplorer,
    private readonly registry: LcHandlerRegistry,
    private readonly state: LcServiceState,
    private readonly contextCreator: ExternalContextCreator,
    private readonly route: LcWebhookRoute,
    private readonly operationsRoutes: LcOperationsRoutes,
    private readonly interactive: LcInteractive,
    private readonly tracking: LcCallTracking,
    private readonly modules: ModulesContainer,
  ) {}

  onModuleInit(): void {
    const methods = this.explorer.explore();
    for (const method of methods) {
      for (const meta of method.handlers) this.registerHandler(method, meta);
      if (method.taskCallback !== undefined) this.registerTaskCallback(method);
    }
    this.resourceMethods = methods.filter((m) => m.resource !== undefined);
    this.decideCallTracking();
    this.state.changed();
    this.route.mount();
    this.operationsRoutes.mount();
    if (this.options.secrets.length === 0) {
      this.logger.warn(
        '!!! allowUnsigned is on: calls are NOT authenticated and anyone who can reach this service can drive it. Never run like this in production: set the secret option. !!!',
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const { instance, className, methodName, resource } of this.resourceMethods) {
      const where = `${className}.${methodName}`;
      const { name, category } = resource!;
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

  /**
   * `AsyncLocalStorage` costs every promise in the process on Node 20 (a sixth of the throughput
   * of small calls): entered only when the option asks for it or something reads it.
   */
  private decideCallTracking(): void {
    const readers = findInjectionsOf(this.modules, LcContext);
    this.tracking.decide(this.options.asyncContext, readers.length > 0);
    if (callTrackingRequested()) readers.push('LcGcpLogger');
    if (this.tracking.enabled) {
      this.logger.log(
        `call tracking (AsyncLocalStorage) is on for ${readers.length > 0 ? readers.join(', ') : "the option 'asyncContext'"}`,
      );
    }
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
    const { callback, invoke, wantsClientArg } = this.invoker(instance, methodName);
    this.registry.register(
      {
        name: `${className}.${methodName}`,
        etype: meta.etype,
        invoke,
        wantsClientArg,
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
    const { callback, invoke, wantsClientArg } = this.invoker(instance, methodName);
    this.interactive.register(
      name,
      { name: where, etype: 'detection', invoke, wantsClientArg },
      callback,
    );
  }

  /** One ExternalContextCreator invoker per method: guards, pipes and interceptors included. */
  private invoker(
    instance: object,
    methodName: string,
  ): { callback: (...args: unknown[]) => unknown; invoke: LcInvoke; wantsClientArg: boolean } {
    const proto = Object.getPrototypeOf(instance) as Record<
      string,
      (...args: unknown[]) => unknown
    >;
    const callback = proto[methodName];
    const invoke = this.contextCreator.create(
      instance as Record<string, unknown>,
      callback,
      methodName,
      LC_ARGS_METADATA,
      this.paramsFactory,
      undefined,
      undefined,
      INVOKER_OPTIONS,
      LC_CONTEXT_TYPE,
    ) as unknown as LcInvoke;
    // The calling convention is the method's own declaration: with LC parameter decorators it gets
    // what they ask for; without any it is called like the Python RI, `(lc, oid, request)`.
    const riStyle = argsOf(instance.constructor, methodName) === undefined;
    return { callback, invoke, wantsClientArg: riStyle };
  }
}
