import { isUuid } from './data-path.js';
import { isOrglessEtype } from './etypes.js';

/** The JSON envelope of one LimaCharlie call, after its fields were checked. */
export interface LcEnvelope {
  /** Protocol version; 1 when the sender omits it (the RI simulator does). */
  version: number;
  etype: string;
  /** A UUID. */
  oid: string | undefined;
  /** Non-empty. */
  mid: string | undefined;
  /** Epoch seconds (may be fractional) after which LimaCharlie stops waiting. */
  deadline: number | undefined;
  /** Non-empty. */
  jwt: string | undefined;
  data: Record<string, unknown>;
}

/** A body that is not a LimaCharlie envelope. Answered with HTTP 400 and this message. */
export class LcEnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LcEnvelopeError';
  }
}

export const PROTOCOL_VERSION = 1;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new LcEnvelopeError(
      `invalid envelope: '${field}' must be a string, got ${typeName(value)}`,
    );
  }
  return value;
}

/** A UUID is 36 characters: a longer value is shown by its length, not echoed. */
const MAX_ECHOED_CHARS = 40;

function shown(value: string): string {
  return value.length <= MAX_ECHOED_CHARS
    ? JSON.stringify(value)
    : `a string of ${value.length} characters`;
}

/**
 * `oid`, `mid` and `jwt`: absent, or set. A call sent once per service (`health`, `once_per_*`)
 * may carry them as empty strings, as a sender that serialises unset fields does; any other call
 * with an empty one could only fail later, when its client is built or its `mid` is claimed.
 */
function optionalId(
  body: Record<string, unknown>,
  field: 'oid' | 'mid' | 'jwt',
  orgless: boolean,
): string | undefined {
  const value = optionalString(body, field);
  if (value === undefined || (value === '' && orgless)) return undefined;
  if (field === 'oid' ? !isUuid(value) : value === '') {
    const wanted = field === 'oid' ? 'a UUID' : 'a non-empty string';
    throw new LcEnvelopeError(
      `invalid envelope: '${field}' must be ${wanted}, got ${shown(value)}`,
    );
  }
  return value;
}

function parseVersion(value: unknown): number {
  if (value === undefined || value === null) return PROTOCOL_VERSION;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new LcEnvelopeError(
      `invalid envelope: 'version' must be an integer, got ${typeName(value)}`,
    );
  }
  return value;
}

const DECIMAL = /^\d{1,20}(?:\.\d{1,20})?$/;

function parseDeadline(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  // Some senders serialise the deadline as a string (lc-service#13); both mean epoch seconds.
  // Number() would also take hex, exponents and padding ("0x7fffffffff", " 1e11 "): decimal only.
  const deadline = typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value;
  if (typeof deadline !== 'number' || !Number.isFinite(deadline)) {
    throw new LcEnvelopeError(
      `invalid envelope: 'deadline' must be a number of epoch seconds, got ${typeName(value)}`,
    );
  }
  return deadline;
}

function parseData(value: unknown): Record<string, unknown> {
  // The RI crashes on an explicit null; an absent or null data is simply empty.
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new LcEnvelopeError(`invalid envelope: 'data' must be an object, got ${typeName(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Etypes about one sensor, whose `data.sid` LimaCharlie sets (elsewhere `sid` may be user input). */
function carriesSensor(etype: string): boolean {
  return etype === 'new_sensor' || etype.startsWith('sensor_per_');
}

function checkSid(data: Record<string, unknown>): void {
  const sid = data.sid;
  if (sid === undefined || sid === null || isUuid(sid)) return;
  const got = typeof sid === 'string' ? shown(sid) : typeName(sid);
  throw new LcEnvelopeError(`invalid envelope: 'data.sid' must be a UUID, got ${got}`);
}

/** Parses and checks the raw body. Runs only after the signature was verified. */
export function parseEnvelope(raw: Buffer): LcEnvelope {
  if (raw.length === 0) throw new LcEnvelopeError('invalid envelope: the body is empty');
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new LcEnvelopeError(`invalid JSON body: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LcEnvelopeError(`invalid envelope: expected a JSON object, got ${typeName(body)}`);
  }
  const fields = body as Record<string, unknown>;
  const etype = fields.etype;
  if (typeof etype !== 'string' || etype === '') {
    throw new LcEnvelopeError(
      `invalid envelope: 'etype' must be a non-empty string, got ${typeName(etype)}`,
    );
  }
  const orgless = isOrglessEtype(etype);
  const data = parseData(fields.data);
  if (carriesSensor(etype)) checkSid(data);
  return {
    version: parseVersion(fields.version),
    etype,
    oid: optionalId(fields, 'oid', orgless),
    mid: optionalId(fields, 'mid', orgless),
    deadline: parseDeadline(fields.deadline),
    jwt: optionalId(fields, 'jwt', orgless),
    data,
  };
}
