import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Module } from '@nestjs/common';
import {
  createLcCloudFunction,
  LcData,
  LcHandler,
  lcResponse,
  LcServiceModule,
  signBody,
  type LcServiceModuleOptions,
} from 'nestjs-lc-service';
import { pendingBodyBytesNow } from '../../src/transport/raw-body.js';
import { ADAPTERS, SECRET, startLcApp } from '../helpers/lc-app.js';
import { rawExchange, requestHead, type RawExchange } from '../reliability/http-send.js';

@Injectable()
class Handlers {
  @LcHandler('request')
  echo(@LcData() data: Record<string, unknown>) {
    return lcResponse({ data: { echo: data } });
  }
}

const OPTIONS = {
  bodyLimit: 1024,
  bodyTimeoutMs: 1000,
  maxPendingBodyBytes: 1024,
} satisfies Partial<LcServiceModuleOptions>;

@Module({
  imports: [LcServiceModule.forRoot({ serviceName: 'test-service', secret: SECRET, ...OPTIONS })],
  providers: [Handlers],
})
class ServerlessModule {}

interface Entry {
  port: number;
  close(): Promise<void>;
}

const ENTRIES: Record<string, () => Promise<Entry>> = {
  'fast path on Fastify': () => nestEntry('fastify', true),
  'Fastify route': () => nestEntry('fastify', false),
  'fast path on Express': () => nestEntry('express', true),
  'Express route': () => nestEntry('express', false),
  serverless: async () => {
    const fn = createLcCloudFunction(ServerlessModule, { logger: false });
    const server = createServer((req, res) => void fn(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as AddressInfo).port,
      close: async () => {
        await new Promise((resolve) => server.close(resolve));
        await fn.close();
      },
    };
  },
};

async function nestEntry(adapter: 'fastify' | 'express', fastPath: boolean): Promise<Entry> {
  const t = await startLcApp({ adapter, providers: [Handlers], options: { ...OPTIONS, fastPath } });
  return { port: Number(new URL(t.url).port), close: t.close };
}

const ENVELOPE = Buffer.from(
  JSON.stringify({
    version: 1,
    etype: 'request',
    oid: '8cbe27f4-bfa1-4afb-ba19-138cd51389cd',
    jwt: 'parity-jwt',
    deadline: Date.now() / 1000 + 600,
    data: { a: 1 },
  }),
);
const OVERSIZED = Buffer.alloc(OPTIONS.bodyLimit + 1, 'x');

function signed(body: Buffer, headers: Record<string, string> = {}): Buffer {
  return Buffer.concat([
    requestHead({
      'content-length': String(body.length),
      'lc-svc-sig': signBody(SECRET, body),
      ...headers,
    }),
    body,
  ]);
}

function chunked(body: Buffer): Buffer {
  const head = requestHead({
    'transfer-encoding': 'chunked',
    'lc-svc-sig': signBody(SECRET, body),
  });
  const size = Buffer.from(`${body.length.toString(16)}\r\n`);
  return Buffer.concat([head, size, body, Buffer.from('\r\n0\r\n\r\n')]);
}

/** Each case: the request's bytes, sent at once on a fresh connection. */
const CASES: Record<string, Buffer> = {
  'signed call': signed(ENVELOPE, { 'content-type': 'application/json' }),
  'bad signature': signed(ENVELOPE, { 'lc-svc-sig': '0'.repeat(64) }),
  'declared over bodyLimit': signed(OVERSIZED),
  'chunked over bodyLimit': chunked(OVERSIZED),
  'content-type ;;;': signed(ENVELOPE, { 'content-type': ';;;' }),
  'content-type text/plain': signed(ENVELOPE, { 'content-type': 'text/plain' }),
  'no content-type': signed(ENVELOPE),
  'empty body': signed(Buffer.alloc(0)),
};

/** What is compared between entries: status, the headers that matter, the body's bytes. */
interface Seen {
  status: number;
  'content-type'?: string;
  'cache-control'?: string;
  connection?: string;
  body: string;
}

