import { Injectable } from '@nestjs/common';
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import {
  LcAction,
  LcClient,
  LcExtensionEvent,
  LcHandler,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { FakeLimaCharlie, TEST_OID } from 'nestjs-lc-service/testing';
import { startExtApp } from '../extension/helpers.js';
import { startLcApp, type LcTestApp } from '../helpers/lc-app.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('test');

@Injectable()
class Handlers {
  @LcHandler('org_install')
  async install(@LcClient() lc: LimaCharlieClient) {
    await lc.whoAmI();
    // A span of the handler's own, with an API request inside it.
    await tracer.startActiveSpan('enrich', async (span) => {
      await lc.whoAmI();
      span.end();
    });
    return true;
  }

  @LcHandler('detection')
  detection(): never {
    throw new Error('lookup failed for token test-jwt-secret');
  }

  @LcHandler('new_sensor')
  async newSensor(@LcClient() lc: LimaCharlieClient) {
    await lc.whoAmI();
    return true;
  }
}

@Injectable()
class Actions {
  @LcAction('scan')
  async scan(@LcClient() lc: LimaCharlieClient) {
    await lc.whoAmI();
    return { scanned: true };
  }

  @LcExtensionEvent('subscribe')
  subscribed() {
    return {};
  }
}

function named(name: string): ReadableSpan {
  const spans = exporter.getFinishedSpans().filter((s) => s.name === name);
  expect(spans).toHaveLength(1);
  return spans[0];
}

function childrenOf(parent: ReadableSpan): ReadableSpan[] {
  return exporter
    .getFinishedSpans()
    .filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
}

describe('OpenTelemetry spans (option openTelemetry)', () => {
  const fake = new FakeLimaCharlie();
  let jwt: string;
  let t: LcTestApp;
  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    await fake.start();
    ({ jwt } = fake.addOrg({ oid: TEST_OID }));
    t = await startLcApp({
      providers: [Handlers],
      options: { openTelemetry: { tracer }, limaCharlie: { apiUrl: fake.url, maxAttempts: 2 } },
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it('makes one span per call, with a child span per API request, the handler’s own spans between', async () => {
    const reply = await t.client.send('org_install', { jwt, mid: 'mid-otel-1' });
    expect(reply.body).toEqual({ success: true, data: {} });

    const call = named('LimaCharlie org_install');
    expect(call.kind).toBe(SpanKind.SERVER);
    expect(call.parentSpanContext).toBeUndefined();
    expect(call.attributes).toEqual({
      'lc.etype': 'org_install',
      'lc.mid': 'mid-otel-1',
      'lc.oid': TEST_OID,
      'lc.outcome': 'success',
      'http.response.status_code': 200,
    });
    expect(call.status.code).toBe(SpanStatusCode.UNSET);

    const children = childrenOf(call);
    expect(children.map((s) => s.name).sort()).toEqual(['LimaCharlie API who', 'enrich']);
    const direct = children.find((s) => s.name === 'LimaCharlie API who')!;
    const enrich = children.find((s) => s.name === 'enrich')!;
    expect(direct.kind).toBe(SpanKind.CLIENT);
    expect(direct.attributes).toEqual({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'lc.api.operation': 'who',
      'lc.api.attempt': 1,
    });
    expect(enrich.name).toBe('enrich');
    expect(childrenOf(enrich).map((s) => s.name)).toEqual(['LimaCharlie API who']);
    // The API spans lie within the call's.
    for (const api of exporter
      .getFinishedSpans()
      .filter((s) => s.name.startsWith('LimaCharlie API'))) {
      expect(api.spanContext().traceId).toBe(call.spanContext().traceId);
    }
  });

  it('records the handler’s error on the call’s span, without the JWT', async () => {
    const secretJwt = 'test-jwt-secret';
    const reply = await t.client.send('detection', { jwt: secretJwt });
    expect(reply.body).toMatchObject({ success: false, retry: true });

    const call = named('LimaCharlie detection');
    expect(call.status).toEqual({ code: SpanStatusCode.ERROR, message: 'retry' });
    expect(call.attributes['lc.outcome']).toBe('retry');
    const [exception] = call.events;
    expect(exception.name).toBe('exception');
    expect(exception.attributes).toMatchObject({
      'exception.type': 'Error',
      'exception.message': 'lookup failed for token [REDACTED]',
    });
    expect(
      JSON.stringify(exporter.getFinishedSpans().map((s) => [s.attributes, s.events])),
    ).not.toContain(secretJwt);
  });

  it('marks failed API attempts, one span each', async () => {
    fake.failNext({ path: 'who', status: 504 });
    const reply = await t.client.send('new_sensor', { jwt, data: { sid: TEST_OID } });
    expect(reply.body).toEqual({ success: true, data: {} });

    const call = named('LimaCharlie new_sensor');
    const attempts = childrenOf(call).sort(
      (a, b) => Number(a.attributes['lc.api.attempt']) - Number(b.attributes['lc.api.attempt']),
    );
    expect(attempts.map((s) => [s.attributes['http.response.status_code'], s.status.code])).toEqual(
      [
        [504, SpanStatusCode.ERROR],
        [200, SpanStatusCode.UNSET],
      ],
    );
  });

  it('makes no span for a call refused before it was parsed', async () => {
    const forged = await t.client.sendRaw('{}', { signature: 'ab'.repeat(32) });
    expect(forged.status).toBe(401);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('spans Extension calls with their action, oid and idempotency_key', async () => {
    const ext = await startExtApp({
      providers: [Actions],
      options: { openTelemetry: { tracer }, limaCharlie: { apiUrl: fake.url } },
      jwt,
    });
    try {
      const reply = await ext.client.request('scan', {}, { idempotencyKey: 'key-otel-1' });
      expect(reply.status).toBe(200);
      await ext.client.event('subscribe', {}, { idempotencyKey: 'key-otel-2' });
    } finally {
      await ext.close();
    }
    const call = named('LimaCharlie request:scan');
    expect(call.attributes).toEqual({
      'lc.action': 'scan',
      'lc.idempotency_key': 'key-otel-1',
      'lc.oid': TEST_OID,
      'lc.outcome': 'success',
      'http.response.status_code': 200,
    });
    expect(childrenOf(call).map((s) => s.name)).toEqual(['LimaCharlie API who']);
    expect(named('LimaCharlie event:subscribe').attributes).toMatchObject({
      'lc.event': 'subscribe',
      'lc.idempotency_key': 'key-otel-2',
      'lc.outcome': 'success',
    });
  });

  it('uses the global tracer provider with `true`, and makes no span when off', async () => {
    trace.setGlobalTracerProvider(provider);
    try {
      for (const openTelemetry of [true, undefined]) {
        exporter.reset();
        const app = await startLcApp({
          providers: [Handlers],
          options: { openTelemetry, limaCharlie: { apiUrl: fake.url } },
        });
        try {
          await app.client.send('new_sensor', { jwt, data: { sid: TEST_OID } });
        } finally {
          await app.close();
        }
        const names = exporter.getFinishedSpans().map((s) => s.name);
        expect(names.sort()).toEqual(
          openTelemetry === true ? ['LimaCharlie API who', 'LimaCharlie new_sensor'] : [],
        );
      }
    } finally {
      trace.disable();
    }
  });

  it('rejects a tracer that is not one, at boot', async () => {
    await expect(
      startLcApp({ options: { openTelemetry: { tracer: {} as never } } }),
    ).rejects.toThrow(/option 'openTelemetry.tracer' must be an OpenTelemetry Tracer/);
  });
});
