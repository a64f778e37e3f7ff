import { signBody } from 'nestjs-lc-service';

/** The answer class a request must get. */
export type Expected = 'protocol' | 'rejected' | 'unauthorized' | 'too-large';

export interface FuzzCase {
  kind: string;
  body: Buffer;
  headers: Record<string, string>;
  expected: Expected;
}

/** Deterministic, so a failure can be replayed with the same seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

export const FUZZ_JWT = 'eyJhbGciOiJub25lIn0.fuzz-jwt-must-never-be-echoed.c2ln';
const OID = '8cbe27f4-bfa1-4afb-ba19-138cd51389cd';
const SID = 'd3c2f7a8-1b4e-4c6d-9e0f-2a3b4c5d6e7f';
const HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Keys a prototype-pollution payload would set; asserted absent from `{}` after the run. */
export const POLLUTION_MARKERS = ['polluted', 'isAdmin', 'fuzzMarker'] as const;

const ENVELOPE_FIELDS = ['version', 'oid', 'mid', 'deadline', 'jwt', 'etype', 'data'] as const;

const WRONG_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2,
  1e308,
  -1e308,
  '',
  ' ',
  'x',
  '1',
  '1e3',
  'Infinity',
  '0x10',
  [],
  [1, 'a'],
  {},
  { a: 1 },
];

/** Well-formed data for each etype the fuzz app knows, and some it does not. */
function baseData(rng: Rng, etype: string): Record<string, unknown> {
  switch (etype) {
    case 'detection':
      return {
        cat: rng.pick(['evil-hash', 'other', '__proto__', 'constructor']),
        routing: { sid: SID },
      };
    case 'request':
      return { hash: HASH, limit: 3, verbose: true };
    case 'command':
      return { command_name: 'tag', tag: 'x', action: 'add' };
    case 'get_resource':
      return { resource: rng.pick(['rules', ['rules'], 'missing']), is_include_data: true };
    case 'new_sensor':
      return { sid: SID, hostname: 'web-1' };
    case 'sensor_per_24h':
      return { sid: SID };
    case 'log_event':
      return { routing: { sid: SID }, event: { line: 'hello' } };
    default:
      return {};
  }
}

const ETYPES = [
  'health',
  'detection',
  'request',
  'command',
  'get_resource',
  'new_sensor',
  'log_event',
  'org_per_1h',
  'org_install',
  'org_uninstall',
  'sensor_per_24h',
  'once_per_1h',
  'no_such_etype',
  'toString',
  '__proto__',
  'constructor',
  'hasOwnProperty',
];

