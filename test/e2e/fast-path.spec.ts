import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { connect } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Injectable, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { LcConfigError, LcData, LcHandler, lcResponse, LcServiceModule } from 'nestjs-lc-service';
import { LcTestClient, signLcRequest } from 'nestjs-lc-service/testing';
import { ADAPTERS, SECRET, startLcApp, type LcTestAdapter } from '../helpers/lc-app.js';

@Injectable()
class Handlers {
  @LcHandler('request')
  echo(@LcData() data: Record<string, unknown>) {
    return lcResponse({ data: { echo: data } });
  }
}

/** The slice of Fastify the tests use; the package has no fastify types of its own. */
interface FastifyLike {
  addHook(name: 'onRequest', hook: (req: { method: string; url: string }) => Promise<void>): void;
  routing: RequestListener;
}

type Middleware = (req: IncomingMessage, res: unknown, next: () => void) => void;

/**
 * Records every request the framework itself sees: a Fastify `onRequest` hook or an Express
 * `app.use()` middleware, both run before any route.
 */
function frameworkSpy(adapter: LcTestAdapter) {
  const seen: string[] = [];
  const configure = (app: INestApplication): void => {
    if (adapter === 'fastify') {
      const fastify = app.getHttpAdapter().getInstance() as FastifyLike;
      fastify.addHook('onRequest', async (req) => {
        seen.push(`${req.method} ${req.url}`);
      });
    } else {
      const spy: Middleware = (req, _res, next) => {
        seen.push(`${req.method} ${req.url}`);
        next();
      };
      app.use(spy);
    }
  };
  return { seen, configure };
}

const ECHO = { success: true, data: { echo: { a: 1 } } };

/** The framework's own 404 (Nest's not-found handler), not a protocol answer from the module. */
async function expectFramework404(res: { status: number; json(): Promise<unknown> }) {
  expect(res.status).toBe(404);
  const body = await res.json();
  expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  expect(body).not.toHaveProperty('success');
}

