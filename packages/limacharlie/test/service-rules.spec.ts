import { LcApiError } from '../src/index.js';
import type { FakeCall } from '../src/testing/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Checks the form of Organization.service_request (limacharlie/sdk/organization.py) and returns
 * the decoded `request_data`, byte for byte as py's json.dumps writes it.
 */
function serviceCall(call: FakeCall, oid: string, service: string): string {
  expect(call.method).toBe('POST');
  expect(call.path).toBe(`/v1/service/${oid}/${service}`);
  expect(call.query).toEqual({});
  expect(call.headers['content-type']).toBe(FORM);
  expect(Object.keys(call.form)).toEqual(['request_data', 'is_async']);
  // py urlencodes the bool itself: str(False).
  expect(call.form.is_async).toBe('False');
  return Buffer.from(call.form.request_data as string, 'base64').toString('utf8');
}

describe('lc.loggingRules (limacharlie/sdk/logging_rules.py)', () => {
  const fake = useFakeLimaCharlie();

  it('loggingRules.create sends what limacharlie/sdk/logging_rules.py LoggingRules.create sends', async () => {
    const { lc, oid, events } = newOrgClient(fake());
    await lc.loggingRules.create('syslog', ['/var/log/syslog'], {
      tags: ['prod'],
      platforms: ['linux'],
      retentionDays: 14,
      deleteAfter: true,
    });
    expect(serviceCall(lastCall(fake()), oid, 'logging')).toBe(
      '{"action": "add_rule", "name": "syslog", "patterns": ["/var/log/syslog"], ' +
        '"tags": ["prod"], "platforms": ["linux"], "days_retention": "14", "is_delete_after": "true"}',
    );
    expect(events.at(-1)).toMatchObject({ operation: 'loggingRules.create', status: 200 });

    // Unset and empty options are left out, as py's truthiness tests leave them out.
    await lc.loggingRules.create('evtx', ['wel://System:*'], { tags: [], deleteAfter: false });
    expect(serviceCall(lastCall(fake()), oid, 'logging')).toBe(
      '{"action": "add_rule", "name": "evtx", "patterns": ["wel://System:*"]}',
    );
  });

  it('loggingRules.list and get send what limacharlie/sdk/logging_rules.py LoggingRules.list/get send', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.loggingRules.create('syslog', ['/var/log/syslog'], { retentionDays: 14 });
    const rules = await lc.loggingRules.list();
    expect(rules).toEqual({
      syslog: { patterns: ['/var/log/syslog'], days_retention: 14, is_delete_after: false },
    });
    expect(serviceCall(lastCall(fake()), oid, 'logging')).toBe('{"action": "list_rules"}');

    await expect(lc.loggingRules.get('syslog')).resolves.toEqual(rules.syslog);
    expect(serviceCall(lastCall(fake()), oid, 'logging')).toBe('{"action": "list_rules"}');
    await expect(lc.loggingRules.get('nope')).resolves.toBeUndefined();
    await expect(lc.loggingRules.get('constructor')).resolves.toBeUndefined();
  });

  it('loggingRules.delete sends what limacharlie/sdk/logging_rules.py LoggingRules.delete sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.loggingRules.create('syslog', ['/var/log/syslog']);
    await lc.loggingRules.delete('syslog');
    expect(serviceCall(lastCall(fake()), oid, 'logging')).toBe(
      '{"action": "remove_rule", "name": "syslog"}',
    );
    await expect(lc.loggingRules.list()).resolves.toEqual({});
    const err = await rejectionOf(lc.loggingRules.delete('syslog'));
    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ status: 404 });
  });

  it('a token without replicant.task gets an LcAuthError naming it', async () => {
    const { lc } = newOrgClient(fake(), { perms: ['org.get'] });
    const err = await rejectionOf(lc.loggingRules.list());
    expect(err).toMatchObject({ status: 401 });
    expect(String((err as Error).message)).toContain('replicant.task');
  });
});

