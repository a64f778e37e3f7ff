import {
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PARAMTYPES_METADATA,
  PIPES_METADATA,
  PROPERTY_DEPS_METADATA,
  SELF_DECLARED_DEPS_METADATA,
} from '@nestjs/common/constants.js';

/**
 * Every place the module depends on how Nest stores metadata, in one file. Nest offers no public
 * API for these two needs: knowing which providers inject a token (to turn call tracking on only
 * when something reads it) and keeping pipes from rebuilding an argument the module already built
 * (a global ValidationPipe would otherwise rebuild `lc: LimaCharlieClient` through
 * class-transformer). test/discovery/nest-metadata.spec.ts fails loudly when a Nest upgrade moves
 * any of it.
 */

/** Where LC parameter decorators record their arguments; handed to ExternalContextCreator. */
export const LC_ARGS_METADATA = 'lc:args';

/** One parameter as ExternalContextCreator expects it, keyed `${type}:${index}`. */
export interface LcArgMetadata {
  index: number;
  data?: unknown;
  pipes: unknown[];
}

export function argsOf(
  ctor: object,
  methodName: string | symbol,
): Record<string, LcArgMetadata> | undefined {
  return Reflect.getMetadata(LC_ARGS_METADATA, ctor, methodName) as
    Record<string, LcArgMetadata> | undefined;
}

export function addArg(
  ctor: object,
  methodName: string | symbol,
  key: string,
  arg: LcArgMetadata,
): void {
  Reflect.defineMetadata(
    LC_ARGS_METADATA,
    { ...argsOf(ctor, methodName), [key]: arg },
    ctor,
    methodName,
  );
}

/** The declared parameter types of a method, as TypeScript's emitDecoratorMetadata wrote them. */
export function paramTypesOf(proto: object, methodName: string | symbol): unknown[] | undefined {
  return Reflect.getMetadata(PARAMTYPES_METADATA, proto, methodName) as unknown[] | undefined;
}

/**
 * Pipes see `Object` instead of the declared type of these parameters, which ValidationPipe
 * passes through untouched. Decorators run after TypeScript wrote the types, so this sticks.
 */
export function hideFromPipes(
  proto: object,
  methodName: string | symbol,
  indexes: readonly number[],
): void {
  const types = paramTypesOf(proto, methodName);
  if (types === undefined) return;
  const copy = [...types];
  for (const index of indexes) if (index < copy.length) copy[index] = Object;
  Reflect.defineMetadata(PARAMTYPES_METADATA, copy, proto, methodName);
}

/** A dependency as Nest records it: the token itself, `forwardRef(() => token)`, or `{ token }`. */
function isToken(dep: unknown, token: unknown): boolean {
  if (dep === token) return true;
  if (typeof dep !== 'object' || dep === null) return false;
  if ('forwardRef' in dep && typeof dep.forwardRef === 'function') {
    return (dep.forwardRef as () => unknown)() === token;
  }
  return 'token' in dep && isToken(dep.token, token);
}

/** Whether a class gets `token` from Nest's injector: constructor type, `@Inject()` or property. */
export function classInjects(metatype: object, token: unknown): boolean {
  const types = Reflect.getMetadata(PARAMTYPES_METADATA, metatype) as unknown[] | undefined;
  if (types?.includes(token) === true) return true;
  const declared = Reflect.getMetadata(SELF_DECLARED_DEPS_METADATA, metatype) as
    { param: unknown }[] | undefined;
  if (declared?.some((d) => isToken(d.param, token)) === true) return true;
  const properties = Reflect.getMetadata(PROPERTY_DEPS_METADATA, metatype) as
    { type: unknown }[] | undefined;
  return properties?.some((p) => isToken(p.type, token)) === true;
}

/** Whether a factory provider's `inject` list asks for `token`. */
export function factoryInjects(inject: readonly unknown[], token: unknown): boolean {
  return inject.some((dep) => isToken(dep, token));
}

/** Nest's enhancer lists: where a decorator records them, and where the global ones are kept. */
const ENHANCERS = [
  {
    key: GUARDS_METADATA,
    creator: 'guardsContextCreator',
    requestScoped: 'getGlobalRequestGuards',
  },
  {
    key: INTERCEPTORS_METADATA,
    creator: 'interceptorsContextCreator',
    requestScoped: 'getGlobalRequestInterceptors',
  },
  { key: PIPES_METADATA, creator: 'pipesContextCreator', requestScoped: 'getGlobalRequestPipes' },
] as const;

interface EnhancerContextCreator {
  getGlobalMetadata?: () => unknown;
  config?: Record<string, unknown>;
}

function hasItems(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

/**
 * Whether any guard, interceptor or pipe applies to a handler method: on its class or itself
 * (`@UseGuards`...), on one of its LC parameters, or global (`useGlobal*`, `APP_*` providers,
 * request-scoped ones included). ExternalContextCreator keeps the global lists in its context
 * creators; when a Nest upgrade moves them, the answer is yes, and Nest runs the handler as before.
 */
export function nestEnhancersApply(
  contextCreator: object,
  instance: object,
  callback: object,
  args: Record<string, LcArgMetadata> | undefined,
): boolean {
  if (args !== undefined && Object.values(args).some((arg) => hasItems(arg.pipes))) return true;
  const creators = contextCreator as Record<string, EnhancerContextCreator | undefined>;
  for (const { key, creator, requestScoped } of ENHANCERS) {
    if (hasItems(Reflect.getMetadata(key, instance.constructor))) return true;
    if (hasItems(Reflect.getMetadata(key, callback))) return true;
    const context = creators[creator];
    if (typeof context?.getGlobalMetadata !== 'function') return true;
    const globals = context.getGlobalMetadata();
    if (!Array.isArray(globals) || globals.length > 0) return true;
    const scoped = context.config?.[requestScoped];
    if (typeof scoped !== 'function') return true;
    const requestScopedGlobals: unknown = (scoped as () => unknown).call(context.config);
    if (!Array.isArray(requestScopedGlobals) || requestScopedGlobals.length > 0) return true;
  }
  return false;
}