async function listenOn(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.each(ADAPTERS)('fastPath (%s)', (adapter) => {
  it('answers the webhook ahead of the framework, which still sees the other routes', async () => {
    const spy = frameworkSpy(adapter);
    const t = await startLcApp({ adapter, providers: [Handlers], configure: spy.configure });
    try {
      expect((await t.client.send('request', { data: { a: 1 } })).body).toEqual(ECHO);
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
      expect(spy.seen).toEqual(['GET /healthz']);
    } finally {
      await t.close();
    }
  });

  it('with fastPath: false, the framework hooks run for the webhook too', async () => {
    const spy = frameworkSpy(adapter);
    const t = await startLcApp({
      adapter,
      providers: [Handlers],
      options: { fastPath: false },
      configure: spy.configure,
    });
    try {
      expect((await t.client.send('request', { data: { a: 1 } })).body).toEqual(ECHO);
      expect(spy.seen).toEqual(['POST /']);
    } finally {
      await t.close();
    }
  });

  it.each([true, false])(
    'fastPath: %s, a query string still reaches the webhook; GET / and other paths do not',
    async (fastPath) => {
      const t = await startLcApp({ adapter, providers: [Handlers], options: { fastPath } });
      try {
        const withQuery = new LcTestClient({ url: t.url, secret: SECRET, path: '/?x=1' });
        expect((await withQuery.send('request', { data: { a: 1 } })).body).toEqual(ECHO);
        await expectFramework404(await fetch(`${t.url}/`));
        const elsewhere = JSON.stringify(t.client.envelope('request'));
        await expectFramework404(
          await fetch(`${t.url}/elsewhere`, { method: 'POST', body: elsewhere }),
        );
      } finally {
        await t.close();
      }
    },
  );

  it('with a custom path, takes that exact path only', async () => {
    const spy = frameworkSpy(adapter);
    const t = await startLcApp({
      adapter,
      providers: [Handlers],
      options: { path: '/lc/webhook' },
      configure: spy.configure,
    });
    try {
      expect((await t.client.send('request', { data: { a: 1 } })).body).toEqual(ECHO);
      for (const path of ['/lc/webhook/more', '/lc/webhookx']) {
        const near = new LcTestClient({ url: t.url, secret: SECRET, path });
        const res = await near.send('request');
        expect(res.status).toBe(404);
        expect(res.body).not.toHaveProperty('success');
      }
      // The near misses went to the framework; the webhook itself did not.
      expect(spy.seen).toEqual(['POST /lc/webhook/more', 'POST /lc/webhookx']);
    } finally {
      await t.close();
    }
  });

  it('keeps the framework route for callers that bypass the server listener', async () => {
    const t = await startLcApp({ adapter, providers: [Handlers] });
    const instance = t.app.getHttpAdapter().getInstance() as FastifyLike & RequestListener;
    // What inject() or supertest(app) do: hand the request to the framework directly.
    const side = createServer(
      adapter === 'fastify' ? (req, res) => instance.routing(req, res) : instance,
    );
    try {
      const client = new LcTestClient({ url: await listenOn(side), secret: SECRET });
      expect((await client.send('request', { data: { a: 1 } })).body).toEqual(ECHO);
    } finally {
      await new Promise((resolve) => side.close(resolve));
      await t.close();
    }
  });

  it('keeps the error classes of bad input, without reaching the framework', async () => {
    const spy = frameworkSpy(adapter);
    const t = await startLcApp({
      adapter,
      providers: [Handlers],
      options: { bodyLimit: 200 },
      configure: spy.configure,
    });
    try {
      const body = JSON.stringify(t.client.envelope('request'));
      const forged = await t.client.sendRaw(body, { signature: '0'.repeat(64) });
      expect(forged.status).toBe(401);
      expect(forged.body).toMatchObject({ success: false });

      const malformed = await t.client.sendRaw('{"etype": "request",');
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ success: false });

      const large = await t.client.sendRaw('x'.repeat(201));
      expect(large.status).toBe(413);
      expect(large.headers.get('connection')).toBe('close');
      expect(large.body).toMatchObject({ success: false, error: expect.stringContaining('200') });

      expect(spy.seen).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('fastPath on Express', () => {
  it('reads the bytes before a middleware that consumes the body can', async () => {
    // With fastPath: false this answers 500 (test/e2e/express.spec.ts).
    const swallow: Middleware = (req, _res, next) => {
      req.on('data', () => undefined);
      req.on('end', next);
    };
    const t = await startLcApp({
      adapter: 'express',
      providers: [Handlers],
      configure: (app) => app.use(swallow),
    });
    try {
      const res = await t.client.send('request', { data: { a: 1 } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(ECHO);
    } finally {
      await t.close();
    }
  });
});

describe('fastPath option', () => {
  it('refuses a value other than true or false at boot', async () => {
    let err: unknown;
    try {
      const t = await startLcApp({ options: { fastPath: 'yes' as unknown as boolean } });
      await t.close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LcConfigError);
    expect((err as Error).message).toMatch(/option 'fastPath' must be true or false, got yes/);
  });
});

/** One POST over cleartext HTTP/2, the way Cloud Run's end-to-end HTTP/2 reaches a container. */
function h2Post(url: string, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const session = connect(url);
    session.on('error', reject);
    const req = session.request({ ':method': 'POST', ':path': '/', ...headers });
    let status = 0;
    let text = '';
    req.on('response', (h) => {
      status = Number(h[':status']);
    });
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      session.close();
      resolve({ status, body: text });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('fastPath on Fastify over HTTP/2', () => {
  it('answers on the HTTP/2 server, whose compatibility API it shares with HTTP/1', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [LcServiceModule.forRoot({ serviceName: 'test-service', secret: SECRET })],
      providers: [Handlers],
    }).compile();
    const app = moduleRef.createNestApplication(new FastifyAdapter({ http2: true }), {
      logger: false,
    });
    const spy = frameworkSpy('fastify');
    spy.configure(app);
    await app.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      const call = signLcRequest(SECRET, { etype: 'request', data: { a: 1 } });
      const res = await h2Post(url, call.body, call.headers);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual(ECHO);
      const forged = await h2Post(url, call.body, {
        ...call.headers,
        'lc-svc-sig': '0'.repeat(64),
      });
      expect(forged.status).toBe(401);
      expect(spy.seen).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
