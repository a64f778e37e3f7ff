import { Injectable, Logger } from '@nestjs/common';
import {
  LcAction,
  LcExtensionEvent,
  LcGcpLogger,
  LcHandler,
  LcReq,
  type LcRequest,
} from 'nestjs-lc-service';
import { startExtApp } from '../extension/helpers.js';
import { startLcApp } from '../helpers/lc-app.js';

class Capture {
  readonly lines: string[] = [];
  write(chunk: string): boolean {
    this.lines.push(chunk);
    return true;
  }
  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      return JSON.parse(line) as Record<string, unknown>;
    });
  }
}

function capture(options: ConstructorParameters<typeof LcGcpLogger>[1] = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const logger = new LcGcpLogger('svc', { stdout, stderr, ...options });
  return { logger, stdout, stderr };
}

const TIMESTAMP = {
  seconds: expect.any(Number) as number,
  nanos: expect.any(Number) as number,
};

describe('LcGcpLogger', () => {
  it('writes one GCP-structured JSON line per entry, with Cloud Logging severities', () => {
    const { logger, stdout, stderr } = capture({
      logLevels: ['log', 'warn', 'error', 'fatal', 'debug', 'verbose'],
    });
    logger.log('hello', 'Boot');
    logger.warn('careful');
    logger.debug('details');
    logger.verbose('more details');
    logger.error('broke', 'Error: broke\n    at fn (file.ts:1:1)', 'Worker');
    logger.fatal('gone');
    expect(stdout.entries()).toEqual([
      { service: 'svc', timestamp: TIMESTAMP, severity: 'INFO', message: 'hello', context: 'Boot' },
      { service: 'svc', timestamp: TIMESTAMP, severity: 'WARNING', message: 'careful' },
      { service: 'svc', timestamp: TIMESTAMP, severity: 'DEBUG', message: 'details' },
      { service: 'svc', timestamp: TIMESTAMP, severity: 'DEBUG', message: 'more details' },
    ]);
    expect(stderr.entries()).toEqual([
      {
        service: 'svc',
        timestamp: TIMESTAMP,
        severity: 'ERROR',
        message: 'broke',
        context: 'Worker',
        stack_trace: 'Error: broke\n    at fn (file.ts:1:1)',
      },
      { service: 'svc', timestamp: TIMESTAMP, severity: 'CRITICAL', message: 'gone' },
    ]);
  });

  it('skips debug and verbose unless asked, and follows setLogLevels', () => {
    const { logger, stdout } = capture();
    logger.debug('hidden');
    logger.verbose('hidden');
    logger.log('shown');
    logger.setLogLevels(['error']);
    logger.log('hidden now');
    expect(stdout.entries().map((e) => e.message)).toEqual(['shown']);
  });

  it('writes errors, objects and odd values without throwing', () => {
    const { logger, stdout, stderr } = capture();
    const circular: Record<string, unknown> = { big: 10n };
    circular.self = circular;
    logger.log(circular);
    logger.log('with details', { n: 1 }, 'Ctx');
    logger.error(new Error('thrown'));
    const [objectEntry, detailsEntry] = stdout.entries();
    expect(objectEntry.message).toMatch(/big: 10n/);
    expect(detailsEntry).toMatchObject({
      message: 'with details',
      context: 'Ctx',
      details: [{ n: 1 }],
    });
    expect(stderr.entries()[0]).toMatchObject({
      severity: 'ERROR',
      message: 'thrown',
      stack_trace: expect.stringMatching(/^Error: thrown\n\s+at /),
    });
  });

  it('works app-wide as the Nest logger, tagging entries with the call and hiding its JWT', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2ln';
    @Injectable()
    class Handlers {
      private readonly log = new Logger('Handlers');
      @LcHandler('request')
      request(@LcReq() request: LcRequest) {
        this.log.warn(`calling the API with ${jwt} for ${request.oid ?? '-'}`);
        return true;
      }
    }
    const { logger, stdout } = capture();
    const t = await startLcApp({ providers: [Handlers], logger });
    try {
      await t.client.send('request', { jwt, mid: 'mid-42' });
      const entry = stdout.entries().find((e) => e.context === 'Handlers');
      expect(entry).toEqual({
        service: 'svc',
        timestamp: TIMESTAMP,
        severity: 'WARNING',
        message: expect.stringMatching(/^calling the API with \[REDACTED\] for /),
        context: 'Handlers',
        etype: 'request',
        mid: 'mid-42',
        oid: expect.any(String),
      });
      expect(stdout.lines.join('')).not.toContain(jwt);
      expect(stdout.entries().some((e) => e.context === 'NestApplication')).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('tags entries inside an Extension handler with the call, and hides its JWT', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.ZXh0.c2ln';
    const oid = '0b8f6a52-7c1d-4e3f-9a2b-6c5d4e3f2a10';
    @Injectable()
    class Handlers {
      private readonly log = new Logger('ExtHandlers');
      @LcAction('scan')
      scan() {
        this.log.warn(`scanning with ${jwt}`);
        return {};
      }
      @LcExtensionEvent('subscribe')
      subscribe() {
        this.log.log('subscribed');
      }
    }
    const { logger, stdout } = capture();
    const ext = await startExtApp({ providers: [Handlers], logger, oid, jwt });
    try {
      await ext.client.request('scan', {}, { idempotencyKey: 'key-7' });
      await ext.client.event('subscribe', {}, {});
      const entries = stdout.entries().filter((e) => e.context === 'ExtHandlers');
      expect(entries).toEqual([
        {
          service: 'svc',
          timestamp: TIMESTAMP,
          severity: 'WARNING',
          message: 'scanning with [REDACTED]',
          context: 'ExtHandlers',
          kind: 'request',
          action: 'scan',
          idempotency_key: 'key-7',
          oid,
        },
        expect.objectContaining({ kind: 'event', event_name: 'subscribe', oid }),
      ]);
      expect(stdout.lines.join('')).not.toContain(jwt);
    } finally {
      await ext.close();
    }
  });
});
