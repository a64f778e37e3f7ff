import {
  Injectable,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import {
  getLcExtRequest,
  getLcRequest,
  isLcContext,
  isLcExtContext,
  LcAction,
  LcContext,
  LcExtensionEvent,
  LcReq,
  type LcExtRequest,
} from 'nestjs-lc-service';
import { startExtApp, type LcExtTestApp } from './helpers.js';

const OID = '7e2b9f2a-31c5-4a8e-9d0b-5f6c7d8e9a01';
const JWT = 'ext-jwt-not-a-real-one';

const guardSaw: Record<string, unknown>[] = [];
const interceptorSaw: unknown[] = [];

/** A guard written for Extension calls, reading the call the documented way. */
@Injectable()
class RecordingGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    if (!isLcContext(ctx)) return true;
    const req = getLcExtRequest(ctx);
    let serviceReader: string | undefined;
    try {
      getLcRequest(ctx);
    } catch (err) {
      serviceReader = (err as Error).message;
    }
    guardSaw.push({
      ext: isLcExtContext(ctx),
      protocol: req.protocol,
      kind: req.kind,
      oid: req.oid,
      action: req.action,
      key: req.idempotencyKey,
      ident: req.ident,
      serviceReader,
    });
    return req.ident !== 'intruder@example.com';
  }
}

@Injectable()
class RecordingInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler) {
    interceptorSaw.push(getLcExtRequest(ctx).eventType);
    return next.handle();
  }
}

/** Code a handler calls, far from its arguments: reads the call through LcContext. */
@Injectable()
class Audit {
  constructor(private readonly ctx: LcContext) {}

  describe() {
    const { ctx } = this;
    let serviceRequest: string | undefined;
    try {
      void ctx.request;
    } catch (err) {
      serviceRequest = (err as Error).message;
    }
    return {
      active: ctx.isActive,
      protocol: ctx.protocol,
      oid: ctx.oid,
      action: ctx.extRequest.action,
      key: ctx.extRequest.idempotencyKey,
      hasClient: typeof ctx.client.sensors === 'object',
      serviceRequest,
    };
  }
}

@Injectable()
class Handlers {
  constructor(private readonly audit: Audit) {}

  @LcAction('whoami')
  async whoami() {
    await new Promise((resolve) => setImmediate(resolve));
    return this.audit.describe();
  }

  @LcExtensionEvent('subscribe')
  subscribe(@LcReq() req: LcExtRequest) {
    return { event: req.action };
  }
}

describe.each(['fastify', 'express'] as const)(
  'the call of an Extension handler (%s)',
  (adapter) => {
    let ext: LcExtTestApp;

    beforeAll(async () => {
      ext = await startExtApp({
        adapter,
        oid: OID,
        jwt: JWT,
        providers: [
          Handlers,
          Audit,
          { provide: APP_GUARD, useClass: RecordingGuard },
          { provide: APP_INTERCEPTOR, useClass: RecordingInterceptor },
        ],
      });
    });
    afterAll(() => ext.close());
    beforeEach(() => {
      guardSaw.length = 0;
      interceptorSaw.length = 0;
    });

    it('guards and interceptors read it with getLcExtRequest(ctx)', async () => {
      const answer = await ext.client.request(
        'whoami',
        {},
        { idempotencyKey: 'key-1', ident: 'user@example.com' },
      );
      expect(answer.status).toBe(200);
      expect(guardSaw).toEqual([
        {
          ext: true,
          protocol: 'extension',
          kind: 'request',
          oid: OID,
          action: 'whoami',
          key: 'key-1',
          ident: 'user@example.com',
          serviceReader: expect.stringMatching(
            /is an Extension call: read it with getLcExtRequest/,
          ),
        },
      ]);
      expect(interceptorSaw).toEqual(['request:whoami']);

      const refused = await ext.client.request('whoami', {}, { ident: 'intruder@example.com' });
      expect(refused.status).toBe(400);

      await ext.client.event('subscribe', {});
      expect(guardSaw.at(-1)).toMatchObject({ kind: 'event', action: 'subscribe' });
    });

    it('code the handler awaits reads it from LcContext', async () => {
      const answer = await ext.client.request('whoami', {}, { idempotencyKey: 'key-2' });
      expect(answer.body.data).toEqual({
        active: true,
        protocol: 'extension',
        oid: OID,
        action: 'whoami',
        key: 'key-2',
        hasClient: true,
        serviceRequest: expect.stringMatching(/is an Extension call: read LcContext.extRequest/),
      });
      expect(ext.app.get(LcContext).isActive).toBe(false);
    });
  },
);
