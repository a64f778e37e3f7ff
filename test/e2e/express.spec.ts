import type { IncomingMessage, ServerResponse } from 'node:http';
import { Body, Controller, Injectable, Post } from '@nestjs/common';
import { LcData, LcHandler, lcResponse } from 'nestjs-lc-service';
import { CapturingLogger, startLcApp } from '../helpers/lc-app.js';

@Injectable()
class Handlers {
  @LcHandler('request')
  echo(@LcData() data: Record<string, unknown>) {
    return lcResponse({ data: { echo: data } });
  }
}

/** The app's own JSON API on the same Express instance. */
@Controller('api')
class ApiController {
  @Post('echo')
  echo(@Body() body: unknown) {
    return { parsed: body };
  }
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

describe('Express: raw bytes without a bootstrap flag', () => {
  it('verifies the exact bytes ahead of express.json() and leaves the app its JSON parsing', async () => {
    const t = await startLcApp({
      adapter: 'express',
      providers: [Handlers],
      imports: [{ module: class ApiModule {}, controllers: [ApiController] }],
    });
    try {
      // Spacing and key order JSON.parse + stringify would change: a re-serialised body fails.
      const body = '{ "etype" : "request",\n "data": {"b": 1, "a": [1, 2]} }';
      const res = await t.client.sendRaw(body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, data: { echo: { b: 1, a: [1, 2] } } });
      const api = await fetch(`${t.url}/api/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ x: 1 }),
      });
      expect(await api.json()).toEqual({ parsed: { x: 1 } });
    } finally {
      await t.close();
    }
  });

  it('with fastPath: false, runs middleware the app registered before init ahead of the webhook', async () => {
    const tag: Middleware = (_req, res, next) => {
      res.setHeader('x-app-middleware', 'ran');
      next();
    };
    const t = await startLcApp({
      adapter: 'express',
      providers: [Handlers],
      options: { fastPath: false },
      configure: (app) => app.use(tag),
    });
    try {
      const res = await t.client.send('request', { data: { a: 1 } });
      expect(res.body.success).toBe(true);
      expect(res.headers.get('x-app-middleware')).toBe('ran');
    } finally {
      await t.close();
    }
  });

  it.each([
    ['bodyParser: false', { bodyParser: false }],
    ['rawBody: true', { rawBody: true }],
  ])('works with %s', async (_name, appOptions) => {
    const t = await startLcApp({ adapter: 'express', providers: [Handlers], appOptions });
    try {
      expect((await t.client.send('request', { data: { a: 1 } })).body).toEqual({
        success: true,
        data: { echo: { a: 1 } },
      });
    } finally {
      await t.close();
    }
  });

  it('with fastPath: false, answers 500 and says why when a middleware consumed the body first', async () => {
    const swallow: Middleware = (req, _res, next) => {
      req.on('data', () => undefined);
      req.on('end', next);
    };
    const logger = new CapturingLogger();
    const t = await startLcApp({
      adapter: 'express',
      providers: [Handlers],
      options: { fastPath: false },
      configure: (app) => app.use(swallow),
      logger,
    });
    try {
      const res = await t.client.send('request', { data: { a: 1 } });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ success: false, retry: false, data: {}, error: 'internal error' });
      expect(logger.lines.join('\n')).toMatch(
        /the request body was read before the LimaCharlie webhook saw its bytes.*rawBody: true/,
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a body over bodyLimit, declared or streamed', async () => {
    const t = await startLcApp({
      adapter: 'express',
      providers: [Handlers],
      options: { bodyLimit: 100 },
    });
    try {
      const res = await t.client.sendRaw('x'.repeat(101));
      expect(res.status).toBe(413);
      expect(res.headers.get('connection')).toBe('close');
      const chunked = await fetch(t.url, {
        method: 'POST',
        body: new Blob(['y'.repeat(150)]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
    } finally {
      await t.close();
    }
  });
});