export function envelope(rng: Rng, etype = rng.pick(ETYPES)): Record<string, unknown> {
  return {
    version: 1,
    oid: OID,
    mid: `mid-${rng.int(1e9)}`,
    deadline: Math.floor(Date.now() / 1000) + 600,
    jwt: FUZZ_JWT,
    etype,
    data: baseData(rng, etype),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^\d{1,20}(?:\.\d{1,20})?$/;

/** Sent once per service: empty ids count as absent. */
const orgless = (etype: string): boolean => etype === 'health' || etype.startsWith('once_per_');
const aboutSensor = (etype: string): boolean =>
  etype === 'new_sensor' || etype.startsWith('sensor_per_');

function typeOk(field: string, value: unknown, etype: string): boolean {
  if (value === undefined || value === null) return field !== 'etype';
  switch (field) {
    case 'version':
      return typeof value === 'number' && Number.isInteger(value);
    case 'oid':
      return typeof value === 'string' && (UUID.test(value) || (value === '' && orgless(etype)));
    case 'mid':
    case 'jwt':
      return typeof value === 'string' && (value !== '' || orgless(etype));
    case 'deadline': {
      const n = typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n);
    }
    case 'etype':
      return typeof value === 'string' && value !== '';
    case 'data': {
      if (typeof value !== 'object' || Array.isArray(value)) return false;
      const sid = (value as Record<string, unknown>).sid;
      return (
        !aboutSensor(etype) ||
        sid === undefined ||
        sid === null ||
        (typeof sid === 'string' && UUID.test(sid))
      );
    }
    default:
      return true;
  }
}

/**
 * The README's "Bad input" table as a function: which class a correctly signed body belongs to.
 * The body is decoded as the module decodes it (UTF-8, invalid bytes replaced).
 */
export function classifySigned(body: Buffer): Expected {
  if (body.length === 0) return 'rejected';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return 'rejected';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'rejected';
  const fields = parsed as Record<string, unknown>;
  const etype = typeof fields.etype === 'string' ? fields.etype : '';
  return ENVELOPE_FIELDS.every((f) => typeOk(f, fields[f], etype)) ? 'protocol' : 'rejected';
}

export function signedCase(
  kind: string,
  secret: string,
  body: Buffer,
  headers: Record<string, string> = {},
): FuzzCase {
  return {
    kind,
    body,
    headers: {
      'content-type': 'application/json',
      ...headers,
      'lc-svc-sig': signBody(secret, body),
    },
    expected: classifySigned(body),
  };
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

/**
 * Every envelope field with every wrong value once (on a random etype), then random
 * combinations of two, some with a field missing as well.
 */
function* wrongTypes(rng: Rng, secret: string, count: number): Generator<FuzzCase> {
  let made = 0;
  for (const field of ENVELOPE_FIELDS) {
    for (const value of WRONG_VALUES) {
      if (made++ >= count) return;
      yield signedCase('wrong-type', secret, json({ ...envelope(rng), [field]: value }));
    }
  }
  for (; made < count; made++) {
    const env = envelope(rng);
    env[rng.pick(ENVELOPE_FIELDS)] = rng.pick(WRONG_VALUES);
    env[rng.pick(ENVELOPE_FIELDS)] = rng.pick(WRONG_VALUES);
    if (rng.int(8) === 0) delete env[rng.pick(ENVELOPE_FIELDS)];
    yield signedCase('wrong-type', secret, json(env));
  }
}

const ID_VALUES: readonly unknown[] = [
  '',
  ' ',
  'x',
  OID.toUpperCase(),
  OID.slice(1),
  `${OID}\n`,
  `{${OID}}`,
  SID,
  7,
];

/**
 * Empty and malformed oid, mid, jwt and sensor sid on every etype. First the two calls that once
 * answered HTTP 500 from an interactive service: an empty oid reached the rule step's client.
 */
function* badIds(rng: Rng, secret: string, count: number): Generator<FuzzCase> {
  for (const etype of ['org_uninstall', '__proto__']) {
    yield signedCase('bad-ids', secret, json({ ...envelope(rng, etype), oid: '' }));
  }
  for (let made = 2; made < count; made++) {
    const env = envelope(rng);
    const field = rng.pick(['oid', 'mid', 'jwt', 'sid']);
    const value = rng.pick(ID_VALUES);
    if (field === 'sid') (env.data as Record<string, unknown>).sid = value;
    else env[field] = value;
    yield signedCase('bad-ids', secret, json(env));
  }
}

const JSON_NOISE = ['{', '}', '[', ']', '"', ':', ',', '\\', 'null', '1e999', '\u0000', ' '];

/** Truncated, spliced and garbled JSON, correctly signed so it reaches the parser. */
function* brokenJson(rng: Rng, secret: string, count: number): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) {
    const text = JSON.stringify(envelope(rng));
    const at = rng.int(text.length + 1);
    let broken: string;
    switch (rng.int(5)) {
      case 0:
        broken = text.slice(0, at);
        break;
      case 1:
        broken = text.slice(0, at) + text.slice(at + 1 + rng.int(8));
        break;
      case 2:
        broken = text.slice(0, at) + rng.pick(JSON_NOISE) + text.slice(at);
        break;
      case 3:
        broken = rng.pick(['', ' ', 'null', '[]', '[{}]', '"x"', '42', 'true', '{}', text + text]);
        break;
      default:
        broken = text.slice(0, at) + rng.pick(JSON_NOISE) + text.slice(at + 1);
    }
    yield signedCase('broken-json', secret, Buffer.from(broken, 'utf8'));
  }
}

