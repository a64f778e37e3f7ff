import { createHash, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';

/**
 * The bare minimum a LimaCharlie service or extension does per call, with no framework:
 * HMAC-SHA256 over the raw body, a constant-time compare, JSON.parse, and a small reply built and
 * JSON.stringify-ed. The reference servers wrap it in their HTTP layer, picking the wire by its
 * signature header (one secret for both); the bench divides the module's numbers by theirs.
 */

export interface MinimalReply {
  status: number;
  body: string;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const key = createSecretKey(Buffer.from(process.env.LC_SHARED_SECRET ?? '', 'utf8'));
const startTime = Math.floor(Date.now() / 1000);
let inFlight = 0;

// One published resource, encoded once as the module does at boot.
const resourceBytes = Buffer.from(JSON.stringify({ ['0'.repeat(64)]: { source: 'baseline' } }));
const resources = new Map([
  [
    'evil-hashes',
    {
      hash: createHash('sha256').update(resourceBytes).digest('hex'),
      res_cat: 'lookup',
      res_data: resourceBytes.toString('base64'),
    },
  ],
]);
const mtd = JSON.stringify({
  detect_subscriptions: ['evil-hash'],
  callbacks: ['detection', 'get_resource', 'health', 'request'],
  request_params: {},
  commands: {},
});

const UNAUTHORIZED = {
  status: 401,
  body: '{"success":false,"retry":false,"data":{},"error":"unauthorized"}',
};
const BAD_JSON = {
  status: 400,
  body: '{"success":false,"retry":false,"data":{},"error":"invalid JSON"}',
};
const BAD_ENVELOPE = {
  status: 400,
  body: '{"success":false,"retry":false,"data":{},"error":"invalid envelope"}',
};
export const TOO_LARGE = {
  status: 413,
  body: '{"success":false,"retry":false,"data":{},"error":"too large"}',
};
export const BODY_LIMIT = 50 * 1024 * 1024;

function verified(body: Buffer, header: unknown): boolean {
  if (typeof header !== 'string' || !HEX_SHA256.test(header)) return false;
  const expected = createHmac('sha256', key).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(header, 'hex'));
}

function answer(etype: string, data: Record<string, unknown>): string {
  switch (etype) {
    case 'health':
      return `{"success":true,"data":{"version":1,"start_time":${startTime},"calls_in_progress":${inFlight},"mtd":${mtd}}}`;
    case 'get_resource': {
      const names = Array.isArray(data.resource) ? data.resource : [data.resource];
      const out: Record<string, unknown> = {};
      for (const name of names) {
        const record = typeof name === 'string' ? resources.get(name) : undefined;
        if (record === undefined) {
          return JSON.stringify({ success: false, retry: false, data: {}, error: 'missing' });
        }
        out[name as string] = record;
      }
      return JSON.stringify({ success: true, data: { resources: out } });
    }
    default:
      return JSON.stringify({ success: true, data: {} });
  }
}

export function minimalAnswer(body: Buffer, signature: unknown): MinimalReply {
  if (!verified(body, signature)) return UNAUTHORIZED;
  let envelope: unknown;
  try {
    envelope = JSON.parse(body.toString('utf8'));
  } catch {
    return BAD_JSON;
  }
  const fields = envelope as { etype?: unknown; data?: unknown } | null;
  if (typeof fields !== 'object' || fields === null || typeof fields.etype !== 'string') {
    return BAD_ENVELOPE;
  }
  const data = typeof fields.data === 'object' && fields.data !== null ? fields.data : {};
  inFlight++;
  try {
    return { status: 200, body: answer(fields.etype, data as Record<string, unknown>) };
  } finally {
    inFlight--;
  }
}

const EXT_VERSION = 20221218;
const EXT_UNAUTHORIZED = {
  status: 401,
  body: `{"error":"invalid signature","retriable":false,"version":${EXT_VERSION}}`,
};
const EXT_BAD_JSON = {
  status: 400,
  body: `{"error":"invalid JSON","retriable":false,"version":${EXT_VERSION}}`,
};

/** The Extension wire (`lc-ext-sig`): any signed message object gets a small `data` answer. */
export function minimalExtAnswer(body: Buffer, signature: unknown): MinimalReply {
  if (!verified(body, signature)) return EXT_UNAUTHORIZED;
  let message: unknown;
  try {
    message = JSON.parse(body.toString('utf8'));
  } catch {
    return EXT_BAD_JSON;
  }
  if (typeof message !== 'object' || message === null) return EXT_BAD_JSON;
  return { status: 200, body: JSON.stringify({ error: '', version: EXT_VERSION, data: {} }) };
}
