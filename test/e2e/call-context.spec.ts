import {
  forwardRef,
  Inject,
  Injectable,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  getLcRequest,
  LcConfigError,
  LcContext,
  LcData,
  LcHandler,
  LcOid,
  LcReq,
  lcResponse,
  LcSid,
  type LcRequest,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { TEST_OID } from 'nestjs-lc-service/testing';
import { ADAPTERS, startLcApp, type LcTestApp, type LcTestAppSetup } from '../helpers/lc-app.js';

const SENSOR = 'd3c2f7a8-1b4e-4c6d-9e0f-2a3b4c5d6e7f';
const ORG_SLOW = '11111111-0000-4000-8000-000000000001';
const ORG_FAST = '11111111-0000-4000-8000-000000000002';
const ORG_X = '11111111-0000-4000-8000-000000000003';
const ORG_FORCED = '11111111-0000-4000-8000-000000000004';

// No LcGcpLogger in this file: building one turns tracking on for every app of the module registry.

const TRACKING_OFF = /call tracking is off/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const guardSaw: unknown[] = [];

@Injectable()
class RecordingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = getLcRequest(context);
    guardSaw.push({ etype: req.eventType, oid: req.oid, data: req.data });
    return req.data.allow === true;
  }
}

/** Reads the call only through the invoker's arguments, and LcContext only at run time. */
@Injectable()
class NoConsumer {
  constructor(private readonly moduleRef: ModuleRef) {}

  @LcHandler('request')
  request(
    @LcData() data: Record<string, unknown>,
    @LcData('n') n: number,
    @LcOid() oid: string,
    @LcSid() sid: string,
    @LcReq() req: LcRequest,
  ) {
    return lcResponse({ data: { data, n, oid, sid, etype: req.eventType, mid: req.messageId } });
  }

  @LcHandler('org_install')
  @UseGuards(RecordingGuard)
  install() {
    return true;
  }

  @LcHandler('new_sensor')
  riStyle(lc: LimaCharlieClient | null, oid: string, request: LcRequest) {
    return lcResponse({
      data: { hasClient: lc !== null, oid, sid: request.sid, etype: request.eventType },
    });
  }

  @LcHandler('org_uninstall')
  lateReader() {
    // Looked up at run time: the boot scan cannot know this handler reads the context.
    const ctx = this.moduleRef.get(LcContext, { strict: false });
    return lcResponse({ data: { oid: ctx.oid } });
  }
}

/** A helper deep below a handler, reading the call after real asynchronous hops. */
@Injectable()
class OrgLookup {
  constructor(private readonly ctx: LcContext) {}

  get active(): boolean {
    return this.ctx.isActive;
  }

  async describe(delayMs: number) {
    await sleep(delayMs);
    await Promise.resolve();
    return { oid: this.ctx.request.oid, active: this.ctx.isActive };
  }
}

@Injectable()
class UsesLookup {
  constructor(private readonly lookup: OrgLookup) {}

  @LcHandler('request')
  async request(@LcData('delay') delay: number) {
    return lcResponse({ data: await this.lookup.describe(delay) });
  }
}

@Injectable()
class PropertyConsumer {
  @Inject(LcContext) private readonly ctx!: LcContext;

  @LcHandler('request')
  async request() {
    await sleep(1);
    return lcResponse({ data: { oid: this.ctx.oid } });
  }
}

@Injectable()
class ForwardRefConsumer {
  @Inject(forwardRef(() => LcContext)) private readonly ctx!: LcContext;

  @LcHandler('request')
  async request() {
    await sleep(1);
    return lcResponse({ data: { oid: this.ctx.oid } });
  }
}

const READ_OID = 'READ_OID';

@Injectable()
class FactoryConsumer {
  constructor(@Inject(READ_OID) private readonly readOid: () => string | undefined) {}

  @LcHandler('request')
  async request() {
    await sleep(1);
    return lcResponse({ data: { oid: this.readOid() } });
  }
}

/** An enhancer is an injectable, not a provider: the scan must look there too. */
@Injectable()
class ContextGuard implements CanActivate {
  constructor(private readonly ctx: LcContext) {}
  canActivate(): boolean {
    return this.ctx.isActive;
  }
}

@Injectable()
class GuardedByContext {
  // The guard throws if tracking is off and refuses if the call is not tracked.
  @LcHandler('request')
  @UseGuards(ContextGuard)
  request(@LcOid() oid: string) {
    return lcResponse({ data: { oid } });
  }
}

const factoryReader = (ctx: LcContext) => () => ctx.oid;

