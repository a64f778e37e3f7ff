import type { Type } from '@nestjs/common';
import { lcParam, LcParamtype } from './lc-params.decorator.js';
import type { LcExtEventName } from '../protocol/extension/messages.js';

export const LC_EXT_METADATA = 'lc:ext';

export interface LcActionOptions {
  /** The class-validator DTO of the action's `data`: its `parameters` schema, validated first. */
  params?: Type<object>;
  /** The action's name in the web app (`label`). */
  label?: string;
  /** `short_description`. */
  description?: string;
  /** `long_description`. */
  longDescription?: string;
  /** The action the web app offers first (`is_default`). */
  default?: boolean;
  /** Shown to users in the web app (`is_user_facing`). Default true. */
  userFacing?: boolean;
  /** Needs the calling user's JWT (`is_impersonated`). */
  impersonated?: boolean;
  /** What the web app says while the action runs, when it succeeds, when it fails. */
  messages?: { inProgress?: string; success?: string; error?: string };
  /** A DTO describing the action's response data (`response`). */
  response?: Type<object>;
}

/** What one Extension decorator left on a method. */
export type LcExtMeta =
  | { kind: 'action'; name: string; options: LcActionOptions; decorator: string }
  | { kind: 'event'; name: string; decorator: string }
  | { kind: 'config-validator'; decorator: string }
  | { kind: 'error-report'; decorator: string };

function addExtMeta(meta: LcExtMeta): MethodDecorator {
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    const existing = (Reflect.getMetadata(LC_EXT_METADATA, method) as LcExtMeta[]) ?? [];
    Reflect.defineMetadata(LC_EXT_METADATA, [...existing, meta], method);
  };
}

/**
 * The handler of one Extension action (a `request` message). Returns the response `data` (a
 * plain object), or `lcExtResponse({ data, continuations })`; throws `LcError` to fail it.
 */
export function LcAction(name: string, options: LcActionOptions = {}): MethodDecorator {
  return addExtMeta({ kind: 'action', name, options, decorator: `@LcAction('${name}')` });
}

/** The handler of an event LimaCharlie sends: `subscribe`, `unsubscribe` or `update`. */
export function LcExtensionEvent(name: LcExtEventName): MethodDecorator {
  return addExtMeta({ kind: 'event', name, decorator: `@LcExtensionEvent('${name}')` });
}

/** Checks an org's new config (`conf_validation`) after its DTO passed; throw `LcError` to refuse. */
export function LcConfigValidator(): MethodDecorator {
  return addExtMeta({ kind: 'config-validator', decorator: '@LcConfigValidator()' });
}

/** Receives the errors LimaCharlie reports about the extension (`error_report`). */
export function LcErrorReport(): MethodDecorator {
  return addExtMeta({ kind: 'error-report', decorator: '@LcErrorReport()' });
}

const config = lcParam({ type: LcParamtype.CONFIG, validated: false });

/** The org's extension config: the `config` DTO of the module, validated. */
export const LcConfig = (): ParameterDecorator => config();
