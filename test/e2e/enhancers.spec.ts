import {
  ArgumentsHost,
  BadRequestException,
  CallHandler,
  CanActivate,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PipeTransform,
  UseGuards,
  UseInterceptors,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { IsInt, IsString } from 'class-validator';
import { map } from 'rxjs';
import {
  getLcRequest,
  isLcContext,
  LcClient,
  LcData,
  LcHandler,
  LcOid,
  lcResponse,
  LimaCharlieClient,
} from 'nestjs-lc-service';
import { ADAPTERS, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

const contexts: string[] = [];

/** A global guard written for HTTP: it must see the 'lc' context type and let LC calls through. */
@Injectable()
class GlobalAuthGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    contexts.push(ctx.getType());
    if (isLcContext(ctx)) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    return req.headers.authorization === 'ok';
  }
}

/** A Sentry-like filter that assumes an HTTP response: it must never see LC errors. */
@Catch()
class HostileFilter implements ExceptionFilter {
  catch(_exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{ headersSent: boolean }>();
    if (reply.headersSent) return;
    throw new Error('hostile filter ran for an LC call');
  }
}

@Injectable()
class DenyGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    return getLcRequest(ctx).data.allow === true;
  }
}

@Injectable()
class StampInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler) {
    const etype = getLcRequest(ctx).eventType;
    return next
      .handle()
      .pipe(
        map((r: { data: Record<string, unknown> }) =>
          lcResponse({ data: { ...r.data, stampedFor: etype } }),
        ),
      );
  }
}

class UpperPipe implements PipeTransform {
  transform(value: unknown) {
    return typeof value === 'string' ? value.toUpperCase() : value;
  }
}

class ScanParams {
  @IsString()
  target!: string;

  @IsInt()
  depth!: number;
}

@Injectable()
class GuardedHandlers {
  @LcHandler('org_install')
  @UseGuards(DenyGuard)
  install() {
    return true;
  }

  @LcHandler('org_uninstall')
  @UseInterceptors(StampInterceptor)
  uninstall() {
    return lcResponse({ data: { ran: true } });
  }

  @LcHandler('new_sensor')
  newSensor(@LcData('hostname', new UpperPipe()) hostname: string) {
    return lcResponse({ data: { hostname } });
  }

  @LcHandler('request')
  request(
    @LcData() params: ScanParams,
    @LcClient() lc: LimaCharlieClient | null,
    @LcOid() oid: string,
  ) {
    return lcResponse({
      data: {
        isDto: params instanceof ScanParams,
        depth: params.depth,
        clientIntact: lc instanceof LimaCharlieClient,
        oid,
      },
    });
  }

  @LcHandler('command')
  @UsePipes(new ValidationPipe())
  command() {
    throw new BadRequestException(['first problem', 'second problem']);
  }
}

describe.each(ADAPTERS)('guards, pipes, interceptors, filters on LC handlers (%s)', (adapter) => {
  let t: LcTestApp;
  beforeAll(async () => {
    t = await startLcApp({
      adapter,
      providers: [
        GuardedHandlers,
        { provide: APP_GUARD, useClass: GlobalAuthGuard },
        { provide: APP_FILTER, useClass: HostileFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ transform: true, forbidUnknownValues: true }),
        },
      ],
    });
  });
  afterAll(() => t.close());

  it('runs global guards with context type lc', async () => {
    const res = await t.client.send('org_install', { data: { allow: true } });
    expect(res.body).toEqual({ success: true, data: {} });
    expect(contexts).toContain('lc');
  });

  it('answers a refusing guard with a failure and no retry, never reaching a filter', async () => {
    const res = await t.client.send('org_install', { data: { allow: false } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: false,
      retry: false,
      data: {},
      error: 'Forbidden resource',
    });
  });

  it('runs interceptors around the handler', async () => {
    const res = await t.client.send('org_uninstall');
    expect(res.body).toEqual({ success: true, data: { ran: true, stampedFor: 'org_uninstall' } });
  });

  it('runs parameter pipes', async () => {
    const res = await t.client.send('new_sensor', { data: { hostname: 'web-1' } });
    expect(res.body.data).toEqual({ hostname: 'WEB-1' });
  });

  it('validates and transforms @LcData() DTOs with a global ValidationPipe, leaving the client alone', async () => {
    const ok = await t.client.send('request', { data: { target: 'x', depth: 2 } });
    expect(ok.body.data).toEqual({
      isDto: true,
      depth: 2,
      clientIntact: true,
      oid: expect.any(String),
    });
    const bad = await t.client.send('request', { data: { target: 'x', depth: 'deep' } });
    expect(bad.body).toEqual({
      success: false,
      retry: false,
      data: {},
      error: 'depth must be an integer number',
    });
  });

  it('answers a 4xx HttpException with its messages and no retry', async () => {
    const res = await t.client.send('command');
    expect(res.body).toEqual({
      success: false,
      retry: false,
      data: {},
      error: 'first problem; second problem',
    });
  });
});
