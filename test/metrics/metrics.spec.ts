import { Injectable } from '@nestjs/common';
import {
  LcClient,
  LcData,
  LcHandler,
  LcIdempotent,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { FakeLimaCharlie, TEST_OID } from 'nestjs-lc-service/testing';
import { Registry } from 'prom-client';
import { ADAPTERS, startLcApp, type LcTestApp } from '../helpers/lc-app.js';
import { rawExchange, requestHead } from '../reliability/http-send.js';

/** Released by the test: a call held in flight for as long as the test looks at it. */
let release: () => void = () => undefined;

@Injectable()
class Handlers {
  @LcHandler('org_install')
  install() {
    return true;
  }

  @LcHandler('org_uninstall')
  uninstall() {
    return false;
  }

  @LcHandler('request')
  async request(@LcData('hold') hold: boolean | undefined) {
    if (hold === true) await new Promise<void>((resolve) => (release = resolve));
    return null;
  }

  @LcHandler('command')
  async whoami(@LcClient() lc: LimaCharlieClient) {
    await lc.whoAmI();
    return true;
  }

  @LcIdempotent()
  @LcHandler('new_sensor')
  newSensor() {
    return true;
  }
}

/** The value of the series of `name` with these labels (and any others), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => {
    if (!l.startsWith(`${name}{`)) return false;
    const has = l.slice(name.length + 1, l.lastIndexOf('}')).split(',');
    return wanted.every((label) => has.includes(label));
  });
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

async function scrape(t: LcTestApp, path = '/metrics'): Promise<string> {
  const res = await fetch(`${t.url}${path}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe.each(ADAPTERS)('metrics (%s)', (adapter) => {
  const fake = new FakeLimaCharlie();
  let t: LcTestApp;
  let jwt: string;
  beforeAll(async () => {
    await fake.start();
    ({ jwt } = fake.addOrg({ oid: TEST_OID }));
    t = await startLcApp({
      adapter,
      providers: [Handlers],
      options: { metrics: true, limaCharlie: { apiUrl: fake.url } },
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('counts calls by etype and outcome, with a duration histogram', async () => {
    await t.client.send('org_install');
    await t.client.send('org_install');
    await t.client.send('org_uninstall');
    await t.client.send('request');
    await t.client.sendRaw('{}', { signature: 'bad' });
    await t.client.sendRaw('[]');
    const text = await scrape(t);
    const calls = 'lc_service_calls_total';
    expect(sample(text, calls, { etype: 'org_install', outcome: 'success' })).toBe(2);
    expect(sample(text, calls, { etype: 'org_uninstall', outcome: 'failure' })).toBe(1);
    expect(sample(text, calls, { etype: 'request', outcome: 'retry' })).toBe(1);
    expect(sample(text, calls, { etype: 'unknown', outcome: 'rejected-signature' })).toBe(1);
    expect(sample(text, calls, { etype: 'unknown', outcome: 'bad-request' })).toBe(1);
    const duration = 'lc_service_call_duration_seconds_count';
    expect(sample(text, duration, { etype: 'org_install' })).toBe(2);
    expect(text).toMatch(
      /lc_service_call_duration_seconds_bucket\{le="600",protocol="service",etype="org_install"\} 2/,
    );
    // The module's own registry also carries prom-client's process metrics.
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('collapses etypes outside the protocol into one label value', async () => {
    for (const etype of ['made_up_1', 'made_up_2', 'made_up_3']) await t.client.send(etype);
    const text = await scrape(t);
    expect(text).not.toMatch(/made_up/);
    expect(
      sample(text, 'lc_service_calls_total', { etype: 'unknown', outcome: 'failure' }),
    ).toBeGreaterThanOrEqual(3);
  });

  it('shows calls in flight and LimaCharlie API calls by operation and status, never ids', async () => {
    const held = t.client.send('request', { data: { hold: true } });
    for (
      let tries = 0;
      !/^lc_service_calls_in_flight\{protocol="service"\} 1$/m.test(await scrape(t));
      tries++
    ) {
      if (tries > 100) throw new Error('lc_service_calls_in_flight never showed the held call');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    release();
    await held;
    expect(await scrape(t)).toMatch(/^lc_service_calls_in_flight\{protocol="service"\} 0$/m);

    const sid = '0b6e0a3c-52bb-4b3c-b1b5-14c5b1c1a1f0';
    expect((await t.client.send('command', { jwt, data: { sid } })).body.success).toBe(true);
    const text = await scrape(t);
    expect(sample(text, 'lc_service_api_calls_total', { operation: 'who', status: '200' })).toBe(1);
    expect(sample(text, 'lc_service_api_call_duration_seconds_count', { operation: 'who' })).toBe(
      1,
    );
    expect(text).not.toContain(TEST_OID);
    expect(text).not.toContain(sid);
    expect(text).not.toContain(jwt);
  });

  it('shows the bytes of bodies being read, not yet verified', async () => {
    const port = Number(new URL(t.url).port);
    const pending = async (bytes: number): Promise<void> => {
      const line = new RegExp(`^lc_service_pending_body_bytes ${bytes}$`, 'm');
      for (let tries = 0; !line.test(await scrape(t)); tries++) {
        if (tries > 100) throw new Error(`lc_service_pending_body_bytes never showed ${bytes}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const held = rawExchange(
      port,
      [requestHead({ 'content-length': '5000', 'lc-svc-sig': '0'.repeat(64) }), Buffer.from('{')],
      { waitMs: 1000 },
    );
    await pending(5000);
    await held;
    await pending(0);
  });

  it('counts redeliveries answered from the first answer', async () => {
    const mid = 'metrics-mid-1';
    await t.client.send('new_sensor', { mid });
    await t.client.send('new_sensor', { mid });
    const text = await scrape(t);
    expect(sample(text, 'lc_service_idempotent_replays_total', { etype: 'new_sensor' })).toBe(1);
    expect(
      sample(text, 'lc_service_calls_total', { etype: 'new_sensor', outcome: 'success' }),
    ).toBe(2);
  });
});

describe('metrics options', () => {
  it('is off by default: no route', async () => {
    const t = await startLcApp({ providers: [Handlers] });
    try {
      expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('adds to a given registry, at another path or none', async () => {
    const registry = new Registry();
    const t = await startLcApp({
      providers: [Handlers],
      options: { metrics: { registry, path: '/internal/metrics' } },
    });
    try {
      await t.client.send('org_install');
      const text = await scrape(t, '/internal/metrics');
      expect(
        sample(text, 'lc_service_calls_total', { etype: 'org_install', outcome: 'success' }),
      ).toBe(1);
      expect(text).not.toMatch(/^process_cpu_user_seconds_total /m);
      expect(await registry.metrics()).toContain('lc_service_calls_total');
    } finally {
      await t.close();
    }
    const own = new Registry();
    const hidden = await startLcApp({
      providers: [Handlers],
      options: { metrics: { registry: own, path: false } },
    });
    try {
      await hidden.client.send('org_install');
      expect((await fetch(`${hidden.url}/metrics`)).status).toBe(404);
      expect(await own.metrics()).toMatch(
        /lc_service_calls_total\{protocol="service",etype="org_install",outcome="success"\} 1/,
      );
    } finally {
      await hidden.close();
    }
  });

  it.each([
    [{ metrics: 'yes' }, /option 'metrics' must be true, false or/],
    [
      { metrics: { path: 'metrics' } },
      /option 'metrics.path' must be an absolute route path or false/,
    ],
    [{ metrics: { registry: {} } }, /option 'metrics.registry' must be a prom-client Registry/],
  ])('rejects %j at boot', async (options, message) => {
    await expect(startLcApp({ options: options as never })).rejects.toThrow(message);
  });

  it('refuses the same registry twice with a clear error', async () => {
    const registry = new Registry();
    const first = await startLcApp({ options: { metrics: { registry } } });
    try {
      await expect(startLcApp({ options: { metrics: { registry } } })).rejects.toThrow(
        /^LcServiceModule: option 'metrics.registry' already holds the metrics of another LcServiceModule: is LcServiceModule imported twice with the same registry/,
      );
    } finally {
      await first.close();
    }
  });
});
