import { FAKE_REPLAY_PREFIX } from '../src/testing/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const DETECT = { event: 'NEW_PROCESS', op: 'ends with', path: 'event/FILE_PATH', value: 'cmd.exe' };
const RESPOND = [{ action: 'report', name: 'cmd-run' }];

function cmdEvent(path: string): {
  event: Record<string, unknown>;
  routing: Record<string, unknown>;
} {
  return { event: { FILE_PATH: path }, routing: { event_type: 'NEW_PROCESS' } };
}

describe('lc.replay (limacharlie/sdk/replay.py)', () => {
  const fake = useFakeLimaCharlie();

  it('replay.run sends what limacharlie/sdk/replay.py Replay.run sends', async () => {
    const { lc, oid, events } = newOrgClient(fake());
    const { sid } = fake().addSensor(oid, { hostname: 'ws1' });
    fake().addSensorEvent(sid, {
      eventType: 'NEW_PROCESS',
      ts: 1_700_000_100_000,
      event: { FILE_PATH: 'C:\\Windows\\System32\\cmd.exe' },
    });
    fake().addSensorEvent(sid, {
      eventType: 'NEW_PROCESS',
      ts: 1_700_000_200_000,
      event: { FILE_PATH: 'C:\\notepad.exe' },
    });

    const result = await lc.replay.run({
      detect: DETECT,
      respond: RESPOND,
      start: 1_700_000_000,
      end: 1_700_000_300,
      sid,
      dryRun: true,
    });
    expect(result).toMatchObject({ num_events: 2, num_evals: 2 });
    expect(result.responses).toEqual([expect.objectContaining({ action: RESPOND[0] })]);

    // The host comes from the org's URLs, asked without a JWT as py does.
    const urls = fake().calls.find((c) => c.path === `/v1/orgs/${oid}/url`);
    expect(urls?.headers.authorization).toBeUndefined();
    const call = lastCall(fake());
    expect(call.method).toBe('POST');
    expect(call.path).toBe(`${FAKE_REPLAY_PREFIX}/`);
    expect(call.query).toEqual({});
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers.authorization).toMatch(/^bearer /i);
    expect(call.body).toBe(
      `{"oid": "${oid}", "rule_source": {"rule": {"detect": {"event": "NEW_PROCESS", ` +
        `"op": "ends with", "path": "event/FILE_PATH", "value": "cmd.exe"}, ` +
        `"respond": [{"action": "report", "name": "cmd-run"}]}}, ` +
        `"event_source": {"stream": "event", "sensor_events": {"start_time": 1700000000, ` +
        `"end_time": 1700000300, "sid": "${sid}"}}, "trace": false, "is_dry_run": true, ` +
        `"limit_event": 0, "limit_eval": 0}`,
    );
    expect(events.map((e) => e.operation)).toEqual(['replay.urls', 'replay.run']);

    // An existing rule by name; the host is not looked up again.
    fake().putRule(oid, 'cmd', { detect: DETECT, respond: RESPOND });
    const byName = await lc.replay.run({ ruleName: 'cmd', limitEvents: 1 });
    expect(byName).toMatchObject({ num_events: 1 });
    expect(JSON.parse(lastCall(fake()).body)).toEqual({
      oid,
      rule_source: { rule_name: 'cmd' },
      event_source: { stream: 'event', sensor_events: {} },
      trace: false,
      is_dry_run: false,
      limit_event: 1,
      limit_eval: 0,
    });
    expect(fake().calls.filter((c) => c.path.endsWith('/url'))).toHaveLength(1);
  });

  it('replay.scanEvents sends what limacharlie/sdk/replay.py Replay.scan_events sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const result = await lc.replay.scanEvents(
      [cmdEvent('C:\\cmd.exe'), cmdEvent('C:\\calc.exe'), cmdEvent('D:\\cmd.exe')],
      { ruleContent: { detect: DETECT, respond: RESPOND }, trace: true },
    );
    expect(result.num_events).toBe(3);
    expect(result.responses).toHaveLength(2);
    const call = lastCall(fake());
    expect(call.path).toBe(`${FAKE_REPLAY_PREFIX}/`);
    expect(call.body).toBe(
      `{"oid": "${oid}", "rule_source": {"rule_name": "", "namespace": "", "rule": ` +
        `{"detect": {"event": "NEW_PROCESS", "op": "ends with", "path": "event/FILE_PATH", ` +
        `"value": "cmd.exe"}, "respond": [{"action": "report", "name": "cmd-run"}]}}, ` +
        `"event_source": {"stream": "event", "sensor_events": {}, "events": [` +
        `{"event": {"FILE_PATH": "C:\\\\cmd.exe"}, "routing": {"event_type": "NEW_PROCESS"}}, ` +
        `{"event": {"FILE_PATH": "C:\\\\calc.exe"}, "routing": {"event_type": "NEW_PROCESS"}}, ` +
        `{"event": {"FILE_PATH": "D:\\\\cmd.exe"}, "routing": {"event_type": "NEW_PROCESS"}}]}, ` +
        `"trace": true, "limit_event": 0, "limit_eval": 0, "is_dry_run": false}`,
    );

    // A named rule of another namespace; without content py sends `"rule": null`.
    fake().putRule(oid, 'mine', { namespace: 'managed', detect: DETECT, respond: RESPOND });
    await lc.replay.scanEvents([cmdEvent('cmd.exe')], { ruleName: 'mine', namespace: 'managed' });
    expect(JSON.parse(lastCall(fake()).body).rule_source).toEqual({
      rule_name: 'mine',
      namespace: 'managed',
      rule: null,
    });
  });

  it('replay.validateRule sends what limacharlie/sdk/replay.py Replay.validate_rule sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const ok = await lc.replay.validateRule({ detect: DETECT, respond: RESPOND });
    expect(ok).toMatchObject({ num_events: 1, responses: [] });
    expect(lastCall(fake()).body).toBe(
      `{"oid": "${oid}", "rule_source": {"rule_name": "", "namespace": "", "rule": ` +
        `{"detect": {"event": "NEW_PROCESS", "op": "ends with", "path": "event/FILE_PATH", ` +
        `"value": "cmd.exe"}, "respond": [{"action": "report", "name": "cmd-run"}]}}, ` +
        `"event_source": {"stream": "event", "sensor_events": {}, "events": ` +
        `[{"event": {}, "routing": {}}]}, "trace": false, "limit_event": 0, "limit_eval": 0, ` +
        `"is_dry_run": false}`,
    );

    const bad = await rejectionOf(
      lc.replay.validateRule({ detect: { op: 'nonsense', path: 'x' } }),
    );
    expect(bad).toMatchObject({ status: 400 });
  });

  it('a 429 from the replay host is retried like any call', async () => {
    const { lc, events } = newOrgClient(fake());
    fake().failNext({ method: 'POST', path: `${FAKE_REPLAY_PREFIX}/`, status: 429 });
    await expect(lc.replay.validateRule({ detect: DETECT })).resolves.toMatchObject({
      num_events: 1,
    });
    expect(
      events.filter((e) => e.operation === 'replay.validateRule').map((e) => e.status),
    ).toEqual([429, 200]);
  });
});
