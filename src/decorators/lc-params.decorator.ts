import type { PipeTransform, Type } from '@nestjs/common';
import { addArg, hideFromPipes } from './nest-metadata.js';

/** Argument kinds an LC handler parameter can ask for. */
export enum LcParamtype {
  CLIENT = 0,
  OID = 1,
  SID = 2,
  DATA = 3,
  REQUEST = 4,
  EVENT = 5,
  JOB = 6,
  TASK_CTX = 7,
  /** An Extension call's validated config DTO. */
  CONFIG = 8,
}

type ParamPipe = PipeTransform | Type<PipeTransform>;

interface ParamOptions {
  type: LcParamtype;
  /** Whether pipes (a global ValidationPipe included) should see the declared type. */
  validated: boolean;
}

export function lcParam({ type, validated }: ParamOptions) {
  return (data?: string, pipes: ParamPipe[] = []): ParameterDecorator =>
    (target, key, index) => {
      if (key === undefined) return;
      addArg(target.constructor, key, `${type}:${index}`, { index, data, pipes });
      // A ValidationPipe would otherwise rebuild `lc: LimaCharlieClient` from its class through
      // class-transformer and reject it.
      if (!validated) hideFromPipes(target, key, [index]);
    };
}

const client = lcParam({ type: LcParamtype.CLIENT, validated: false });
const oid = lcParam({ type: LcParamtype.OID, validated: false });
const sid = lcParam({ type: LcParamtype.SID, validated: false });
const data = lcParam({ type: LcParamtype.DATA, validated: true });
const request = lcParam({ type: LcParamtype.REQUEST, validated: false });

/**
 * The per-org `LimaCharlieClient`; `null` for etypes without an org (`health`, `once_per_*`) and
 * for Extension messages without one (`heartbeat`, `error_report`).
 */
export const LcClient = (): ParameterDecorator => client();
/** The org id of the call. */
export const LcOid = (): ParameterDecorator => oid();
/** The sensor id: `data.sid` (per-sensor crons, `new_sensor`) or `data.routing.sid` (detections). */
export const LcSid = (): ParameterDecorator => sid();
/**
 * The call's `data`, or one property of it. Pipes run on it, so a DTO type is validated by a
 * `ValidationPipe` the app or the parameter has. In an `@LcAction`, the validated params DTO; in
 * an `@LcErrorReport`, `{ error, oid? }`.
 */
export const LcData = (property?: string, ...pipes: ParamPipe[]): ParameterDecorator =>
  data(property, pipes);
/** The whole `LcRequest` (`LcExtRequest` in Extension handlers). */
export const LcReq = (): ParameterDecorator => request();

const event = lcParam({ type: LcParamtype.EVENT, validated: false });
const job = lcParam({ type: LcParamtype.JOB, validated: false });
const taskCtx = lcParam({ type: LcParamtype.TASK_CTX, validated: false });

/** In an `@LcTaskCallback`: the sensor's reply event (`detect` of the detection). */
export const LcEvent = (): ParameterDecorator => event();
/** In an `@LcTaskCallback`: the `Job` the task was sent with (an update of it), or null. */
export const LcJob = (): ParameterDecorator => job();
/** In an `@LcTaskCallback`: the `ctx` the task was sent with. */
export const LcTaskCtx = (): ParameterDecorator => taskCtx();
