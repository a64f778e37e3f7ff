import { gunzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';

import { LcApiError, type Detection } from '../src/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const T0 = 1_700_000_000;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('detections and audit logs (Insight)', () => {
  const fake = useFakeLimaCharlie();

  it('detections.list sends what limacharlie/sdk/organization.py Organization.get_detections sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().insightPageSize = 2;
    const ids = [0, 1, 2, 3].map(
      (i) => fake().addDetection(oid, { cat: 'evil', ts: (T0 + 10 + i) * 1000 }).detect_id,
    );
    fake().addDetection(oid, { cat: 'benign', ts: (T0 + 20) * 1000 });

    const seen = await collect(
      lc.detections.list({ start: T0, end: T0 + 3600, limit: 10, category: 'evil' }),
    );

    expect(seen.map((d) => d.detect_id)).toEqual(ids);
    const pages = fake().calls;
    expect(pages).toHaveLength(2);
    for (const page of pages) {
      expect(page.method).toBe('GET');
      expect(page.path).toBe(`/v1/insight/${oid}/detections`);
      expect(page.form).toEqual({});
    }
    expect(pages[0].query).toEqual({
      start: String(T0),
      end: String(T0 + 3600),
      cursor: '-',
      is_compressed: 'true',
      limit: '10',
      cat: 'evil',
    });
    expect(pages[1].query).toEqual({ ...pages[0].query, cursor: expect.any(String) });
    expect(pages[1].query.cursor).not.toBe('-');
  });

  it('detections.list sends seconds as integers and no cat/limit when not given', async () => {
    const { lc, oid } = newOrgClient(fake());
    await collect(lc.detections.list({ start: T0 + 0.9, end: T0 + 60.5 }));
    expect(lastCall(fake()).query).toEqual({
      start: String(T0),
      end: String(T0 + 60),
      cursor: '-',
      is_compressed: 'true',
    });
    expect(lastCall(fake()).path).toBe(`/v1/insight/${oid}/detections`);
  });

  it('the fake answers detection pages compressed (base64 of gzip of JSON), as the API does', async () => {
    const { oid, jwt } = newOrgClient(fake());
    const stored = fake().addDetection(oid, { cat: 'evil', ts: (T0 + 1) * 1000 });

    const url = `${fake().url}/v1/insight/${oid}/detections?start=${T0}&end=${T0 + 60}&cursor=-&is_compressed=true`;
    const body = (await (
      await fetch(url, { headers: { authorization: `bearer ${jwt}` } })
    ).json()) as {
      detects: unknown;
      next_cursor: string;
    };

    expect(typeof body.detects).toBe('string');
    const decoded = JSON.parse(
      gunzipSync(Buffer.from(body.detects as string, 'base64')).toString(),
    );
    expect(decoded).toEqual([stored]);
    expect(body.next_cursor).toBe('');
  });

  it('detections.list stops at limit without fetching the next page', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().insightPageSize = 2;
    for (let i = 0; i < 5; i++) fake().addDetection(oid, { cat: 'x', ts: (T0 + i) * 1000 });

    const seen = await collect(lc.detections.list({ start: T0, end: T0 + 60, limit: 3 }));

    expect(seen).toHaveLength(3);
    expect(fake().calls).toHaveLength(2);
    expect(() => lc.detections.list({ start: T0, end: T0, limit: 0 })).toThrow(TypeError);
    expect(() => lc.detections.list({ start: Number.NaN, end: T0 })).toThrow(/epoch seconds/);
  });

  it('detections.list fetches on demand: breaking out stops paging', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().insightPageSize = 1;
    for (let i = 0; i < 3; i++) fake().addDetection(oid, { cat: 'x', ts: (T0 + i) * 1000 });

    for await (const detection of lc.detections.list({ start: T0, end: T0 + 60 })) {
      expect(detection.cat).toBe('x');
      break;
    }
    expect(fake().calls).toHaveLength(1);
  });

  it('a deadline that passes mid-iteration ends detections.list with the deadline error', async () => {
    const controller = new AbortController();
    const { lc, oid } = newOrgClient(fake(), { signal: controller.signal });
    fake().insightPageSize = 2;
    for (let i = 0; i < 6; i++) fake().addDetection(oid, { cat: 'x', ts: (T0 + i) * 1000 });
    const path = `insight/${oid}/detections`;

    const seen: Detection[] = [];
    const walk = (async () => {
      for await (const detection of lc.detections.list({ start: T0, end: T0 + 60 })) {
        seen.push(detection);
        // The second page hangs on the server; the deadline passes while the client waits.
        if (seen.length === 2) {
          fake().hangNext({ path });
          setTimeout(() => controller.abort(), 100);
        }
      }
    })();
    const err = await rejectionOf(walk);

    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ kind: 'deadline', method: 'GET', path });
    expect(seen).toHaveLength(2);
    expect(fake().calls).toHaveLength(2);
  });

  it('an expired deadline between pages stops the walk before the next request', async () => {
    const controller = new AbortController();
    const { lc, oid } = newOrgClient(fake(), { signal: controller.signal });
    fake().insightPageSize = 1;
    for (let i = 0; i < 3; i++) fake().addDetection(oid, { cat: 'x', ts: (T0 + i) * 1000 });

    const err = await rejectionOf(
      (async () => {
        for await (const _ of lc.detections.list({ start: T0, end: T0 + 60 })) controller.abort();
      })(),
    );
    expect(err).toMatchObject({ kind: 'deadline' });
    expect(fake().calls).toHaveLength(1);
  });

  it('detections.list retries a 503 page and goes on from the same cursor', async () => {
    const { lc, oid, events } = newOrgClient(fake());
    fake().insightPageSize = 1;
    for (let i = 0; i < 2; i++) fake().addDetection(oid, { cat: 'x', ts: (T0 + i) * 1000 });

    const iterator = lc.detections.list({ start: T0, end: T0 + 60 })[Symbol.asyncIterator]();
    await iterator.next();
    fake().failNext({ path: `insight/${oid}/detections`, status: 503 });
    await expect(iterator.next()).resolves.toMatchObject({ done: false });
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });

    expect(fake().calls[1].query.cursor).toBe(fake().calls[2].query.cursor);
    expect(events.map((e) => [e.operation, e.status])).toEqual([
      ['detections.list', 200],
      ['detections.list', 503],
      ['detections.list', 200],
    ]);
  });

  it('a page that is not compressed JSON is an LcApiError naming the endpoint', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().failNext({
      path: `insight/${oid}/detections`,
      status: 200,
      body: { detects: 'bm90IGd6aXA=' },
    });
    const err = await rejectionOf(collect(lc.detections.list({ start: T0, end: T0 + 1 })));
    expect(err).toBeInstanceOf(LcApiError);
    expect((err as Error).message).toContain(`insight/${oid}/detections`);
  });

  it('detections.get sends what limacharlie/sdk/organization.py Organization.get_detection_by_id sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const stored = fake().addDetection(oid, { cat: 'evil', detect: { event: { FILE_PATH: 'x' } } });

    await expect(lc.detections.get(stored.detect_id)).resolves.toEqual(stored);
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/insight/${oid}/detections/${stored.detect_id}`,
      query: {},
      form: {},
    });
    const missing = await rejectionOf(lc.detections.get(randomUUID()));
    expect(missing).toMatchObject({ status: 404, retryable: false });
  });

  it('auditLogs.list sends what limacharlie/sdk/organization.py Organization.get_audit_logs sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const sid = fake().addSensor(oid, { hostname: 'h' }).sid;
    fake().insightPageSize = 1;
    fake().addAuditLog(oid, { etype: 'sensor_task', sid, ts: (T0 + 1) * 1000 });
    fake().addAuditLog(oid, { etype: 'sensor_task', sid, ts: (T0 + 2) * 1000 });
    fake().addAuditLog(oid, { etype: 'rule_set', ts: (T0 + 3) * 1000 });
    fake().addAuditLog(oid, { etype: 'sensor_task', sid: randomUUID(), ts: (T0 + 4) * 1000 });

    const seen = await collect(
      lc.auditLogs.list({ start: T0, end: T0 + 60, limit: 50, eventType: 'sensor_task', sid }),
    );

    expect(seen.map((e) => [e.etype, e.sid, e.ts])).toEqual([
      ['sensor_task', sid, (T0 + 1) * 1000],
      ['sensor_task', sid, (T0 + 2) * 1000],
    ]);
    expect(fake().calls).toHaveLength(2);
    expect(fake().calls[0]).toMatchObject({
      method: 'GET',
      path: `/v1/insight/${oid}/audit`,
      form: {},
      query: {
        start: String(T0),
        end: String(T0 + 60),
        cursor: '-',
        is_compressed: 'true',
        limit: '50',
        event_type: 'sensor_task',
        sid,
      },
    });
    expect(Object.keys(fake().calls[0].query)).toHaveLength(7);
  });
});
