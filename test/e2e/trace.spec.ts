import { Injectable } from '@nestjs/common';
import { LcData, LcHandler, lcResponse, LcReq, type LcRequest } from 'nestjs-lc-service';
import { CapturingLogger, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

@Injectable()
class Handlers {
  readonly seen: string[] = [];

  @LcHandler('log_event')
  event(@LcReq() req: LcRequest) {
    this.seen.push(req.eventType);
    return true;
  }

  /** Echoes what it is given, the way a careless handler could echo a token. */
  @LcHandler('request')
  echo(@LcData('echo') echo: unknown) {
    return lcResponse({ data: { echo } });
  }
}

/** Throws on trace lines, as a custom logger whose sink refuses them might. */
class ThrowingLogger extends CapturingLogger {
  override log(message: unknown, ...rest: unknown[]): void {
    if (typeof message === 'string' && /^RE[QP] /.test(message)) {
      throw new Error('log sink unavailable');
    }
    super.log(message, ...rest);
  }
}

describe('traceComms', () => {
  const handlers = new Handlers();
  const logger = new CapturingLogger();
  let t: LcTestApp;

  beforeAll(async () => {
    t = await startLcApp({
      options: { traceComms: true },
      providers: [{ provide: Handlers, useValue: handlers }],
      logger,
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    logger.lines.length = 0;
    handlers.seen.length = 0;
  });

  const traced = (direction: 'REQ' | 'REP') =>
    logger.lines.filter((line) => line.startsWith(`log ${direction} `));

  it('traces data nested 5,000 deep as it arrived, and still runs the handler', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const body = JSON.stringify(t.client.envelope('log_event')).replace(
      '"data":{}',
      `"data":{"event":${deep}}`,
    );
    const res = await t.client.sendRaw(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: {} });
    expect(handlers.seen).toEqual(['log_event']);
    const [req] = traced('REQ');
    expect(req).toContain(`"data":{"event":${deep.slice(0, 1000)}`);
  });

  it('redacts a JWT holding quotes and backslashes by value, however the body escapes it', async () => {
    const jwt = 'eyJ0eXAi.pa"yl\\oad.s/ig';
    const escapes = JSON.stringify(jwt).slice(1, -1);
    // The same token written with \u escapes throughout: only a decoder sees it.
    const unicode = [...jwt].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const body = JSON.stringify(
      t.client.envelope('request', { jwt, data: { echo: `before ${jwt} after` } }),
    ).replace('"data":{', `"data":{"again":"${unicode.join('')}",`);
    const res = await t.client.sendRaw(body);
    expect(res.body).toEqual({ success: true, data: { echo: `before ${jwt} after` } });
    const lines = [...traced('REQ'), ...traced('REP')];
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      for (const form of [jwt, escapes, 'pa\\"yl', 'yl\\\\oad', 'pa"yl', '\\u0070\\u0061']) {
        expect(line).not.toContain(form);
      }
    }
    expect(lines[0]).toContain('"jwt":"[REDACTED]"');
    expect(lines[0]).toContain('"again":"[REDACTED]"');
    expect(lines[1]).toContain('"echo":"before [REDACTED] after"');
  });

  it('shows the first 64 KiB of a large body and its size, never a string cut inside it', async () => {
    const jwt = 'eyJhbGciOiJub25lIn0.big-body.c2ln';
    const line = 'x'.repeat(64 * 1024 - 200);
    const body = JSON.stringify(
      t.client.envelope('log_event', { jwt, data: { line, tail: jwt, more: 'y'.repeat(1 << 20) } }),
    );
    const res = await t.client.sendRaw(body);
    expect(res.body).toEqual({ success: true, data: {} });
    const [req] = traced('REQ');
    // Booleans: a failure must not print a 64 KiB line.
    expect(req.length).toBeLessThan(64 * 1024 + 200);
    expect(req.includes(` … (${Buffer.byteLength(body)} bytes in all)`)).toBe(true);
    expect(req.includes('"tail":"[REDACTED]"')).toBe(true);
    expect(req.includes('big-body')).toBe(false);
    // The cut falls inside `more`: that string is left out, not shown in part.
    expect(req.includes('"more": …')).toBe(true);
  });

  it('never fails a call because its trace cannot be written', async () => {
    const broken = await startLcApp({
      options: { traceComms: true },
      providers: [Handlers],
      logger: new ThrowingLogger(),
    });
    try {
      const res = await broken.client.send('log_event');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, data: {} });
    } finally {
      await broken.close();
    }
  });
});
