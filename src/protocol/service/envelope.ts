/** The JSON envelope of one LimaCharlie call, after its fields were checked. */
export interface LcEnvelope {
  /** Protocol version; 1 when the sender omits it (the RI simulator does). */
  version: number;
  etype: string;
  oid: string | undefined;
  mid: string | undefined;
  /** Epoch seconds (may be fractional) after which LimaCharlie stops waiting. */
  deadline: number | undefined;
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

function parseVersion(value: unknown): number {
  if (value === undefined || value === null) return PROTOCOL_VERSION;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new LcEnvelopeError(
      `invalid envelope: 'version' must be an integer, got ${typeName(value)}`,
    );
  }
  return value;
}

function parseDeadline(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  // Some senders serialise the deadline as a string (lc-service#13); both mean epoch seconds.
  const deadline = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
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
  return {
    version: parseVersion(fields.version),
    etype,
    oid: optionalString(fields, 'oid'),
    mid: optionalString(fields, 'mid'),
    deadline: parseDeadline(fields.deadline),
    jwt: optionalString(fields, 'jwt'),
    data: parseData(fields.data),
  };
}
