export const LC_IDEMPOTENT_METADATA = 'lc:idempotent';

/**
 * Answers a redelivered `mid` with the first delivery's answer instead of running the handler
 * again (module option `idempotency`). `@LcIdempotent(false)` opts a handler out when the module
 * makes every handler idempotent.
 */
export function LcIdempotent(enabled = true): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(LC_IDEMPOTENT_METADATA, enabled, descriptor.value as object);
  };
}

/** What `@LcIdempotent` left on a handler method, or undefined when it has none. */
export function idempotentMark(method: object): boolean | undefined {
  return Reflect.getMetadata(LC_IDEMPOTENT_METADATA, method) as boolean | undefined;
}
