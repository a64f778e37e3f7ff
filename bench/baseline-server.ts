import { createHash, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * The bare minimum a LimaCharlie service must do per call, on plain node:http: read the whole
 * body, HMAC-SHA256 it, compare in constant time, JSON.parse it, build and JSON.stringify a small
 * reply. The bench divides the module's numbers by this server's.
 */

const BODY_LIMIT = 50 * 1024 * 1024;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const JSON_TYPE = 'application/json; charset=utf-8';

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

function verified(body: Buffer, header: string | string[] | undefined): boolean {
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

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  if (!verified(body, req.headers['lc-svc-sig'])) {
    reply(res, 401, '{"success":false,"retry":false,"data":{},"error":"unauthorized"}');
    return;
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(body.toString('utf8'));
  } catch {
    reply(res, 400, '{"success":false,"retry":false,"data":{},"error":"invalid JSON body"}');
    return;
  }
  const fields = envelope as { etype?: unknown; data?: unknown } | null;
  if (typeof fields !== 'object' || fields === null || typeof fields.etype !== 'string') {
    reply(res, 400, '{"success":false,"retry":false,"data":{},"error":"invalid envelope"}');
    return;
  }
  const data = typeof fields.data === 'object' && fields.data !== null ? fields.data : {};
  inFlight++;
  try {
    reply(res, 200, answer(fields.etype, data as Record<string, unknown>));
  } finally {
    inFlight--;
  }
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > BODY_LIMIT) {
      reply(res, 413, '{"success":false,"retry":false,"data":{},"error":"too large"}');
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    handle(req, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), res);
  });
});

server.listen(Number(process.env.PORT ?? 8081), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
