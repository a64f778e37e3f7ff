import { Injectable, Logger } from '@nestjs/common';
import { LcHandler, lcLogFields } from 'nestjs-lc-service';
import { TEST_OID } from 'nestjs-lc-service/testing';
import { InjectPinoLogger, LoggerModule, Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import { startLcApp } from '../helpers/lc-app.js';

/** pino's destination: every line it writes, parsed. */
class Lines {
  readonly entries: Record<string, unknown>[] = [];
  write(line: string): void {
    this.entries.push(JSON.parse(line) as Record<string, unknown>);
  }
  withMsg(msg: string): Record<string, unknown>[] {
    return this.entries.filter((e) => e.msg === msg);
  }
}

@Injectable()
class Handlers {
  private readonly nestLogger = new Logger('Detections');

  constructor(@InjectPinoLogger('Detections') private readonly pino: PinoLogger) {}

  @LcHandler('detection')
  async detection() {
    this.pino.info('checking the hash');
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.nestLogger.log('hash checked');
    return true;
  }
}

// nestjs-pino keeps its root logger in a static field: every app in this process writes here.
const lines = new Lines();

describe.each([true, false])('lcLogFields in pino logs (fastPath: %s)', (fastPath) => {
  it("puts the call's etype, mid and oid on the lines a handler logs, and nothing outside calls", async () => {
    lines.entries.length = 0;
    const t = await startLcApp({
      providers: [Handlers],
      imports: [LoggerModule.forRoot({ pinoHttp: [{ mixin: lcLogFields }, lines] })],
      options: { asyncContext: true, fastPath },
      configure: (app) => app.useLogger(app.get(PinoNestLogger)),
    });
    try {
      const reply = await t.client.send('detection', { mid: 'mid-pino-1' });
      expect(reply.body).toEqual({ success: true, data: {} });
      new Logger('Outside').log('between calls');
    } finally {
      await t.close();
    }
    const call = { etype: 'detection', mid: 'mid-pino-1', oid: TEST_OID };
    expect(lines.withMsg('checking the hash')).toEqual([
      expect.objectContaining({ ...call, context: 'Detections' }),
    ]);
    // After an await, and through Nest's Logger once the app logs with nestjs-pino.
    expect(lines.withMsg('hash checked')).toEqual([
      expect.objectContaining({ ...call, context: 'Detections' }),
    ]);
    const outside = lines.withMsg('between calls');
    expect(outside).toHaveLength(1);
    expect(outside[0]).not.toHaveProperty('etype');
    expect(outside[0]).not.toHaveProperty('mid');
  });
});

describe('lcLogFields', () => {
  it('is empty outside a call, and a new object each time (pino writes into it)', () => {
    const first = lcLogFields();
    expect(first).toEqual({});
    (first as Record<string, unknown>).msg = 'written by pino';
    expect(lcLogFields()).toEqual({});
  });
});
