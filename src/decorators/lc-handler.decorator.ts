import type { Type } from '@nestjs/common';
import type { LcCronEtype, LcHandlerEtype } from '../protocol/service/etypes.js';
import { LC_HANDLER_METADATA } from '../lc-service.constants.js';
import type { LcCommandOptions } from './lc-command.decorator.js';

export interface LcDetectionHandlerOptions {
  /**
   * Detection names (`cat`) this handler is for. They are added to `detect_subscriptions`, so
   * LimaCharlie sends them. A detection handler without names is the catch-all.
   */
  detections?: string[];
}

export interface LcRequestHandlerOptions {
  /**
   * A class-validator DTO whose `@LcParam` properties are the request parameters: advertised in
   * `health.mtd.request_params`, validated and transformed before the handler, given by `@LcData()`.
   */
  params?: Type<object>;
}

/** What one `@LcHandler` / `@LcCron` / `@LcCommand` left on a method. */
export interface LcHandlerMeta {
  etype: string;
  detections?: string[];
  /** `@LcHandler('request', { params })`. */
  params?: Type<object>;
  /** `@LcCommand(...)`: a named command. */
  command?: LcCommandOptions;
  /** Which decorator wrote it, for boot errors. */
  decorator: string;
}

/** Appends, so one method may carry several handler decorators. Never replaces the method. */
export function addHandlerMeta(meta: LcHandlerMeta): MethodDecorator {
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    const existing = (Reflect.getMetadata(LC_HANDLER_METADATA, method) as LcHandlerMeta[]) ?? [];
    Reflect.defineMetadata(LC_HANDLER_METADATA, [...existing, meta], method);
  };
}

/**
 * Marks a provider method as the handler of one etype. Called as `(lc, oid, request)` like the
 * Python RI, or with the values its `@LcClient() @LcOid() @LcSid() @LcData() @LcReq()`
 * parameters ask for.
 */
export function LcHandler(etype: 'detection', options?: LcDetectionHandlerOptions): MethodDecorator;
export function LcHandler(etype: 'request', options?: LcRequestHandlerOptions): MethodDecorator;
export function LcHandler(etype: LcHandlerEtype): MethodDecorator;
export function LcHandler(
  etype: LcHandlerEtype,
  options: LcDetectionHandlerOptions & LcRequestHandlerOptions = {},
): MethodDecorator {
  return addHandlerMeta({
    etype,
    detections: options.detections,
    params: options.params,
    decorator: `@LcHandler('${etype}')`,
  });
}

/**
 * Marks a provider method as the handler of a scheduled etype. LimaCharlie sends these as
 * webhooks, to one replica each time: no local timer is started.
 */
export function LcCron(etype: LcCronEtype): MethodDecorator {
  return addHandlerMeta({ etype, decorator: `@LcCron('${etype}')` });
}
