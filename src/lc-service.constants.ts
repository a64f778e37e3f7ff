/** What `ExecutionContext.getType()` returns inside guards, pipes and interceptors of LC handlers. */
export const LC_CONTEXT_TYPE = 'lc';

export const LC_HANDLER_METADATA = 'lc:handler';
export const LC_RESOURCE_METADATA = 'lc:resource';
export const LC_TASK_CALLBACK_METADATA = 'lc:task-callback';

/** Injection token of the resolved, validated module options. */
export const LC_OPTIONS = Symbol('LC_OPTIONS');

/** Which of the package's modules a provider serves: named in boot errors, the metrics' `protocol` label. */
export interface LcModuleIdentity {
  readonly name: 'LcServiceModule' | 'LcExtensionModule';
  readonly protocol: 'service' | 'extension';
}

/** Injection token of the module's `LcModuleIdentity`. */
export const LC_MODULE = Symbol('LC_MODULE');

export const SERVICE_MODULE: LcModuleIdentity = { name: 'LcServiceModule', protocol: 'service' };
export const EXTENSION_MODULE: LcModuleIdentity = {
  name: 'LcExtensionModule',
  protocol: 'extension',
};
