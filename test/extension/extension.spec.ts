import { Injectable, type CanActivate, type ExecutionContext, UseGuards } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import {
  IsSid,
  LcAction,
  LcClient,
  LcConfig,
  LcConfigValidator,
  LcData,
  LcError,
  LcErrorReport,
  LcExtensionEvent,
  LcField,
  LcIdempotent,
  LcOid,
  LcReq,
  lcExtResponse,
  isLcContext,
  type LcExtRequest,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { FakeLimaCharlie } from 'nestjs-lc-service/testing';
import { startExtApp, type LcExtTestApp } from './helpers.js';

const SID = '1f2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b';
const RULE = {
  detect: { event: 'NEW_PROCESS', op: 'exists', path: 'event' },
  respond: [{ action: 'report', name: 'x' }],
};

class Config {
  @LcField({ label: 'API key', description: 'Key for the intel feed', dataType: 'secret' })
  @IsString()
  apiKey!: string;

  @LcField({ label: 'Tag', description: 'Tag to add' })
  @IsOptional()
  @IsString()
  tag?: string;
}

class ScanParams {
  @LcField({ label: 'Sensor', description: 'The sensor to scan', dataType: 'sid' })
  @IsSid()
  sid!: string;

  @LcField({ label: 'Depth', description: 'How deep', filter: { min: 1, max: 5 } })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  depth?: number;
}

class OnlyAdmins implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const [req] = ctx.getArgs<[LcExtRequest]>();
    return isLcContext(ctx) && req.ident === 'admin@example.com';
  }
}

const seen: { errors: unknown[]; validated: unknown[]; runs: number; release?: () => void } = {
  errors: [],
  validated: [],
  runs: 0,
};

@Injectable()
class Scanner {
  @LcAction('scan', {
    params: ScanParams,
    label: 'Scan',
    description: 'Scan a sensor',
    default: true,
  })
  scan(
    @LcData() p: ScanParams,
    @LcConfig() c: Config,
    @LcOid() oid: string,
    @LcReq() req: LcExtRequest,
  ) {
    if (p.depth === 5) {
      return lcExtResponse({
        data: { status: 'queued' },
        continuations: [{ action: 'scan', inDelaySec: 30, state: { sid: p.sid, depth: 4 } }],
      });
    }
    return {
      found: 3,
      isDto: p instanceof ScanParams,
      configIsDto: c instanceof Config,
      tag: c.tag ?? null,
      oid,
      ident: req.ident,
      action: req.action,
      key: req.idempotencyKey,
      inv: req.investigationId ?? null,
      resources: req.resourceState,
    };
  }

  @LcAction('fail')
  fail(@LcData('how') how: string) {
    if (how === 'final') throw new LcError('bad input', { retry: false });
    if (how === 'retry') throw new LcError('later', { retry: true });
    if (how === 'bad-continuation') {
      return lcExtResponse({ continuations: [{ action: 'nope', inDelaySec: 1 }] });
    }
    throw new Error('boom');
  }

  @LcIdempotent()
  @LcAction('count')
  count() {
    seen.runs++;
    return { runs: seen.runs };
  }

  @LcAction('hang')
  hang(@LcReq() req: LcExtRequest) {
    return new Promise((resolve) => {
      req.signal.addEventListener('abort', () => resolve({ aborted: true }));
    });
  }

  @UseGuards(OnlyAdmins)
  @LcAction('admin')
  admin() {
    return { ok: true };
  }

  @LcExtensionEvent('subscribe')
  async onSubscribe(@LcClient() lc: LimaCharlieClient, @LcConfig() c: Config) {
    await lc.rules.set(`ext-test-${c.tag ?? 'default'}`, RULE);
  }

  @LcExtensionEvent('unsubscribe')
  async onUnsubscribe(@LcClient() lc: LimaCharlieClient) {
    await lc.rules.delete('ext-test-default', { missingOk: true });
  }