const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** A pollution payload as JSON text: `JSON.stringify` cannot write an own `__proto__` key. */
function pollution(rng: Rng): string {
  const marker = rng.pick(POLLUTION_MARKERS);
  return rng.pick([
    `{"__proto__":{"${marker}":true}}`,
    `{"constructor":{"prototype":{"${marker}":true}}}`,
    `{"a":{"__proto__":{"${marker}":1}},"b":[{"__proto__":{"${marker}":1}}]}`,
  ]);
}

/** `__proto__`, `constructor` and `prototype` keys in the envelope, data, params and names. */
function* protoKeys(rng: Rng, secret: string, count: number): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) {
    const etype = rng.pick(['detection', 'request', 'command', 'get_resource', 'log_event']);
    const env = envelope(rng, etype);
    const bad = pollution(rng);
    const inner = bad.slice(1, -1);
    let text: string;
    switch (rng.int(5)) {
      case 0:
        text = JSON.stringify(env).replace('"etype"', `${inner},"etype"`);
        break;
      case 1:
        text = JSON.stringify(env).replace('"data":{', `"data":{${inner},`);
        break;
      case 2: {
        const data = env.data as Record<string, unknown>;
        data[rng.pick(['cat', 'command_name', 'resource', 'hash', 'tag'])] = rng.pick([
          ...PROTO_NAMES,
          PROTO_NAMES,
        ]);
        text = JSON.stringify(env);
        break;
      }
      case 3:
        text = JSON.stringify({ ...env, data: null }).replace('"data":null', `"data":${bad}`);
        break;
      default:
        text = JSON.stringify(env).replace('"data":{', `"data":{"nested":{"deeper":${bad}},`);
    }
    yield signedCase('proto-keys', secret, Buffer.from(text, 'utf8'));
  }
}

const BAD_UTF8: readonly number[][] = [
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
  [0x80],
];

/** Invalid UTF-8 inside strings (decoded to U+FFFD) and between tokens (a parse error). */
function* invalidUtf8(rng: Rng, secret: string, count: number): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) {
    const text = Buffer.from(JSON.stringify(envelope(rng)), 'utf8');
    const at = rng.int(text.length + 1);
    const bytes = Buffer.from(rng.pick(BAD_UTF8));
    const body = Buffer.concat([text.subarray(0, at), bytes, text.subarray(at)]);
    yield signedCase('invalid-utf8', secret, body);
  }
}

const CONTENT_TYPES = [
  ';;;',
  'application/json, text/plain',
  'json',
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/xml',
  '*/*',
  'application/json; charset="',
  `application/${'x'.repeat(2000)}`,
];

/** A valid call under every content type: the signature authenticates, not the label. */
function* contentTypes(rng: Rng, secret: string, count: number): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) {
    const body = json(envelope(rng));
    const type = rng.pick(CONTENT_TYPES);
    const c = signedCase('content-type', secret, body);
    if (type === undefined) delete c.headers['content-type'];
    else c.headers['content-type'] = type;
    yield c;
  }
}

/** Missing, malformed and wrong signatures: 401, and the body is never parsed. */
function* badSignatures(rng: Rng, secret: string, count: number): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) {
    const body = rng.int(4) === 0 ? Buffer.from('{not json', 'utf8') : json(envelope(rng));
    const good = signBody(secret, body);
    const signature = rng.pick([
      undefined,
      '',
      good.toUpperCase(),
      good.slice(0, 63),
      `${good}0`,
      `${good},${good}`,
      good.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      signBody(`${secret}x`, body),
      signBody(secret, Buffer.concat([body, Buffer.from(' ')])),
      'z'.repeat(64),
      `sha256=${good}`,
    ]);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== undefined) headers['lc-svc-sig'] = signature;
    yield { kind: 'bad-signature', body, headers, expected: 'unauthorized' };
  }
}

