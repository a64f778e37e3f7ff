import { Injectable, type LoggerService } from '@nestjs/common';
import {
  LcAction,
  LcClient,
  LcGcpLogger,
  LcHandler,
  LcOid,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { TEST_OID } from 'nestjs-lc-service/testing';
import { startLcApp } from '../helpers/lc-app.js';
import { startExtApp } from '../extension/helpers.js';

const JWT = 'eyJ.the-call-jwt.sig';

/** Keeps each log call's arguments as Nest passes them: `error(message, stack, context)`. */
class ArgsLogger implements LoggerService {
  readonly calls: { level: string; args: unknown[] }[] = [];
  log(...args: unknown[]) {
    this.calls.push({ level: 'log', args });
  }
  error(...args: unknown[]) {
    this.calls.push({ level: 'error', args });
  }
  warn(...args: unknown[]) {
    this.calls.push({ level: 'warn', args });
  }
  errors(): unknown[][] {
    return this.calls.filter((c) => c.level === 'error').map((c) => c.args);
  }
}

@Injectable()
class Failing {
  @LcHandler('org_install')
  install() {
    throw new Error(`boom near ${JWT}`);
  }

  @LcHandler('org_uninstall')
  async uninstall(@LcClient() lc: LimaCharlieClient) {
    await lc.rules.list();
    return true;
  }

  @LcHandler('org_per_1h')
  hourly(@LcClient() lc: LimaCharlieClient | null, @LcOid() oid: string) {
    if (!lc) return true;
    return oid !== undefined;
  }

  // The Python convention: (lc, oid, request).
  @LcHandler('new_sensor')
  sensor(lc: LimaCharlieClient) {
    return lc.sensors !== undefined;
  }

  @LcHandler('deployment_event')
  unrelated(@LcOid() oid: string) {
    const missing = null as unknown as { field: string };
    return oid !== undefined && missing.field === '';
  }
}

@Injectable()
class FailingExt {
  @LcAction('scan')
  scan() {
    throw new Error('scan broke');
  }

  @LcAction('tag')
  async tag(@LcClient() lc: LimaCharlieClient) {
    await lc.sensors.list();
    return {};
  }
}

describe("the module's log line of a failed handler", () => {
  it("has the call's etype, mid and oid, and the stack apart from the message", async () => {
    const logger = new ArgsLogger();
    const t = await startLcApp({ providers: [Failing], logger });
    try {
      const reply = await t.client.send('org_install', { mid: 'mid-1', jwt: JWT });
      expect(reply.body).toMatchObject({ success: false, retry: true });
      const [[message, stack, context]] = logger.errors();
      expect(message).toBe(
        `Failing.install failed (etype=org_install mid=mid-1 oid=${TEST_OID}): boom near [REDACTED]`,
      );
      expect(stack).toMatch(/^Error: boom near \[REDACTED\]\n\s+at /);
      expect(context).toBe('LcService');
    } finally {
      await t.close();
    }
  });

  it('reaches LcGcpLogger as stack_trace, with etype, mid and oid as fields', async () => {
    const stderr: string[] = [];
    const logger = new LcGcpLogger('svc', {
      stdout: { write: () => true },
      stderr: { write: (line: string) => stderr.push(line) },
    });
    const t = await startLcApp({ providers: [Failing], logger });
    try {
      await t.client.send('org_install', { mid: 'mid-2', jwt: JWT });
      const entries = stderr.map((l) => JSON.parse(l) as Record<string, unknown>);
      const entry = entries.find((e) => String(e.message).startsWith('Failing.install failed'));
      expect(entry).toMatchObject({
        severity: 'ERROR',
        context: 'LcService',
        etype: 'org_install',
        mid: 'mid-2',
        oid: TEST_OID,
        stack_trace: expect.stringMatching(/^Error: boom near \[REDACTED\]\n\s+at /),
      });
      expect(entry!.message).not.toMatch(/\n\s+at /);
      expect(stderr.join('')).not.toContain(JWT);
    } finally {
      await t.close();
    }
  });

  it('of an Extension handler has the action, oid and idempotency_key', async () => {
    const logger = new ArgsLogger();
    const t = await startExtApp({ providers: [FailingExt], logger, oid: TEST_OID });
    try {
      await t.client.request('scan', {}, { idempotencyKey: 'key-1' });
      const [[message, stack, context]] = logger.errors();
      expect(message).toBe(
        `FailingExt.scan failed (action=scan oid=${TEST_OID} idempotency_key=key-1): scan broke`,
      );
      expect(stack).toMatch(/^Error: scan broke\n\s+at /);
      expect(context).toBe('LcExtension');
    } finally {
      await t.close();
    }
  });
});

describe('a handler using its client on a call without a JWT', () => {
  it('fails with an error naming the handler and why there is no client', async () => {
    const logger = new ArgsLogger();
    const t = await startLcApp({ providers: [Failing], logger });
    try {
      const reply = await t.client.send('org_uninstall', { jwt: null });
      expect(reply.body).toMatchObject({ success: false, retry: true });
      const error = (reply.body as { error: string }).error;
      expect(error).toBe(
        "Failing.uninstall: Cannot read properties of null (reading 'rules'): its LimaCharlie client " +
          '(@LcClient()) is null because this org_uninstall call carried no jwt (LimaCharlie sends one ' +
          "with every org's call; with lc-service-sim send, pass --jwt). Handlers that may get such " +
          'calls check `if (!lc)` first.',
      );
      expect(logger.errors()[0][0]).toContain(error);

      // The Python convention's lc is the same client.
      const plain = await t.client.send('new_sensor', { jwt: null, data: { sid: TEST_OID } });
      expect((plain.body as { error: string }).error).toMatch(
        /^Failing\.sensor: Cannot read properties of null \(reading 'sensors'\): .* this new_sensor call carried no jwt/,
      );
    } finally {
      await t.close();
    }
  });

  it('keeps the documented null for handlers that check it, and other errors as they are', async () => {
    const t = await startLcApp({ providers: [Failing] });
    try {
      expect((await t.client.send('org_per_1h', { jwt: null })).body).toEqual({
        success: true,
        data: {},
      });
      const other = await t.client.send('deployment_event', { jwt: null });
      expect((other.body as { error: string }).error).toBe(
        "Cannot read properties of null (reading 'field')",
      );
    } finally {
      await t.close();
    }
  });

  it('says so for an Extension action too', async () => {
    const t = await startExtApp({ providers: [FailingExt], oid: TEST_OID, jwt: '' });
    try {
      const reply = await t.client.request('tag');
      expect(reply.body.error).toMatch(
        /^FailingExt\.tag: Cannot read properties of null \(reading 'sensors'\): its LimaCharlie client \(@LcClient\(\)\) is null because this request:tag call carried no org jwt/,
      );
    } finally {
      await t.close();
    }
  });
});