describe.each(ADAPTERS)('call tracking (%s)', (adapter) => {
  const start = (setup: LcTestAppSetup) => startLcApp({ adapter, ...setup });

  describe('with no LcContext consumer', () => {
    let t: LcTestApp;
    beforeAll(async () => {
      t = await start({ providers: [NoConsumer] });
    });
    afterAll(() => t.close());

    it('gives parameter decorators their values', async () => {
      const data = { n: 7, sid: 'sensor-1' };
      const res = await t.client.send('request', { data, mid: 'mid-1' });
      expect(res.body).toEqual({
        success: true,
        data: { data, n: 7, oid: TEST_OID, sid: 'sensor-1', etype: 'request', mid: 'mid-1' },
      });
    });

    it('lets a guard read the call with getLcRequest()', async () => {
      guardSaw.length = 0;
      const allowed = await t.client.send('org_install', { data: { allow: true } });
      const refused = await t.client.send('org_install', { data: { allow: false } });
      expect(allowed.body).toEqual({ success: true, data: {} });
      expect(refused.body).toMatchObject({ success: false, error: 'Forbidden resource' });
      expect(guardSaw).toEqual([
        { etype: 'org_install', oid: TEST_OID, data: { allow: true } },
        { etype: 'org_install', oid: TEST_OID, data: { allow: false } },
      ]);
    });

    it('calls RI-style handlers with (lc, oid, request)', async () => {
      const res = await t.client.send('new_sensor', { data: { sid: SENSOR } });
      expect(res.body.data).toEqual({
        hasClient: true,
        oid: TEST_OID,
        sid: SENSOR,
        etype: 'new_sensor',
      });
    });

    it('explains itself when LcContext is read without tracking', async () => {
      const res = await t.client.send('org_uninstall');
      expect(res.body).toMatchObject({ success: false, retry: true });
      expect(res.body.error).toMatch(TRACKING_OFF);
      expect(res.body.error).toMatch(/asyncContext: true/);
    });
  });

  describe('with a constructor consumer', () => {
    let t: LcTestApp;
    beforeAll(async () => {
      t = await start({ providers: [OrgLookup, UsesLookup] });
    });
    afterAll(() => t.close());

    it('follows each call across awaits, even interleaved', async () => {
      // The slower call starts first, so the two are in flight together.
      const [slow, fast] = await Promise.all([
        t.client.send('request', { oid: ORG_SLOW, data: { delay: 60 } }),
        t.client.send('request', { oid: ORG_FAST, data: { delay: 5 } }),
      ]);
      expect(slow.body).toEqual({ success: true, data: { oid: ORG_SLOW, active: true } });
      expect(fast.body).toEqual({ success: true, data: { oid: ORG_FAST, active: true } });
    });

    it('is inactive outside a call', () => {
      const lookup = t.app.get(OrgLookup);
      expect(lookup.active).toBe(false);
      expect(() => t.app.get(LcContext).request).toThrow(/no LimaCharlie call is being handled/);
    });
  });

  it.each<[string, LcTestAppSetup['providers']]>([
    ['property injection', [PropertyConsumer]],
    [
      'a factory inject',
      [{ provide: READ_OID, useFactory: factoryReader, inject: [LcContext] }, FactoryConsumer],
    ],
    [
      'an optional factory inject',
      [
        {
          provide: READ_OID,
          useFactory: factoryReader,
          inject: [{ token: LcContext, optional: true }],
        },
        FactoryConsumer,
      ],
    ],
    ['a guard', [GuardedByContext]],
  ])('turns tracking on for %s', async (_name, providers) => {
    const t = await start({ providers });
    try {
      const res = await t.client.send('request', { oid: ORG_X });
      expect(res.body).toEqual({ success: true, data: { oid: ORG_X } });
    } finally {
      await t.close();
    }
  });

  // Nest records this dependency as { forwardRef }, not as the class: the scan must unwrap it.
  it('turns tracking on for @Inject(forwardRef(() => LcContext))', async () => {
    const t = await start({ providers: [ForwardRefConsumer] });
    try {
      const res = await t.client.send('request', { oid: ORG_X });
      expect(res.body).toEqual({ success: true, data: { oid: ORG_X } });
    } finally {
      await t.close();
    }
  });

  it('asyncContext: true tracks calls with no consumer', async () => {
    const t = await start({ providers: [NoConsumer], options: { asyncContext: true } });
    try {
      const res = await t.client.send('org_uninstall', { oid: ORG_FORCED });
      expect(res.body).toEqual({ success: true, data: { oid: ORG_FORCED } });
    } finally {
      await t.close();
    }
  });

  it('asyncContext: false turns tracking off despite a consumer', async () => {
    const t = await start({
      providers: [OrgLookup, UsesLookup],
      options: { asyncContext: false },
    });
    try {
      const res = await t.client.send('request', { data: { delay: 1 } });
      expect(res.body).toMatchObject({ success: false, retry: true });
      expect(res.body.error).toMatch(
        /call tracking is off \(LcServiceModule option asyncContext: false\)/,
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a non-boolean asyncContext at boot', async () => {
    const booting = start({
      providers: [NoConsumer],
      options: { asyncContext: 'yes' as unknown as boolean },
    });
    await expect(booting).rejects.toBeInstanceOf(LcConfigError);
    await expect(booting).rejects.toThrow(/option 'asyncContext' must be true or false/);
  });
});