function hugeString(rng: Rng, limit: number): string {
  return 'A'.repeat(Math.floor(limit / 4) + rng.int(Math.floor(limit / 2)));
}

/** Strings of hundreds of kilobytes in every field that reaches code (still under the limit). */
function* hugeStrings(rng: Rng, secret: string, count: number, limit: number): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) {
    const env = envelope(rng);
    const data = env.data as Record<string, unknown>;
    const huge = hugeString(rng, limit);
    const where = rng.pick(['etype', 'oid', 'mid', 'jwt', 'data', 'key']);
    if (where === 'data') data[rng.pick(['cat', 'hash', 'command_name', 'resource', 'sid'])] = huge;
    else if (where === 'key') data[huge] = 1;
    else env[where] = huge;
    yield signedCase('huge-string', secret, json(env));
  }
}

function nested(depth: number, array: boolean): string {
  return array
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Objects and arrays nested up to 100,000 deep, where handlers, DTOs and replies walk them. */
function* deepNesting(rng: Rng, secret: string, count: number): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) {
    const etype = rng.pick(['log_event', 'request', 'command', 'detection', 'get_resource']);
    const env = envelope(rng, etype);
    const depth = rng.pick([100, 1_000, 10_000, 100_000]);
    const deep = nested(depth, rng.int(2) === 0);
    const key = rng.pick(['event', 'hash', 'limit', 'tag', 'resource', 'cat', 'routing']);
    const text = JSON.stringify(env).replace('"data":{', `"data":{"${key}":${deep},`);
    yield signedCase('deep-nesting', secret, Buffer.from(text, 'utf8'));
  }
}

/** Correctly signed bodies just over `bodyLimit`: 413 before anything is parsed. */
function* overLimit(rng: Rng, secret: string, count: number, limit: number): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) {
    const env = envelope(rng, 'log_event');
    const text = JSON.stringify(env);
    const pad = limit - text.length + 1 + rng.int(4096);
    const body = Buffer.from(text.replace('"line":"hello"', `"line":"${'x'.repeat(pad)}"`));
    const c = signedCase('over-limit', secret, body);
    yield { ...c, expected: 'too-large' };
  }
}

export interface FuzzPlan {
  secret: string;
  bodyLimit: number;
  seed: number;
  /** 1 for the full run of about 10,000 cases; less for a smaller one with every kind. */
  scale: number;
}

/** Bad envelopes only, under any body limit: for an app whose limit is too large to fill. */
export function* envelopeCases({ secret, seed, scale }: FuzzPlan): Generator<FuzzCase> {
  const rng = new Rng(seed);
  const n = (count: number): number => Math.max(2, Math.round(count * scale));
  yield* wrongTypes(rng, secret, n(3000));
  yield* badIds(rng, secret, n(400));
}

/** Every kind of bad request, generated from `seed`. */
export function* fuzzCases({ secret, bodyLimit, seed, scale }: FuzzPlan): Generator<FuzzCase> {
  const rng = new Rng(seed);
  const n = (count: number): number => Math.max(1, Math.round(count * scale));
  yield* wrongTypes(rng, secret, n(3000));
  yield* badIds(rng, secret, n(400));
  yield* brokenJson(rng, secret, n(2500));
  yield* protoKeys(rng, secret, n(1000));
  yield* invalidUtf8(rng, secret, n(800));
  yield* contentTypes(rng, secret, n(600));
  yield* badSignatures(rng, secret, n(2000));
  yield* hugeStrings(rng, secret, n(40), bodyLimit);
  yield* deepNesting(rng, secret, n(60));
  yield* overLimit(rng, secret, n(20), bodyLimit);
}
