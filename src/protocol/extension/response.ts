import {
  EXT_PROTOCOL_VERSION,
  type LcExtWireContinuation,
  type LcExtWireResponse,
} from './messages.js';

/** Ask LimaCharlie to call `action` again in `inDelaySec` seconds, with `state` as its data. */
export interface LcExtContinuation {
  action: string;
  inDelaySec: number;
  state?: Record<string, unknown>;
}

export interface LcExtResponseInit {
  /** The response `data`. */
  data?: unknown;
  /** Durable deferred work: LimaCharlie calls the actions again later, on any replica. */
  continuations?: LcExtContinuation[];
  /** A usage report (`MetricReport`), as the vendor's `common/metrics.go` shapes it. */
  metrics?: Record<string, unknown>;
}

/** A handler's answer with more than `data`; build it with `lcExtResponse()`. */
export class LcExtResponse {
  constructor(readonly init: LcExtResponseInit) {}
}

/** `return lcExtResponse({ data, continuations: [{ action, inDelaySec, state }] })`. */
export function lcExtResponse(init: LcExtResponseInit = {}): LcExtResponse {
  return new LcExtResponse(init);
}

/** A handler result the module cannot send; the message is for the handler's author. */
export class LcExtInvalidResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LcExtInvalidResultError';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function continuation(
  value: unknown,
  i: number,
  actions: ReadonlySet<string>,
): LcExtWireContinuation {
  const where = `continuations[${i}]`;
  if (!isPlainObject(value)) throw new LcExtInvalidResultError(`${where} must be an object`);
  const { action, inDelaySec, state = {} } = value;
  if (typeof action !== 'string' || !actions.has(action)) {
    throw new LcExtInvalidResultError(
      `${where}.action must name an @LcAction of this extension, got ${JSON.stringify(action)}`,
    );
  }
  if (typeof inDelaySec !== 'number' || !Number.isInteger(inDelaySec) || inDelaySec < 0) {
    throw new LcExtInvalidResultError(
      `${where}.inDelaySec must be a non-negative integer of seconds, got ${String(inDelaySec)}`,
    );
  }
  if (!isPlainObject(state)) throw new LcExtInvalidResultError(`${where}.state must be an object`);
  return { in_delay_sec: inDelaySec, action, state };
}

/**
 * A handler's result as a successful response: `lcExtResponse(...)` as given, anything else
 * (a plain object, usually) as its `data`; `undefined` and `null` send no data.
 */
export function extResultToWire(result: unknown, actions: ReadonlySet<string>): LcExtWireResponse {
  const wire: LcExtWireResponse = { error: '', version: EXT_PROTOCOL_VERSION };
  if (!(result instanceof LcExtResponse)) {
    if (typeof result === 'function' || typeof result === 'symbol' || typeof result === 'bigint') {
      throw new LcExtInvalidResultError(
        `the handler returned a ${typeof result}; return the response data or lcExtResponse({...})`,
      );
    }
    if (result !== undefined && result !== null) wire.data = result;
    return wire;
  }
  const { data, continuations, metrics } = result.init;
  if (data !== undefined && data !== null) wire.data = data;
  if (continuations !== undefined) {
    if (!Array.isArray(continuations)) {
      throw new LcExtInvalidResultError('continuations must be a list');
    }
    if (continuations.length > 0) {
      wire.continuations = continuations.map((c, i) => continuation(c, i, actions));
    }
  }
  if (metrics !== undefined) {
    if (!isPlainObject(metrics)) throw new LcExtInvalidResultError('metrics must be an object');
    wire.metrics = metrics;
  }
  return wire;
}
