import { LC_RESOURCE_METADATA } from '../lc-service.constants.js';

export interface LcResourceOptions {
  /** The resource name; referenced as `lcr://service/<serviceName>/<name>`. */
  name: string;
  /** The resource category LimaCharlie files it under (e.g. `detection`, `lookup`). */
  category: string;
}

/**
 * Marks a provider method that returns a resource's content (text, bytes or a JSON-able value,
 * possibly async). It runs once at application bootstrap; `get_resource` serves the result.
 */
export function LcResource(options: LcResourceOptions): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(LC_RESOURCE_METADATA, { ...options }, descriptor.value as object);
  };
}
