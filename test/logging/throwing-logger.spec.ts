import { Injectable, type LoggerService } from '@nestjs/common';
import { LcAction, LcHandler } from 'nestjs-lc-service';
import { startExtApp } from '../extension/helpers.js';
import { startLcApp } from '../helpers/lc-app.js';

/** A log shipper that has lost its backend: every warning and error throws. */
class FailingLogger implements LoggerService {
  thrown = 0;
  log() {}
  debug() {}
  verbose() {}
  warn(): void {
    this.thrown++;
    throw new Error('log backend unreachable');
  }
  error(): void {
    this.thrown++;
    throw new Error('log backend unreachable');
  }
}

@Injectable()
class Handlers {
  @LcHandler('detection')
  detection(): never {
    throw new Error('handler bug');
  }
}

@Injectable()
class ExtHandlers {
  @LcAction('scan')
  scan(): never {
    throw new Error('handler bug');
  }
}

describe('a logger that throws', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  it('costs a failing service call neither its answer nor the app its shutdown', async () => {
    const logger = new FailingLogger();
    const lc = await startLcApp({ providers: [Handlers], logger });
    const reply = await lc.client.send('detection', { data: { cat: 'x' } });
    expect(reply.body).toMatchObject({ success: false, error: 'handler bug', retry: true });
    await lc.close();
    expect(logger.thrown).toBeGreaterThan(0);
    expect(unhandled).toEqual([]);
  });

  it('costs a failing extension call neither its answer nor the app its shutdown', async () => {
    const logger = new FailingLogger();
    const ext = await startExtApp({ providers: [ExtHandlers], logger });
    const reply = await ext.client.request('scan', {});
    expect(reply.status).toBe(500);
    expect(reply.body).toMatchObject({ error: 'handler bug' });
    const unknown = await ext.client.request('nope', {});
    expect(unknown.status).toBe(400);
    await ext.close();
    expect(logger.thrown).toBeGreaterThan(1);
    expect(unhandled).toEqual([]);
  });
});