  @LcConfigValidator()
  validate(@LcConfig() c: Config) {
    seen.validated.push(c);
    if (c.apiKey === 'revoked') throw new LcError('this API key is revoked');
  }

  @LcErrorReport()
  onError(@LcData() e: { error: string; oid?: string }) {
    seen.errors.push(e);
  }
}

const CONFIG = { apiKey: 'k-1', tag: 'blue' };

describe.each(['fastify', 'express'] as const)('LcExtensionModule (%s)', (adapter) => {
  const fake = new FakeLimaCharlie();
  let t: LcExtTestApp;
  let oid: string;

  beforeAll(async () => {
    await fake.start();
    const org = fake.addOrg();
    oid = org.oid;
    t = await startExtApp({
      adapter,
      providers: [Scanner],
      options: {
        path: '/ext',
        config: Config,
        views: [{ name: 'main', layoutType: 'action', defaultRequests: ['scan'] }],
        // Long enough that no healthy call here hits it on a busy machine; the 'hang' test waits it out.
        timeoutMs: 1500,
        bodyLimit: 64 * 1024,
        limaCharlie: { apiUrl: fake.url, maxAttempts: 1 },
      },
      oid: org.oid,
      jwt: org.jwt,
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('answers a POST without lc-ext-sig as a reachability probe, running nothing', async () => {
    const r = await t.client.probe();
    expect(r).toMatchObject({ status: 200, body: {} });
  });

  it('refuses a bad signature with 401', async () => {
    const r = await t.client.sendRaw('{"heartbeat":{}}', { signature: 'ab'.repeat(32) });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: 'invalid signature', retriable: false, version: 20221218 });
  });

  it('answers heartbeat with the protocol version', async () => {
    const r = await t.client.heartbeat();
    expect(r).toMatchObject({ status: 200, body: { error: '', version: 20221218 } });
  });

  it('refuses a message with no kind, or two', async () => {
    const none = await t.client.send({});
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ error: 'no data in request', retriable: false });
    const two = await t.client.send({ heartbeat: {}, schema_request: {} });
    expect(two.status).toBe(400);
    expect(two.body.error).toMatch(/one kind/);
  });

  it('refuses a resource_state entry without a numeric last_mod, and passes one through as sent', async () => {
    const org = { oid, jwt: 'j', ident: 'me' };
    const request = (resource_state: unknown) =>
      t.client.send({
        request: { org, action: 'scan', data: { sid: SID }, config: CONFIG, resource_state },
      });
    for (const state of [{ a: {} }, { a: { last_mod: '7' } }, { a: null }, { a: 7 }]) {
      const r = await request(state);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({
        error: "'request.resource_state.a.last_mod' must be a number",
        retriable: false,
      });
    }
    const bad = await t.client.sendRaw(
      JSON.stringify({ request: { org, action: 'scan', config: CONFIG } }).replace(
        '"config"',
        '"resource_state":{"__proto__":{"last_mod":"x"}},"config"',
      ),
    );
    expect(bad.status).toBe(400);
    const ok = await request({ 'lookup/x': { last_mod: 7 }, 'lookup/y': { last_mod: 8.5 } });
    expect(ok.status).toBe(200);
    expect((ok.body.data as { resources: unknown }).resources).toEqual({
      'lookup/x': { last_mod: 7 },
      'lookup/y': { last_mod: 8.5 },
    });
  });

  it('answers schema_request from the DTOs, the actions, the views and the events handled', async () => {
    const r = await t.client.schemaRequest();
    expect(r.status).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema answer is walked field by field
    const data = r.body.data as Record<string, any>;
    expect(data.views).toEqual([
      { name: 'main', layout_type: 'action', default_requests: ['scan'] },
    ]);
    expect(data.config_schema.fields.apiKey).toMatchObject({
      data_type: 'secret',
      label: 'API key',
    });
    expect(data.config_schema.requirements).toEqual([['apiKey']]);
    expect(data.request_schema.scan).toMatchObject({
      is_default: true,
      label: 'Scan',
      short_description: 'Scan a sensor',
    });
    expect(data.request_schema.scan.parameters.fields.sid.data_type).toBe('sid');
    expect(data.request_schema.scan.parameters.fields.depth.filter).toEqual({ min: 1, max: 5 });
    expect([...data.required_events].sort()).toEqual(['subscribe', 'unsubscribe']);
  });

  it('runs an action with its validated params and config DTOs; a plain object is data', async () => {
    const r = await t.client.request(
      'scan',
      { sid: SID, depth: 2 },
      {
        config: CONFIG,
        idempotencyKey: 'k-42',
        investigationId: 'inv-1',
        resourceState: { 'lookup/x': { last_mod: 7 } },
        ident: 'me@example.com',
      },
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      error: '',
      version: 20221218,
      data: {
        found: 3,
        isDto: true,
        configIsDto: true,
        tag: 'blue',
        oid,
        ident: 'me@example.com',
        action: 'scan',
        key: 'k-42',
        inv: 'inv-1',
        resources: { 'lookup/x': { last_mod: 7 } },
      },
    });
  });

  it('accepts a gzip body, verifying the signature over the inflated JSON', async () => {
    const r = await t.client.request('scan', { sid: SID }, { config: CONFIG, gzip: true });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ found: 3 });
  });

  it('stops a gzip bomb at bodyLimit (413) and refuses a body that is not gzip (400)', async () => {
    const { gzipSync } = await import('node:zlib');
    const huge = Buffer.alloc(8 * 1024 * 1024, 0x20);
    const bomb = gzipSync(huge);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const r = await t.client.sendRaw(bomb, {
      signature: 'ab'.repeat(32),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(r.status).toBe(413);
    expect((r.body as { error: string }).error).toMatch(/bodyLimit/);
    const notGzip = await t.client.sendRaw('{"heartbeat":{}}', {
      headers: { 'content-encoding': 'gzip' },
    });
    expect(notGzip.status).toBe(400);
    expect((notGzip.body as { error: string }).error).toMatch(/invalid gzip body/);
  });

  it('refuses invalid params or config with class-validator messages, not retriable (400)', async () => {
    const bad = await t.client.request('scan', { sid: 'nope', depth: 9 }, { config: CONFIG });
    expect(bad.status).toBe(400);
    expect(bad.body.retriable).toBe(false);
    expect(bad.body.error).toMatch(/^invalid data: /);
    expect(bad.body.error).toMatch(/sid/);
    expect(bad.body.error).toMatch(/depth must not be greater than 5/);
    const conf = await t.client.request('scan', { sid: SID }, { config: { tag: 3 } });
    expect(conf.status).toBe(400);
    expect(conf.body.error).toMatch(/^invalid config: .*apiKey must be a string/);
  });

  it('answers 400 to an unknown action or event', async () => {
    const a = await t.client.request('nope', {}, { config: CONFIG });
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ error: 'unknown request action: nope', retriable: false });
    const e = await t.client.event('update', {}, { config: CONFIG });
    expect(e.status).toBe(400);
    expect(e.body).toMatchObject({ error: 'unknown event: update', retriable: false });
  });

  it('maps LcError to retriable or not, and any other throw to retriable (500)', async () => {
    const final = await t.client.request('fail', { how: 'final' }, { config: CONFIG });
    expect(final.status).toBe(400);
    expect(final.body).toEqual({ error: 'bad input', retriable: false, version: 20221218 });
    const later = await t.client.request('fail', { how: 'retry' }, { config: CONFIG });
    expect(later.status).toBe(500);
    expect(later.body).toMatchObject({ error: 'later', retriable: true });
    const boom = await t.client.request('fail', { how: 'boom' }, { config: CONFIG });
    expect(boom.status).toBe(500);
    expect(boom.body).toMatchObject({ error: 'boom', retriable: true });
    expect(JSON.stringify(boom.body)).not.toMatch(/at /);
  });

  it('sends continuations in the wire shape, and refuses one to an unknown action', async () => {
    const r = await t.client.request('scan', { sid: SID, depth: 5 }, { config: CONFIG });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      error: '',
      version: 20221218,
      data: { status: 'queued' },
      continuations: [{ in_delay_sec: 30, action: 'scan', state: { sid: SID, depth: 4 } }],
    });
    const again = await t.client.request('scan', r.body.continuations![0].state, {
      config: CONFIG,
    });
    expect(again.body.data).toMatchObject({ found: 3 });
    const bad = await t.client.request('fail', { how: 'bad-continuation' }, { config: CONFIG });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/continuations\[0\]\.action must name an @LcAction/);
  });

  it('installs a D&R rule on subscribe and removes it on unsubscribe, with the org client', async () => {
    const sub = await t.client.event('subscribe', {}, { config: { apiKey: 'k' } });
    expect(sub).toMatchObject({ status: 200, body: { error: '', version: 20221218 } });
    expect(Object.keys(fake.getRules(oid))).toContain('ext-test-default');
    // An org whose config no longer validates can still leave.
    const unsub = await t.client.event('unsubscribe', {}, { config: { apiKey: 7 } });
    expect(unsub.status).toBe(200);
    expect(Object.keys(fake.getRules(oid))).not.toContain('ext-test-default');
  });

  it('validates a config: DTO first, then the @LcConfigValidator', async () => {
    seen.validated.length = 0;
    const ok = await t.client.validateConfig(CONFIG);
    expect(ok).toMatchObject({ status: 200, body: { error: '' } });
    expect(seen.validated).toHaveLength(1);
    const refused = await t.client.validateConfig({ apiKey: 'revoked' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'this API key is revoked', retriable: false });
    const invalid = await t.client.validateConfig({});
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatch(/^invalid config: apiKey must be a string/);
    expect(seen.validated).toHaveLength(2);
  });

  it('hands error reports to the @LcErrorReport handler', async () => {
    seen.errors.length = 0;
    const r = await t.client.errorReport('webhook failed', oid);
    expect(r.status).toBe(200);
    expect(seen.errors).toEqual([{ error: 'webhook failed', oid }]);
  });

  it('runs an @LcIdempotent action once per idempotency_key', async () => {
    const before = seen.runs;
    const first = await t.client.request(
      'count',
      {},
      { config: CONFIG, idempotencyKey: `k-${adapter}` },
    );
    const second = await t.client.request(
      'count',
      {},
      { config: CONFIG, idempotencyKey: `k-${adapter}` },
    );
    expect(second.body).toEqual(first.body);
    expect(seen.runs).toBe(before + 1);
    await t.client.request('count', {}, { config: CONFIG });
    expect(seen.runs).toBe(before + 2);
  });

  it('answers a handler still running at timeoutMs with a retriable error, and aborts its signal', async () => {
    const r = await t.client.request('hang', {}, { config: CONFIG });
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ retriable: true });
    expect(r.body.error).toMatch(/timeoutMs/);
  });

  it('runs guards on actions (ExecutionContext type lc)', async () => {
    const denied = await t.client.request('admin', {}, { config: CONFIG });
    expect(denied.status).toBe(400);
    expect(denied.body.retriable).toBe(false);
    const allowed = await t.client.request(
      'admin',
      {},
      { config: CONFIG, ident: 'admin@example.com' },
    );
    expect(allowed).toMatchObject({ status: 200, body: { data: { ok: true } } });
  });

  it('never shows the JWT in an answer', async () => {
    const r = await t.client.request(
      'fail',
      { how: 'boom' },
      { config: CONFIG, jwt: 'secret-jwt-boom' },
    );
    expect(JSON.stringify(r.body)).not.toContain('secret-jwt-boom');
  });
});
