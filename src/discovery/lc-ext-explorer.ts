import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService, ExternalContextCreator, MetadataScanner } from '@nestjs/core';
import { LC_EXT_METADATA, type LcExtMeta } from '../decorators/lc-extension.decorators.js';
import { handlerIsIdempotent } from '../idempotency/handler-idempotency.js';
import { LC_OPTIONS } from '../lc-service.constants.js';
import type { ResolvedLcExtOptions } from '../options/extension-options.js';
import { LcConfigError } from '../options/lc-config-error.js';
import { LcExtDto } from '../params/ext-dto.js';
import { schemaRequestAnswer } from '../params/ext-schema.js';
import { shieldDtoFromPipes } from '../params/handler-params.js';
import { EXT_EVENT_NAMES } from '../protocol/extension/messages.js';
import { classNameOf, prototypeOf } from './lc-explorer.js';
import { LcExtParamsFactory } from './lc-ext-params.factory.js';
import { LcExtRegistry, type LcExtEntry } from './lc-ext-registry.js';
import { methodInvoker } from './lc-method-invoker.js';

const MODULE = 'LcExtensionModule';

interface Found {
  instance: object;
  className: string;
  methodName: string;
  metas: LcExtMeta[];
}

/**
 * Finds the Extension decorators on providers once, at boot, refuses the setups that cannot work,
 * and registers each handler with one ExternalContextCreator invoker (guards, pipes, interceptors).
 */
@Injectable()
export class LcExtExplorer {
  private readonly paramsFactory = new LcExtParamsFactory();

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcExtOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly contextCreator: ExternalContextCreator,
    private readonly registry: LcExtRegistry,
  ) {}

  /** Registers every handler and computes the schema_request answer from them and the options. */
  register(): void {
    const { registry } = this;
    if (this.options.config !== undefined) registry.config = new LcExtDto(this.options.config);
    for (const found of this.explore()) {
      for (const meta of found.metas) this.registerOne(found, meta);
    }
    const { views, config } = this.options;
    registry.schema = schemaRequestAnswer({
      views,
      config,
      actions: [...registry.actions].map(([name, entry]) => ({ name, ...entry.options })),
      // As the vendor's framework does: the events the extension handles.
      requiredEvents: [...registry.events.keys()],
    });
  }

  private explore(): Found[] {
    for (const wrapper of this.discovery.getControllers()) {
      const proto = prototypeOf(wrapper);
      const methods = proto === undefined ? [] : this.decorated(proto);
      if (proto !== undefined && methods.length > 0) {
        const className = classNameOf(wrapper, proto);
        throw new LcConfigError(
          `${MODULE}: ${className}.${methods[0].methodName} has an Extension decorator, but ${className} is a controller. ` +
            "Put Extension handlers on a provider (@Injectable() class listed in a module's providers).",
        );
      }
    }
    const found: Found[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const proto = prototypeOf(wrapper);
      if (proto === undefined) continue;
      const methods = this.decorated(proto);
      if (methods.length === 0) continue;
      const className = classNameOf(wrapper, proto);
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
        throw new LcConfigError(
          `${MODULE}: ${className}.${methods[0].methodName} is an Extension handler, but ${className} is ` +
            `${wrapper.isTransient ? 'transient' : 'request-scoped (or depends on a request-scoped provider)'}. ` +
            'Extension handlers must live in default-scoped (singleton) providers; read per-call state with @LcReq().',
        );
      }
      for (const m of methods)
        found.push({ instance: wrapper.instance as object, className, ...m });
    }
    return found;
  }

  private decorated(proto: object): { methodName: string; metas: LcExtMeta[] }[] {
    const out: { methodName: string; metas: LcExtMeta[] }[] = [];
    for (const methodName of this.scanner.getAllMethodNames(proto)) {
      const method = (proto as Record<string, unknown>)[methodName];
      if (typeof method !== 'function') continue;
      const metas = Reflect.getMetadata(LC_EXT_METADATA, method) as LcExtMeta[] | undefined;
      if (metas !== undefined && metas.length > 0) out.push({ methodName, metas });
    }
    return out;
  }

  private registerOne(found: Found, meta: LcExtMeta): void {
    const { registry } = this;
    const name = `${found.className}.${found.methodName}`;
    const where = `${MODULE}: ${meta.decorator} on ${name}`;
    const twice = (what: string, other: LcExtEntry): LcConfigError =>
      new LcConfigError(
        `${MODULE}: two handlers for ${what}: ${other.name === name ? `${name} is registered twice (is its class listed as a provider in two modules?)` : `${other.name} and ${name}`}. Keep one.`,
      );
    switch (meta.kind) {
      case 'action': {
        if (typeof meta.name !== 'string' || meta.name === '') {
          throw new LcConfigError(`${where}: the action needs a non-empty name.`);
        }
        const { params } = meta.options;
        if (params !== undefined && typeof params !== 'function') {
          throw new LcConfigError(`${where}: 'params' must be a class-validator DTO class.`);
        }
        const other = registry.actions.get(meta.name);
        if (other !== undefined) throw twice(`action '${meta.name}'`, other);
        if (params !== undefined) {
          shieldDtoFromPipes(found.instance, found.methodName, params, where);
        }
        registry.actions.set(meta.name, {
          ...this.entry(found, name, where),
          params: params === undefined ? undefined : new LcExtDto(params),
          options: meta.options,
        });
        registry.actionNames.add(meta.name);
        return;
      }
      case 'event': {
        if (!(EXT_EVENT_NAMES as readonly string[]).includes(meta.name)) {
          throw new LcConfigError(
            `${where}: unknown event '${meta.name}'. LimaCharlie sends ${EXT_EVENT_NAMES.join(', ')}.`,
          );
        }
        const other = registry.events.get(meta.name);
        if (other !== undefined) throw twice(`event '${meta.name}'`, other);
        registry.events.set(meta.name, this.entry(found, name, where));
        return;
      }
      case 'config-validator':
        if (registry.configValidator !== undefined) {
          throw twice('@LcConfigValidator()', registry.configValidator);
        }
        registry.configValidator = this.entry(found, name, where);
        return;
      case 'error-report':
        if (registry.errorReport !== undefined)
          throw twice('@LcErrorReport()', registry.errorReport);
        registry.errorReport = this.entry(found, name, where);
        return;
    }
  }

  private entry(found: Found, name: string, where: string): LcExtEntry {
    const { instance, methodName } = found;
    const { callback, invoke, plain, usesClient } = methodInvoker(
      this.contextCreator,
      this.paramsFactory,
      instance,
      methodName,
    );
    return {
      name,
      invoke,
      plain,
      usesClient,
      idempotent: handlerIsIdempotent(callback, this.options.idempotency, where),
    };
  }
}
