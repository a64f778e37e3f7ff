import { createHmac, randomUUID } from 'node:crypto';

const SIGNATURE_HEADER = 'lc-svc-sig';
const EXT_SIGNATURE_HEADER = 'lc-ext-sig';
const EXT_VERSION = 20221218;

/** A signed (or deliberately mis-signed) call, ready to send as many times as needed. */
export interface SignedCall {
  body: Buffer;
  headers: Record<string, string>;
}

const OID = '8cbe27f4-bfa1-4afb-ba19-138cd51389cd';
const SID = 'd3c2f7a8-1b4e-4c6d-9e0f-2a3b4c5d6e7f';
// Shaped like LimaCharlie's service JWTs (three base64url parts, ~600 bytes): the envelope
// carries one on every call, so its size belongs in the body being hashed and parsed.
const JWT = ['eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9', 'x'.repeat(420), 'y'.repeat(171)].join('.');

// Not the package's signBody: the driver stays apart from the code it measures.
function hmacHex(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** An envelope as LimaCharlie sends it, deadline an hour away so no run outlives it. */
function envelope(etype: string, data: Record<string, unknown>): Record<string, unknown> {
  return {
    version: 1,
    oid: OID,
    mid: randomUUID(),
    deadline: Math.floor(Date.now() / 1000) + 3600,
    jwt: JWT,
    etype,
    data,
  };
}

function signed(secret: string, etype: string, data: Record<string, unknown>): SignedCall {
  const body = Buffer.from(JSON.stringify(envelope(etype, data)), 'utf8');
  return {
    body,
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: hmacHex(secret, body) },
  };
}

/**
 * A detection of about `bytes` bytes of envelope. Its `cat` has no named handler in the sample
 * app, so it reaches the catch-all handler, which makes no API call.
 */
export function detection(secret: string, bytes: number): SignedCall {
  const data = {
    cat: 'suspicious-powershell',
    detect_id: randomUUID(),
    namespace: 'general',
    priority: 3,
    source: `${OID}.${SID}`,
    routing: {
      oid: OID,
      sid: SID,
      hostname: 'build-agent-07.corp.example',
      event_type: 'NEW_PROCESS',
      event_time: 1_700_000_000_000,
      plat: 0x20000000,
      arch: 2,
      int_ip: '10.0.4.17',
      ext_ip: '203.0.113.9',
    },
    detect: {
      event: {
        FILE_PATH: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        HASH: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        PROCESS_ID: 4242,
        COMMAND_LINE: '',
      },
    },
  };
  const base = signed(secret, 'detection', data).body.length;
  data.detect.event.COMMAND_LINE = `powershell -enc ${'A'.repeat(Math.max(0, bytes - base - 16))}`;
  return signed(secret, 'detection', data);
}

/** A `log_event` carrying a batch of log records, about `bytes` bytes in all. */
export function logEvent(secret: string, bytes: number): SignedCall {
  const record = {
    ts: '2024-05-01T12:00:00.000Z',
    host: 'web-03',
    level: 'info',
    msg: 'GET /api/v2/items?page=17 200 12ms ua="Mozilla/5.0 (X11; Linux x86_64)"',
  };
  const perRecord = JSON.stringify(record).length + 1;
  const records = Array.from({ length: Math.max(1, Math.round(bytes / perRecord)) }, () => record);
  return signed(secret, 'log_event', {
    routing: { oid: OID, sid: SID, event_type: 'log', hostname: 'web-03' },
    event: { source: 'nginx', records },
  });
}

export function health(secret: string): SignedCall {
  return signed(secret, 'health', {});
}

/** `get_resource` in its batch form (a list of names), with the content included. */
export function getResource(secret: string, names: string[]): SignedCall {
  return signed(secret, 'get_resource', { resource: names, is_include_data: true });
}

/** A 1 KB detection signed with the wrong secret: what a flood of forged calls costs. */
export function forged(secret: string): SignedCall {
  return detection(`${secret}-not-it`, 1024);
}

function extSigned(secret: string, message: Record<string, unknown>): SignedCall {
  const body = Buffer.from(
    JSON.stringify({ version: EXT_VERSION, idempotency_key: randomUUID(), ...message }),
    'utf8',
  );
  return {
    body,
    headers: { 'content-type': 'application/json', [EXT_SIGNATURE_HEADER]: hmacHex(secret, body) },
  };
}

/**
 * An Extension `request` of about `bytes` bytes for the sample extension's `lookup` action, which
 * makes no API call. The org config carries a secret as LimaCharlie sends it; `resource_state`
 * (hive records' last changes, which LimaCharlie sends on every request) takes up the rest.
 */
export function extRequest(secret: string, bytes: number): SignedCall {
  const request = {
    org: { oid: OID, jwt: JWT, ident: 'analyst@corp.example' },
    action: 'lookup',
    data: { hash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
    config: { apiKey: 'k'.repeat(32), tag: 'evil-hash-seen' },
    resource_state: {} as Record<string, { last_mod: number }>,
    inv_id: '',
  };
  for (let i = 0; extSigned(secret, { request }).body.length < bytes; i++) {
    request.resource_state[`lookup/feed-${i}`] = { last_mod: 1_700_000_000 + i };
  }
  return extSigned(secret, { request });
}

/** A signed Extension `heartbeat`: what tells an extension server is up. */
export function extHeartbeat(secret: string): SignedCall {
  return extSigned(secret, { heartbeat: {} });
}
