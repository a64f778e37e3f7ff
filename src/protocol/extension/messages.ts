/** The Extension protocol version this module speaks; echoed in every `Response.version`. */
export const EXT_PROTOCOL_VERSION = 20221218;

/** The events LimaCharlie sends an extension (`common.EventTypes`). */
export const EXT_EVENT_NAMES = ['subscribe', 'unsubscribe', 'update'] as const;
export type LcExtEventName = (typeof EXT_EVENT_NAMES)[number];

/** `OrgAccessData`: the org, a JWT to act on it, and who acts (`ident`). */
export interface LcExtOrg {
  oid: string;
  jwt: string;
  ident: string;
}

export interface LcExtRequestMessage {
  org: LcExtOrg;
  action: string;
  data: Record<string, unknown>;
  config: Record<string, unknown>;
  resource_state: Record<string, { last_mod: number }>;
  inv_id: string;
}

export interface LcExtEventMessage {
  org: LcExtOrg;
  event_name: string;
  data: Record<string, unknown>;
  config: Record<string, unknown>;
}

/** `Message`: the header plus exactly one kind. */
export type LcExtMessage = { version: number; idempotency_key: string } & (
  | { kind: 'heartbeat' }
  | { kind: 'error_report'; error_report: { error: string; oid?: string } }
  | { kind: 'conf_validation'; conf_validation: { org: LcExtOrg; conf: Record<string, unknown> } }
  | { kind: 'schema_request' }
  | { kind: 'request'; request: LcExtRequestMessage }
  | { kind: 'event'; event: LcExtEventMessage }
);

export type LcExtMessageKind = LcExtMessage['kind'];

const KINDS: readonly LcExtMessageKind[] = [
  'heartbeat',
  'error_report',
  'conf_validation',
  'schema_request',
  'request',
  'event',
];

/** `ContinuationRequest` on the wire. */
export interface LcExtWireContinuation {
  in_delay_sec: number;
  action: string;
  state: Record<string, unknown>;
}

/** `Response` on the wire. `retriable` absent means retriable (as LimaCharlie reads it). */
export interface LcExtWireResponse {
  error: string;
  retriable?: boolean;
  version: number;
  data?: unknown;
  continuations?: LcExtWireContinuation[];
  metrics?: Record<string, unknown>;
}

/** A message that is not one LimaCharlie sends; answered 400 with the reason. */
export class LcExtMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LcExtMessageError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object field; absent and `null` are the empty object, as Go's nil map reads. */
function dict(
  parent: Record<string, unknown>,
  key: string,
  where: string,
): Record<string, unknown> {
  const value = parent[key];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new LcExtMessageError(`'${where}.${key}' must be an object`);
  return value;
}

function text(parent: Record<string, unknown>, key: string, where: string): string {
  const value = parent[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new LcExtMessageError(`'${where}.${key}' must be a string`);
  return value;
}

function org(parent: Record<string, unknown>, where: string): LcExtOrg {
  const value = dict(parent, 'org', where);
  const at = `${where}.org`;
  const parsed = {
    oid: text(value, 'oid', at),
    jwt: text(value, 'jwt', at),
    ident: text(value, 'ident', at),
  };
  if (parsed.oid === '') throw new LcExtMessageError(`'${at}.oid' is required`);
  return parsed;
}

/** Checked where it lies: copying it entry by entry cost more than the rest of the message. */
function resourceState(parent: Record<string, unknown>): Record<string, { last_mod: number }> {
  const value = dict(parent, 'resource_state', 'request');
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    const state = value[name];
    const lastMod = isObject(state) ? state.last_mod : undefined;
    if (typeof lastMod !== 'number' || !Number.isFinite(lastMod)) {
      throw new LcExtMessageError(`'request.resource_state.${name}.last_mod' must be a number`);
    }
  }
  return value as Record<string, { last_mod: number }>;
}

/**
 * Parses a verified body into a message with exactly one kind. A kind given as `null` is absent,
 * as Go's `omitempty` pointers read it; none, or more than one, is refused.
 */
export function parseExtMessage(body: Buffer): LcExtMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new LcExtMessageError(`invalid json body: ${(err as Error).message}`);
  }
  if (!isObject(raw)) throw new LcExtMessageError('the body must be a JSON object');
  const version = raw.version ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new LcExtMessageError("'version' must be a non-negative integer");
  }
  const idempotencyKey = text(raw, 'idempotency_key', 'message');
  let kind: LcExtMessageKind | undefined;
  for (const k of KINDS) {
    if (raw[k] === undefined || raw[k] === null) continue;
    if (kind !== undefined) {
      const present = KINDS.filter((p) => raw[p] !== undefined && raw[p] !== null);
      throw new LcExtMessageError(`a message carries one kind, this one has ${present.join(', ')}`);
    }
    kind = k;
  }
  if (kind === undefined) throw new LcExtMessageError('no data in request');
  const payload = raw[kind];
  if (!isObject(payload)) throw new LcExtMessageError(`'${kind}' must be an object`);
  // Written out rather than spread from a shared header: `{ ...header, kind, request }` takes
  // V8's slow object-literal path, which cost more than parsing the body.
  const idempotency_key = idempotencyKey;
  switch (kind) {
    case 'heartbeat':
    case 'schema_request':
      return { version, idempotency_key, kind };
    case 'error_report': {
      const oid = text(payload, 'oid', kind);
      const error = text(payload, 'error', kind);
      const report = oid === '' ? { error } : { error, oid };
      return { version, idempotency_key, kind, error_report: report };
    }
    case 'conf_validation':
      return {
        version,
        idempotency_key,
        kind,
        conf_validation: { org: org(payload, kind), conf: dict(payload, 'conf', kind) },
      };
    case 'request': {
      const action = text(payload, 'action', kind);
      if (action === '') throw new LcExtMessageError("'request.action' is required");
      return {
        version,
        idempotency_key,
        kind,
        request: {
          org: org(payload, kind),
          action,
          data: dict(payload, 'data', kind),
          config: dict(payload, 'config', kind),
          resource_state: resourceState(payload),
          inv_id: text(payload, 'inv_id', kind),
        },
      };
    }
    case 'event': {
      const eventName = text(payload, 'event_name', kind);
      if (eventName === '') throw new LcExtMessageError("'event.event_name' is required");
      return {
        version,
        idempotency_key,
        kind,
        event: {
          org: org(payload, kind),
          event_name: eventName,
          data: dict(payload, 'data', kind),
          config: dict(payload, 'config', kind),
        },
      };
    }
  }
}

/**
 * The HTTP status of a response, as LimaCharlie reads it: 200 without error, otherwise 500 when
 * retriable (an absent `retriable` is retriable) and 400 when not.
 */
export function extStatusOf(response: LcExtWireResponse): number {
  if (response.error === '') return 200;
  return response.retriable === false ? 400 : 500;
}

/** A failure answer. */
export function extFailure(error: string, retriable: boolean): LcExtWireResponse {
  return { error, retriable, version: EXT_PROTOCOL_VERSION };
}
