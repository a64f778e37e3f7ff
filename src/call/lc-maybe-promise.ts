/**
 * A value, or a promise of it when producing it had to wait. The path of a call passes values
 * through as they are, so a handler that returns synchronously is answered in the same tick as
 * its body arrived: every promise and await between them was a measurable share of a small call.
 */
export type LcMaybePromise<T> = T | Promise<T>;

/** `next(value)`: at once when the value is here, once it settles when it is a promise. */
export function whenSettled<T, R>(
  value: LcMaybePromise<T>,
  next: (value: T) => LcMaybePromise<R>,
): LcMaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
