import { LC_TASK_CALLBACK_METADATA } from '../lc-service.constants.js';

export interface LcTaskCallbackMeta {
  name: string | undefined;
}

/**
 * Marks a provider method as the callback of tracked sensor tasks (interactive services):
 * `lc.sensor(sid).task('os_packages', { callback: this.onPackages, job, ctx })`. The reply comes
 * back as a detection, to any replica, and is routed here as `(lc, oid, event, job, ctx)` or
 * through `@LcEvent() @LcJob() @LcTaskCtx() @LcSid() @LcClient()`.
 *
 * The name travels in investigation ids, so it must stay stable across deploys while tasks are
 * in flight: it defaults to `ClassName.methodName`; give one explicitly to allow renames.
 */
export function LcTaskCallback(name?: string): MethodDecorator {
  return (_target, _key, descriptor) => {
    const meta: LcTaskCallbackMeta = { name };
    Reflect.defineMetadata(LC_TASK_CALLBACK_METADATA, meta, descriptor.value as object);
  };
}
