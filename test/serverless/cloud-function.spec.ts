import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import {
  createLcCloudFunction,
  LcData,
  LcHandler,
  LcServiceModule,
  lcResponse,
  type LcCloudFunction,
} from 'nestjs-lc-service';
import { LcTestClient } from 'nestjs-lc-service/testing';

const SECRET = 'function-secret';
let instances = 0;
const finished: number[] = [];
/** Resolved when a handler starts, for tests that act while a call is in flight. */
let started: () => void = () => undefined;

@Injectable()
class Handlers {
  constructor() {
    instances++;
  }

  @LcHandler('request')
  async echo(@LcData() data: Record<string, unknown>) {
    started();
    await new Promise((resolve) => setTimeout(resolve, Number(data.ms ?? 0)));
    finished.push(Date.now());
    return lcResponse({ data: { echo: data } });
  }
}

@Module({})
class FunctionModule {
  static register(options: { secret?: string } = { secret: SECRET }): DynamicModule {
    return {
      module: FunctionModule,
      imports: [LcServiceModule.forRoot({ serviceName: 'fn', ...options })],
      providers: [Handlers],
    };
  }
}

interface FunctionsRequest extends IncomingMessage {
  rawBody?: Buffer;
}

/**
 * A minimal stand-in for the Functions Framework: it reads the body into `req.rawBody` (or leaves
 * the stream unread) and hands `(req, res)` to the function.
 */
async function host(
  fn: LcCloudFunction,
  keepRawBody = true,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req: FunctionsRequest, res) => {
    if (!keepRawBody) {
      void fn(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      req.rawBody = Buffer.concat(chunks);
      void fn(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('createLcCloudFunction: Cloud Functions / Cloud Run functions', () => {
  it.each([
    ['req.rawBody', true],
    ['an unread request stream', false],
  ])('boots once and dispatches signed calls read from %s', async (_name, keepRawBody) => {
    instances = 0;
    const fn = createLcCloudFunction(FunctionModule.register(), { logger: false });
    const { url, server } = await host(fn, keepRawBody);
    try {
      const client = new LcTestClient({ url, secret: SECRET });
      const replies = await Promise.all(
        [1, 2, 3].map((n) => client.send('request', { data: { n } })),
      );
      replies.forEach((reply, i) => {
        expect(reply.status).toBe(200);
        expect(reply.body).toEqual({ success: true, data: { echo: { n: i + 1 } } });
      });
      expect(instances).toBe(1);
      const unsigned = await client.sendRaw('{"etype":"request"}', { signature: null });
      expect(unsigned.status).toBe(401);
      const get = await fetch(url);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
    } finally {
      await fn.close();
      await stop(server);
    }
  });

  it('answers 503 with retry while the app cannot boot; ready() gives the reason', async () => {
    const fn = createLcCloudFunction(FunctionModule.register({}), { logger: false });
    const { url, server } = await host(fn);
    try {
      const res = await new LcTestClient({ url, secret: SECRET }).send('request');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        success: false,
        retry: true,
        data: {},
        error: 'the service failed to start',
      });
      await expect(fn.ready()).rejects.toThrow(/option 'secret' is required/);
    } finally {
      await fn.close();
      await stop(server);
    }
  });

  it('drains calls in flight on close, then boots again on the next call', async () => {
    instances = 0;
    const fn = createLcCloudFunction(FunctionModule.register(), { logger: false });
    const { url, server } = await host(fn);
    try {
      const client = new LcTestClient({ url, secret: SECRET });
      await fn.ready();
      finished.length = 0;
      const running = new Promise<void>((resolve) => (started = resolve));
      const slow = client.send('request', { data: { ms: 300 } });
      await running;
      await fn.close();
      expect(finished).toHaveLength(1);
      expect((await slow).body).toEqual({ success: true, data: { echo: { ms: 300 } } });
      expect((await client.send('request', { data: { n: 1 } })).body.success).toBe(true);
      expect(instances).toBe(2);
    } finally {
      await fn.close();
      await stop(server);
    }
  });
});
