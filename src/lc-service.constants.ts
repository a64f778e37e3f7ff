/** What `ExecutionContext.getType()` returns inside guards, pipes and interceptors of LC handlers. */
export const LC_CONTEXT_TYPE = 'lc';

export const LC_HANDLER_METADATA = 'lc:handler';
export const LC_RESOURCE_METADATA = 'lc:resource';
export const LC_TASK_CALLBACK_METADATA = 'lc:task-callback';

/** Injection token of the resolved, validated module options. */
export const LC_OPTIONS = Symbol('LC_OPTIONS');
