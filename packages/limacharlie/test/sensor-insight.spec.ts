import { LcApiError, SensorPlatform } from '../src/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const T0 = 1_700_000_000;

describe('lc.sensor(sid): events, state and platform', () => {
  const fake = useFakeLimaCharlie();

  it('sensor.events sends what limacharlie/sdk/sensor.py Sensor.get_events sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'h' });
    fake().insightPageSize = 2;
    const atoms = [1, 2, 3].map(
      (i) =>
        fake().addSensorEvent(sid, { eventType: 'NEW_PROCESS', ts: (T0 + i) * 1000 }).routing
          .this_atom,
    );
    fake().addSensorEvent(sid, { eventType: 'DNS_REQUEST', ts: (T0 + 4) * 1000 });

    const seen: string[] = [];
    for await (const event of lc
      .sensor(sid)
      .events({ start: T0, end: T0 + 60, limit: 10, eventType: 'NEW_PROCESS' })) {
      expect(event.routing).toMatchObject({ sid, event_type: 'NEW_PROCESS' });
      seen.push(String(event.routing.this_atom));
    }

    expect(seen).toEqual(atoms);
    expect(fake().calls).toHaveLength(2);
    expect(fake().calls[0]).toMatchObject({
      method: 'GET',
      path: `/v1/insight/${oid}/${sid}`,
      form: {},
      query: {
        start: String(T0),
        end: String(T0 + 60),
        is_compressed: 'true',
        is_forward: 'true',
        cursor: '-',
        limit: '10',
        event_type: 'NEW_PROCESS',
      },
    });
    expect(Object.keys(fake().calls[0].query)).toHaveLength(7);
    expect(fake().calls[1].query.cursor).not.toBe('-');
  });

  it('sensor.events with isForward false walks newest first', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'h' });
    for (let i = 0; i < 3; i++) fake().addSensorEvent(sid, { eventType: 'X', ts: (T0 + i) * 1000 });

    const times: unknown[] = [];
    for await (const e of lc.sensor(sid).events({ start: T0, end: T0 + 9, isForward: false })) {
      times.push(e.routing.event_time);
    }
    expect(times).toEqual([(T0 + 2) * 1000, (T0 + 1) * 1000, T0 * 1000]);
    expect(lastCall(fake()).query).toEqual({
      start: String(T0),
      end: String(T0 + 9),
      is_compressed: 'true',
      is_forward: 'false',
      cursor: '-',
    });
  });

  it('sensor.overview sends what limacharlie/sdk/sensor.py Sensor.get_overview sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'h' });
    fake().addSensorEvent(sid, { eventType: 'X', ts: (T0 + 5) * 1000 });
    fake().addSensorEvent(sid, { eventType: 'X', ts: (T0 + 500) * 1000 });

    await expect(lc.sensor(sid).overview({ start: T0, end: T0 + 60 })).resolves.toEqual([
      (T0 + 5) * 1000,
    ]);
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/insight/${oid}/${sid}/overview`,
      query: { start: String(T0), end: String(T0 + 60) },
      form: {},
    });
  });

  it('sensor.eventByAtom sends what limacharlie/sdk/sensor.py Sensor.get_event_by_atom sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'h' });
    const stored = fake().addSensorEvent(sid, { eventType: 'NEW_PROCESS', event: { PID: 4 } });

    await expect(lc.sensor(sid).eventByAtom(stored.routing.this_atom)).resolves.toEqual(stored);
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/insight/${oid}/${sid}/${stored.routing.this_atom}`,
      query: {},
      form: {},
    });
    const missing = await rejectionOf(lc.sensor(sid).eventByAtom('00ff'));
    expect(missing).toMatchObject({ status: 404 });
  });

  it('sensor.childrenEvents sends what limacharlie/sdk/sensor.py Sensor.get_children_events sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'h' });
    const parent = fake().addSensorEvent(sid, { eventType: 'NEW_PROCESS' });
    const child = fake().addSensorEvent(sid, {
      eventType: 'NETWORK_CONNECTIONS',
      parentAtom: parent.routing.this_atom,
    });
    fake().addSensorEvent(sid, { eventType: 'NEW_PROCESS' });

    await expect(lc.sensor(sid).childrenEvents(parent.routing.this_atom)).resolves.toEqual([child]);
    expect(lastCall(fake())).toMatchObject({
      method: 'GET',
      path: `/v1/insight/${oid}/${sid}/${parent.routing.this_atom}/children`,
      query: { is_compressed: 'true' },
      form: {},
    });
  });

  it('sensor.isIsolated reads should_isolate as limacharlie/sdk/sensor.py Sensor.is_isolated does', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'h' });
    const sensor = lc.sensor(sid);

    await expect(sensor.isIsolated()).resolves.toBe(false);
    expect(lastCall(fake())).toMatchObject({ method: 'GET', path: `/v1/${sid}`, query: {} });
    await sensor.isolate();
    await expect(sensor.isIsolated()).resolves.toBe(true);
  });

  it('sensor.seal and unseal send what limacharlie/sdk/sensor.py Sensor.seal/unseal send', async () => {
    const { lc, oid } = newOrgClient(fake());
    const state = fake().addSensor(oid, { hostname: 'h' });
    const sensor = lc.sensor(state.sid);

    await sensor.seal();
    expect(lastCall(fake())).toMatchObject({
      method: 'POST',
      path: `/v1/${state.sid}/seal`,
      body: '',
      query: {},
    });
    expect(state.sealed).toBe(true);
    await expect(sensor.isSealed()).resolves.toBe(true);

    await sensor.unseal();
    expect(lastCall(fake())).toMatchObject({
      method: 'DELETE',
      path: `/v1/${state.sid}/seal`,
      body: '',
    });
    expect(state.sealed).toBe(false);
    await expect(sensor.isSealed()).resolves.toBe(false);
  });

  it('sensor.delete sends what limacharlie/sdk/sensor.py Sensor.delete sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'h' });

    await lc.sensor(sid).delete();
    expect(lastCall(fake())).toMatchObject({ method: 'DELETE', path: `/v1/${sid}`, body: '' });
    expect(fake().getSensor(sid)).toBeUndefined();
    const gone = await rejectionOf(lc.sensor(sid).info());
    expect(gone).toMatchObject({ status: 404 });
  });

  it('sensor.waitOnline polls GET {sid} as limacharlie/sdk/sensor.py Sensor.wait_online does', async () => {
    const { lc, oid } = newOrgClient(fake());
    const state = fake().addSensor(oid, { hostname: 'h', online: false });
    let polls = 0;
    const seenPolls = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        polls = fake().calls.length;
        if (polls >= 2) {
          clearInterval(timer);
          state.online = true;
          resolve();
        }
      }, 5);
    });

    const online = lc.sensor(state.sid).waitOnline(30_000, { pollMs: 20 });
    await seenPolls;
    await expect(online).resolves.toBe(true);
    expect(fake().calls.length).toBeGreaterThanOrEqual(3);
    for (const call of fake().calls) {
      expect(call).toMatchObject({ method: 'GET', path: `/v1/${state.sid}` });
    }
  });

  it('sensor.waitOnline resolves false when the time is up and ends with the deadline', async () => {
    const { lc, oid } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'h', online: false });
    await expect(lc.sensor(sid).waitOnline(50, { pollMs: 10 })).resolves.toBe(false);

    const controller = new AbortController();
    const bounded = newOrgClient(fake(), { signal: controller.signal });
    const other = fake().addSensor(bounded.oid, { hostname: 'h', online: false });
    const waiting = bounded.lc.sensor(other.sid).waitOnline(600_000);
    setTimeout(() => controller.abort(), 50);
    const err = await rejectionOf(waiting);
    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ kind: 'deadline' });
  });

  it('platform helpers read info.plat/arch once per Sensor, as limacharlie/sdk/sensor.py does', async () => {
    const { lc, oid } = newOrgClient(fake());
    const win = fake().addSensor(oid, { hostname: 'win-1', plat: SensorPlatform.windows | 0x1 });
    const mac = fake().addSensor(oid, { hostname: 'mac-1', plat: SensorPlatform.macos });
    const chrome = fake().addSensor(oid, {
      hostname: 'cb',
      plat: SensorPlatform.chromeos,
      arch: 6,
    });

    const sensor = lc.sensor(win.sid);
    await expect(sensor.isWindows()).resolves.toBe(true);
    await expect(sensor.isLinux()).resolves.toBe(false);
    await expect(sensor.isMacos()).resolves.toBe(false);
    await expect(sensor.isChrome()).resolves.toBe(false);
    await expect(sensor.hostname()).resolves.toBe('win-1');
    await expect(sensor.platform()).resolves.toBe(SensorPlatform.windows);
    expect(fake().calls).toHaveLength(1);
    expect(lastCall(fake())).toMatchObject({ method: 'GET', path: `/v1/${win.sid}` });

    await expect(lc.sensor(mac.sid).isMacos()).resolves.toBe(true);
    await expect(lc.sensor(chrome.sid).isChrome()).resolves.toBe(true);

    fake().failNext({
      path: mac.sid,
      status: 200,
      body: { info: { sid: mac.sid, plat: '0x20000000' } },
    });
    await expect(lc.sensor(mac.sid).isLinux()).resolves.toBe(true);
  });
});
