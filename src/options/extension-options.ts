import type { Type } from '@nestjs/common';
import { LcConfigError } from './lc-config-error.js';
import {
  optionFail,
  resolveOperationalOptions,
  resolveSecrets,
  type LcOperationalOptions,
  type ResolvedLcOptions,
} from './lc-service.options.js';
import { EXTENSION_OPTION_KEYS, unknownOptionWarnings } from './unknown-options.js';

/** A tab of the extension's page in LimaCharlie's web app (`common.View`). */
export interface LcExtViewOptions {
  name: string;
  /** How the web app lays the view out, e.g. `action`. */
  layoutType: string;
  /** Actions whose forms the view shows. */
  defaultRequests?: string[];
}

export interface LcExtensionModuleOptions extends LcOperationalOptions {
  /** The extension's name as registered in LimaCharlie. */
  name: string;
  /** Shared secret(s) for `lc-ext-sig`; several during a rotation. Required. */
  secret: string | string[] | undefined;
  /**
   * The class-validator DTO of the org's extension config: its `config_schema`, validated on
   * `conf_validation` and on every call, given by `@LcConfig()`.
   */
  config?: Type<object>;
  /** The views of `schema_request`. */
  views?: LcExtViewOptions[];
  /**
   * How long a handler may run (the protocol carries no deadline): past it the call is answered
   * with a retriable error and the handler's signal aborts. Default 600 000 ms.
   */
  timeoutMs?: number;
}

export interface ResolvedLcExtOptions extends ResolvedLcOptions {
  config: Type<object> | undefined;
  views: LcExtViewOptions[];
  timeoutMs: number;
}

export const DEFAULT_EXT_TIMEOUT_MS = 600_000;

/** Applies defaults and rejects anything that would misbehave at run time. */
export function resolveLcExtOptions(
  opts: LcExtensionModuleOptions | undefined,
): ResolvedLcExtOptions {
  if (typeof opts !== 'object' || opts === null) {
    throw new LcConfigError(
      "LcExtensionModule: forRoot() needs an options object, e.g. forRoot({ name: 'ext-scan', secret: process.env.LC_EXT_SECRET })",
    );
  }
  const fail = optionFail('LcExtensionModule');
  const { name, config, views = [], timeoutMs = DEFAULT_EXT_TIMEOUT_MS } = opts;
  if (typeof name !== 'string' || name.trim() === '' || /[\s/]/.test(name)) {
    fail(
      'name',
      `must be the extension's name as registered in LimaCharlie, without whitespace or '/', e.g. 'ext-scan'; got ${JSON.stringify(name)}`,
    );
  }
  if (config !== undefined && typeof config !== 'function') {
    fail('config', 'must be a class-validator DTO class');
  }
  if (!Array.isArray(views))
    fail('views', 'must be a list of { name, layoutType, defaultRequests }');
  views.forEach((view, i) => {
    if (
      typeof view !== 'object' ||
      view === null ||
      typeof view.name !== 'string' ||
      view.name === '' ||
      typeof view.layoutType !== 'string' ||
      view.layoutType === '' ||
      (view.defaultRequests !== undefined &&
        !(
          Array.isArray(view.defaultRequests) &&
          view.defaultRequests.every((r) => typeof r === 'string')
        ))
    ) {
      fail(
        `views[${i}]`,
        'must be { name: string, layoutType: string, defaultRequests?: string[] }',
      );
    }
  });
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 1) {
    fail('timeoutMs', `must be a positive integer of milliseconds, got ${String(timeoutMs)}`);
  }
  return {
    module: 'LcExtensionModule',
    serviceName: name,
    secrets: resolveSecrets(
      fail,
      opts.secret,
      'is required: pass the shared secret LimaCharlie signs extension calls with, e.g. secret: process.env.LC_EXT_SECRET',
    ),
    allowUnsigned: false,
    interactive: undefined,
    ...resolveOperationalOptions(opts, fail),
    warnings: unknownOptionWarnings('LcExtensionModule', opts, EXTENSION_OPTION_KEYS),
    config,
    views,
    timeoutMs,
  };
}