describe('lc.integrity (limacharlie/sdk/integrity.py)', () => {
  const fake = useFakeLimaCharlie();

  it('integrity.create sends what limacharlie/sdk/integrity.py Integrity.create sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.integrity.create('hosts', ['/etc/hosts', '/etc/passwd'], {
      tags: ['dmz'],
      platforms: ['linux'],
    });
    expect(serviceCall(lastCall(fake()), oid, 'integrity')).toBe(
      '{"action": "add_rule", "name": "hosts", "patterns": ["/etc/hosts", "/etc/passwd"], ' +
        '"tags": ["dmz"], "platforms": ["linux"]}',
    );
    await lc.integrity.create('run', ['HKLM\\Software\\Run\\*']);
    expect(serviceCall(lastCall(fake()), oid, 'integrity')).toBe(
      '{"action": "add_rule", "name": "run", "patterns": ["HKLM\\\\Software\\\\Run\\\\*"]}',
    );
  });

  it('integrity.list and get send what limacharlie/sdk/integrity.py Integrity.list/get send', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.integrity.create('hosts', ['/etc/hosts']);
    await expect(lc.integrity.list()).resolves.toEqual({ hosts: { patterns: ['/etc/hosts'] } });
    expect(serviceCall(lastCall(fake()), oid, 'integrity')).toBe('{"action": "list_rules"}');
    await expect(lc.integrity.get('hosts')).resolves.toEqual({ patterns: ['/etc/hosts'] });
    await expect(lc.integrity.get('other')).resolves.toBeUndefined();
  });

  it('integrity.delete sends what limacharlie/sdk/integrity.py Integrity.delete sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.integrity.create('hosts', ['/etc/hosts']);
    await lc.integrity.delete('hosts');
    expect(serviceCall(lastCall(fake()), oid, 'integrity')).toBe(
      '{"action": "remove_rule", "name": "hosts"}',
    );
    await expect(lc.integrity.list()).resolves.toEqual({});
  });
});

describe('lc.exfil (limacharlie/sdk/exfil.py)', () => {
  const fake = useFakeLimaCharlie();

  it('exfil.createWatch sends what limacharlie/sdk/exfil.py Exfil.create_watch sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.exfil.createWatch(
      'cmd',
      { event: 'NEW_PROCESS', value: 'cmd.exe', operator: 'ends with', path: 'event/FILE_PATH' },
      { platforms: ['windows'] },
    );
    expect(serviceCall(lastCall(fake()), oid, 'exfil')).toBe(
      '{"action": "add_watch", "name": "cmd", "event": "NEW_PROCESS", "value": "cmd.exe", ' +
        '"operator": "ends with", "path": ["event", "FILE_PATH"], "platforms": ["windows"]}',
    );
    // A path given as segments goes as is.
    await lc.exfil.createWatch('dns', {
      event: 'DNS_REQUEST',
      value: 'evil.com',
      operator: 'is',
      path: ['event', 'DOMAIN_NAME'],
    });
    expect(serviceCall(lastCall(fake()), oid, 'exfil')).toContain(
      '"path": ["event", "DOMAIN_NAME"]}',
    );
  });

  it('exfil.createEvent sends what limacharlie/sdk/exfil.py Exfil.create_event sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.exfil.createEvent('procs', ['NEW_PROCESS', 'TERMINATE_PROCESS'], { tags: ['vip'] });
    expect(serviceCall(lastCall(fake()), oid, 'exfil')).toBe(
      '{"action": "add_event_rule", "name": "procs", ' +
        '"events": ["NEW_PROCESS", "TERMINATE_PROCESS"], "tags": ["vip"]}',
    );
  });

  it('exfil.list, deleteEvent and deleteWatch send what limacharlie/sdk/exfil.py Exfil.list/delete_event/delete_watch send', async () => {
    const { lc, oid } = newOrgClient(fake());
    await lc.exfil.createEvent('procs', ['NEW_PROCESS']);
    await lc.exfil.createWatch('cmd', {
      event: 'NEW_PROCESS',
      value: 'cmd.exe',
      operator: 'ends with',
      path: 'event/FILE_PATH',
    });
    await expect(lc.exfil.list()).resolves.toEqual({
      events: { procs: { events: ['NEW_PROCESS'] } },
      watch: {
        cmd: {
          event: 'NEW_PROCESS',
          value: 'cmd.exe',
          operator: 'ends with',
          path: ['event', 'FILE_PATH'],
        },
      },
    });
    expect(serviceCall(lastCall(fake()), oid, 'exfil')).toBe('{"action": "list_rules"}');

    await lc.exfil.deleteEvent('procs');
    expect(serviceCall(lastCall(fake()), oid, 'exfil')).toBe(
      '{"action": "remove_event_rule", "name": "procs"}',
    );
    await lc.exfil.deleteWatch('cmd');
    expect(serviceCall(lastCall(fake()), oid, 'exfil')).toBe(
      '{"action": "remove_watch", "name": "cmd"}',
    );
    await expect(lc.exfil.list()).resolves.toEqual({ events: {}, watch: {} });
  });

  it('a 503 from the service is retried like any call', async () => {
    const { lc, oid, events } = newOrgClient(fake());
    fake().failNext({ method: 'POST', path: `/v1/service/${oid}/exfil`, status: 503 });
    await expect(lc.exfil.list()).resolves.toEqual({ events: {}, watch: {} });
    expect(events.map((e) => e.status)).toEqual([503, 200]);
  });
});