function seen(x: RawExchange): Seen {
  const end = x.text.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of x.text.slice(0, end).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return {
    status: x.status,
    'content-type': headers.get('content-type'),
    'cache-control': headers.get('cache-control'),
    connection: headers.get('connection'),
    body: end < 0 ? '' : x.text.slice(end + 4),
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A body that never completes, declaring `declared` bytes: its head and ten bytes. */
function slowBody(port: number, declared: number): Promise<RawExchange> {
  const head = requestHead({ 'content-length': String(declared), 'lc-svc-sig': '0'.repeat(64) });
  return rawExchange(port, [head, Buffer.alloc(10, 'x')], { waitMs: 10_000 });
}

async function answersOf(entry: Entry): Promise<Record<string, Seen>> {
  const out: Record<string, Seen> = {};
  for (const [name, bytes] of Object.entries(CASES)) {
    out[name] = seen(await rawExchange(entry.port, [bytes], { waitMs: 10_000 }));
  }
  out['slow body'] = seen(await slowBody(entry.port, ENVELOPE.length));
  // A body holding the whole allowance of bytes not yet verified: the next call must wait.
  const holder = slowBody(entry.port, OPTIONS.maxPendingBodyBytes);
  await until(() => pendingBodyBytesNow() === OPTIONS.maxPendingBodyBytes);
  out['allowance full'] = seen(await rawExchange(entry.port, [CASES['signed call']]));
  out['holder of the allowance'] = seen(await holder);
  await until(() => pendingBodyBytesNow() === 0);
  return out;
}

describe('every entry answers the same bytes the same way', () => {
  it('fast path, Fastify route, Express with and without fast path, serverless', async () => {
    const results: Record<string, Record<string, Seen>> = {};
    for (const [name, start] of Object.entries(ENTRIES)) {
      const entry = await start();
      try {
        results[name] = await answersOf(entry);
      } finally {
        await entry.close();
      }
    }
    const reference = results['fast path on Fastify'];
    const statuses = Object.fromEntries(
      Object.entries(reference).map(([name, s]) => [name, s.status]),
    );
    expect(statuses).toEqual({
      'signed call': 200,
      'bad signature': 401,
      'declared over bodyLimit': 413,
      'chunked over bodyLimit': 413,
      'content-type ;;;': 200,
      'content-type text/plain': 200,
      'no content-type': 200,
      'empty body': 400,
      'slow body': 408,
      'allowance full': 503,
      'holder of the allowance': 408,
    });
    for (const s of Object.values(reference)) {
      expect(s['content-type']).toBe('application/json; charset=utf-8');
      expect(s['cache-control']).toBe('no-store');
      expect(s.connection).toBe([413, 408, 503].includes(s.status) ? 'close' : 'keep-alive');
    }
    expect(JSON.parse(reference['signed call'].body)).toEqual({
      success: true,
      data: { echo: { a: 1 } },
    });
    expect(JSON.parse(reference['allowance full'].body)).toMatchObject({
      success: false,
      retry: true,
      error: expect.stringContaining('maxPendingBodyBytes'),
    });
    expect(JSON.parse(reference['slow body'].body)).toMatchObject({
      success: false,
      retry: true,
      error: expect.stringContaining('bodyTimeoutMs'),
    });
    for (const [name, answers] of Object.entries(results)) {
      expect({ entry: name, answers }).toEqual({ entry: name, answers: reference });
    }
  }, 90_000);
});

describe('server limits set at mount', () => {
  it.each(ADAPTERS)(
    'bounds headers, and whole requests when the server has no limit (%s)',
    async (adapter) => {
      const t = await startLcApp({
        adapter,
        options: { headersTimeoutMs: 7000, bodyTimeoutMs: 9000 },
      });
      try {
        const server = t.app.getHttpServer() as Server;
        expect(server.headersTimeout).toBe(7000);
        // Fastify's default is none; Node's own default (Express) is kept.
        expect(server.requestTimeout).toBe(adapter === 'fastify' ? 16_000 : 300_000);
        expect(server.keepAliveTimeout).toBeGreaterThan(0);
      } finally {
        await t.close();
      }
    },
  );
});
