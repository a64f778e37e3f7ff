import 'reflect-metadata';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { IsInt, IsString } from 'class-validator';
import {
  LcAction,
  LcClient,
  LcCommand,
  LcConfig,
  LcCron,
  LcData,
  LcExtensionEvent,
  LcHandler,
  LcParam,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { AppModule, SERVICE_NAME } from '../../../sample-app/app.module.js';
import { SECRET, startLcApp, type LcTestApp } from '../../../test/helpers/lc-app.js';
import { EXT_SECRET, startExtApp, type LcExtTestApp } from '../../../test/extension/helpers.js';
import { freePort, runCli, startCli } from './cli-process.js';

interface Report {
  run: { status: string; failed: number; counts: Record<string, { sent: number; ok: number }> };
  sensors: { sid: string; hostname: string; tags: string[]; isolated: boolean }[];
  subscriptions: { callbacks: string[] };
  timeline: { kind: string; etype?: string; target?: string; ok?: boolean; reply?: unknown }[];
  tasks: { sid: string; commands: string[]; investigationId?: string; outcomes: string[] }[];
  jobs: {
    cause?: string;
    end?: number;
    history: { msg: string; attachments: { att_type: string; rows?: string[][] }[] }[];
  }[];
  rules: { namespace: string; name: string; state: string; changedBy: string }[];
}

const SAMPLE_SECRET = 'sample-sim-secret';
const FAST = ['--speed', '1000000', '--port', '0'];

describe('lc-service-sim cloud drives the sample service', () => {
  let app: NestFastifyApplication;
  let url: string;
  let apiPort: number;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lc-cloud-'));
    // The sample's client must know the emulator's URL at boot: the CLI gets a fixed API port.
    apiPort = await freePort();
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppModule.register({
          port: 0,
          secret: SAMPLE_SECRET,
          traceComms: false,
          apiUrl: `http://127.0.0.1:${apiPort}`,
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('through install, every cron it lists, a detection and an interactive round trip', async () => {
    const reportFile = join(dir, 'report.json');
    const res = await runCli(
      ['cloud', '--service', url, '--api-port', String(apiPort), ...FAST, '--report', reportFile],
      { LC_SHARED_SECRET: SAMPLE_SECRET },
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`API emulator  http://127.0.0.1:${apiPort}`);
    expect(res.stdout).toMatch(
      /^Finished \(d1 00:00:00 of 1d simulated\) in [\d.]+ s: 35 calls, 35 ok, 0 failed\.$/m,
    );
    expect(res.stdout).toMatch(/^d0 00:00:00  task #1 +sim-host-1 +os_packages  \(tracked\)$/m);
    expect(res.stdout).toMatch(/^d1 00:00:00  sensor_per_24h +sim-host-2 +ok /m);
    expect(res.stdout).not.toContain(SAMPLE_SECRET);

    const text = await readFile(reportFile, 'utf8');
    expect(text).not.toContain(SAMPLE_SECRET);
    expect(text).not.toMatch(/"jwt"/);
    const report = JSON.parse(text) as Report;
    expect(report.run.status).toBe('finished');
    expect(report.run.failed).toBe(0);
    const sent = Object.fromEntries(Object.entries(report.run.counts).map(([k, v]) => [k, v.sent]));
    expect(sent).toEqual({
      health: 1,
      org_install: 1,
      new_sensor: 2,
      command: 2,
      detection: 2,
      org_per_1h: 24,
      sensor_per_24h: 2,
      org_uninstall: 1,
    });
    // Every cron etype the service lists was sent.
    const listedCrons = report.subscriptions.callbacks.filter((c) => c.includes('_per_'));
    expect(listedCrons.length).toBeGreaterThan(0);
    for (const cron of listedCrons) expect(sent[cron]).toBeGreaterThan(0);

    // Commands it could fill in (a sid, an enum) were sent; tag-sensor needs text, so not.
    const [host1] = report.sensors;
    const commands = report.timeline.filter((e) => e.etype === 'command').map((e) => e.target);
    expect(commands).toEqual(['network-isolation', 'audit-packages']);
    expect(host1.isolated).toBe(true);

    // The detection, shaped after the rule the service installed, tagged the sensor.
    const detection = report.timeline.find(
      (e) => e.etype === 'detection' && e.target === 'evil-hash',
    );
    expect(detection?.ok).toBe(true);
    expect(host1.tags).toEqual(expect.arrayContaining(['evil-hash-seen', 'seen-by-sample']));

    // The interactive loop: audit-packages tasked the sensor with a tracked id, the reply went
    // through the service's rule and came back as a detection that closed the job.
    const tracked = report.tasks.filter((t) => t.investigationId !== undefined);
    expect(tracked).toHaveLength(1);
    expect(tracked[0]).toMatchObject({ sid: host1.sid, commands: ['os_packages'] });
    expect(tracked[0].investigationId).toMatch(
      new RegExp(`^svc-${SERVICE_NAME}-ex/audit-packages\\.reply/`),
    );
    expect(tracked[0].outcomes).toEqual([
      expect.stringMatching(
        new RegExp(
          `^OS_PACKAGES_REP → rule managed/svc-${SERVICE_NAME}-ex → detection __svc-${SERVICE_NAME}-ex: ok`,
        ),
      ),
    ]);
    const audit = report.jobs.find((j) => j.cause === `package audit of ${host1.sid}`);
    expect(audit?.end).toEqual(expect.any(Number));
    expect(audit?.history.map((h) => h.msg)).toEqual([
      'asked the sensor for its packages',
      expect.stringMatching(new RegExp(`^${host1.sid} reported 4 packages`)),
    ]);
    expect(audit?.history[1].attachments[0]).toMatchObject({ att_type: 'table' });
    expect(audit?.history[1].attachments[0].rows?.[0]).toEqual(['bash', '5.2.15-2+b7']);
    // The daily per-sensor task is untracked: its reply matches no rule.
    expect(
      report.tasks.filter((t) => t.investigationId === undefined).map((t) => t.outcomes),
    ).toEqual([['OS_PACKAGES_REP: no rule matched'], ['OS_PACKAGES_REP: no rule matched']]);

    // Rules were installed, and org_uninstall removed them all.
    expect(
      report.rules.map((r) => `${r.namespace}/${r.name} ${r.state} ${r.changedBy}`).sort(),
    ).toEqual([
      'general/sample-evil-hash removed org_uninstall',
      `managed/svc-${SERVICE_NAME}-ex removed org_uninstall`,
    ]);
  });
});

const calls: string[] = [];

@Injectable()
class FlakyService {
  @LcHandler('org_install')
  install() {
    calls.push('org_install');
    return true;
  }

  @LcHandler('org_uninstall')
  uninstall() {
    calls.push('org_uninstall');
    return true;
  }

  @LcCron('org_per_3h')
  feed() {
    throw new Error('feed unavailable');
  }

  @LcCron('once_per_1h')
  global() {
    return true;
  }
}

describe('lc-service-sim cloud as a process', () => {
  let t: LcTestApp;
  beforeAll(async () => {
    t = await startLcApp({ providers: [FlakyService] });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    calls.length = 0;
  });

  it('exits 1 and lists each failed call in the summary', async () => {
    const res = await runCli([
      'cloud',
      '--service',
      t.url,
      '--secret',
      SECRET,
      '--api-port',
      '0',
      ...FAST,
      '--sensors',
      '1',
    ]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(
      /^d0 03:00:00  org_per_3h +FAIL +\d+ ms  feed unavailable \(asks for a retry\)$/m,
    );
    expect(res.stdout).toMatch(
      /^Finished \(d0 03:00:00 of 3h simulated\) .*: 7 calls, 6 ok, 1 failed\.$/m,
    );
    expect(res.stdout).toMatch(
      /^Failures:\n  #\d+ d0 03:00:00 org_per_3h: feed unavailable \(asks for a retry\)$/m,
    );
    expect(res.stdout).toMatch(/^  once_per_1h +3 +3 +0$/m);
    expect(res.stdout).toMatch(/^d0 03:00:00  org_uninstall +ok /m);
    expect(calls).toEqual(['org_install', 'org_uninstall']);
  });

  it('stops cleanly on Ctrl-C: calls in flight finish, then org_uninstall and the summary', async () => {
    // At real speed the first cron is an hour away: the run is waiting when it is interrupted.
    const run = startCli([
      'cloud',
      '--service',
      t.url,
      '--secret',
      SECRET,
      '--api-port',
      '0',
      '--port',
      '0',
      '--speed',
      '1',
    ]);
    await run.waitFor(/crons for 3h simulated/);
    run.child.kill('SIGINT');
    const code = await run.exited;
    expect(run.stderr()).toBe('');
    expect(code).toBe(0);
    expect(run.stdout()).toMatch(/^stopping: letting calls in flight finish, then org_uninstall/m);
    expect(run.stdout()).toMatch(/^d0 00:00:\d\d  org_uninstall +ok /m);
    expect(run.stdout()).toMatch(
      /^Stopped \(d0 00:00:\d\d of 3h simulated\) .*: 3 calls, 3 ok, 0 failed\.$/m,
    );
    expect(calls).toEqual(['org_install', 'org_uninstall']);
  });

  it('--keep-installed leaves the org installed', async () => {
    const res = await runCli([
      'cloud',
      '--service',
      t.url,
      '--secret',
      SECRET,
      '--api-port',
      '0',
      ...FAST,
      '--duration',
      '1h',
      '--keep-installed',
    ]);
    expect(res.code).toBe(0);
    expect(calls).toEqual(['org_install']);
    expect(res.stdout).toMatch(/^Finished .*: 3 calls, 3 ok, 0 failed\.$/m);
  });

  it('exits 2 when the service refuses the signature or cannot be reached', async () => {
    const [refused, unreachable] = await Promise.all([
      runCli(['cloud', '--service', t.url, '--secret', 'wrong', '--api-port', '0', '--port', '0']),
      runCli([
        'cloud',
        '--service',
        'http://127.0.0.1:9/',
        '--secret',
        's',
        '--api-port',
        '0',
        '--port',
        '0',
        '--wait',
        '0.3',
      ]),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `lc-service-sim: ${t.url}/ refused the signature (HTTP 401): check --secret\n`,
    );
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(
      /^lc-service-sim: could not reach http:\/\/127\.0\.0\.1:9\/: .*\(waited 0\.3 s for health: is the service running\? see --wait\)\n$/,
    );
    expect(unreachable.stdout).toMatch(/waiting for the service at http:\/\/127\.0\.0\.1:9\/ …/);
  });

  it('exits 2 naming the option for bad arguments and a port in use', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const busyPort = (busy.address() as { port: number }).port;
    try {
      const cases: [string[], RegExp][] = [
        [['--secret', 's'], /--service is required/],
        [['--service', t.url], /--secret is required \(or set LC_SHARED_SECRET\)/],
        [
          ['--service', 'ftp://x', '--secret', 's'],
          /--service must be http:\/\/ or https:\/\/, got ftp:/,
        ],
        [
          ['--service', t.url, '--secret', 's', '--speed', '0'],
          /--speed must be a positive number, got '0'/,
        ],
        [
          ['--service', t.url, '--secret', 's', '--sensors', '1.5'],
          /--sensors must be a whole number from 1 to 1000, got '1.5'/,
        ],
        [
          ['--service', t.url, '--secret', 's', '--duration', '3 weeks'],
          /--duration: not a duration: '3 weeks'/,
        ],
        [
          ['--service', t.url, '--secret', 's', '--duration', '1h', '--cycles', '2'],
          /use either --duration or --cycles, not both/,
        ],
        [
          ['--service', t.url, '--secret', 's', '--api-port', '8095', '--port', '8095'],
          /--api-port and --port are both 8095/,
        ],
        [['--service', t.url, '--secret', 's', 'extra'], /unexpected argument 'extra'/],
        [
          ['--service', t.url, '--secret', 's', '--api-port', String(busyPort), '--port', '0'],
          new RegExp(`port ${busyPort} on 127\\.0\\.0\\.1 is in use`),
        ],
        [['--service', t.url, '--secret', 's', '--bogus'], /Unknown option '--bogus'/],
      ];
      const results = await Promise.all(cases.map(([args]) => runCli(['cloud', ...args])));
      results.forEach((res, i) => {
        expect({ i, code: res.code }).toEqual({ i, code: 2 });
        expect(res.stderr).toMatch(cases[i][1]);
      });
    } finally {
      busy.close();
    }
  });

  it('prints its usage, and the dispatcher routes each command', async () => {
    const [help, top, unknown] = await Promise.all([
      runCli(['cloud', '--help']),
      runCli(['--help']),
      runCli(['bogus']),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/lc-service-sim cloud --service <url> --secret S \[options\]/);
    expect(help.stdout).toMatch(
      /--api-port N +port of the API emulator on 127\.0\.0\.1 \(default 8090; 0: any\)/,
    );
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/lc-service-sim send <url> <etype>/);
    expect(top.stdout).toMatch(/lc-service-sim cloud --service <url>/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'bogus': expected one of send, ext, cloud/);
  });
});

class HashParams {
  @LcParam({ description: 'the hash to look up' })
  @IsString()
  hash!: string;
}

class TagArgs {
  @LcParam({ description: 'the tag' })
  @IsString()
  tag!: string;

  @LcParam({ description: 'seconds' })
  @IsInt()
  ttl!: number;
}

const received: { etype: string; data: unknown }[] = [];

@Injectable()
class FormsWithoutUninstall {
  @LcHandler('org_install')
  async install(@LcClient() lc: LimaCharlieClient) {
    await lc.rules.set('forms-rule', {
      detect: { event: 'NEW_PROCESS', op: 'exists', path: 'event' },
      respond: [{ action: 'report', name: 'forms-x' }],
    });
    return true;
  }

  @LcHandler('request', { params: HashParams })
  lookup(@LcData() p: HashParams) {
    received.push({ etype: 'request', data: { ...p } });
    return true;
  }

  @LcCommand({ name: 'tag', description: 'Tag a sensor', args: TagArgs })
  tag(@LcData() args: TagArgs) {
    received.push({ etype: 'command tag', data: { ...args } });
    return true;
  }
}

describe('lc-service-sim cloud: what a newcomer runs into', () => {
  let t: LcTestApp;
  let apiPort: number;
  beforeAll(async () => {
    apiPort = await freePort();
    t = await startLcApp({
      providers: [FormsWithoutUninstall],
      options: { limaCharlie: { apiUrl: `http://127.0.0.1:${apiPort}` } },
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    received.length = 0;
  });

  const run = (...extra: string[]) =>
    runCli([
      'cloud',
      '--service',
      t.url,
      '--secret',
      SECRET,
      '--api-port',
      String(apiPort),
      ...FAST,
      '--duration',
      '1h',
      ...extra,
    ]);

  it('fills required text and number parameters from --param, per form when named', async () => {
    const res = await run(
      '--param',
      'hash=abc123',
      '--param',
      'tag:tag=vip',
      '--param',
      'tag:ttl=60',
      '--param',
      'request:hahs=x',
    );
    expect(res.code).toBe(0);
    expect(received).toEqual([
      { etype: 'request', data: { hash: 'abc123' } },
      { etype: 'command tag', data: { tag: 'vip', ttl: 60 } },
    ]);
    expect(res.stdout).toContain(
      "warning: --param request:hahs: unknown parameter of request 'hahs': did you mean 'hash'?",
    );
  });

  it('names the missing parameter and the option that fills it', async () => {
    const res = await run();
    expect(received).toEqual([]);
    expect(res.stdout).toContain(
      'request not sent: no value to give its required parameter hash (str) (give one with --param hash=...)',
    );
  });

  it('warns once when the service installs rules and has no org_uninstall to remove them', async () => {
    const res = await run('--param', 'hash=a', '--param', 'tag=t', '--param', 'ttl=1');
    expect(res.code).toBe(0);
    const warning =
      "the service installed D&R rules but has no org_uninstall handler: its rules stay in every org that uninstalls it. Add @LcHandler('org_uninstall') that deletes them.";
    expect(res.stdout.split(warning).length - 1).toBe(2); // the timeline line and the summary
    expect(res.stdout).toMatch(/^d0 00:00:00  warning: the service installed D&R rules/m);
  });
});

const extEvents: string[] = [];

@Injectable()
class EventsOnly {
  @LcAction('ping')
  ping() {
    return { pong: true };
  }

  @LcExtensionEvent('subscribe')
  subscribe(@LcConfig() config: Record<string, unknown>) {
    extEvents.push(`subscribe ${JSON.stringify(config)}`);
  }

  @LcExtensionEvent('unsubscribe')
  unsubscribe() {
    extEvents.push('unsubscribe');
  }
}

describe('lc-service-sim cloud --extension as a process', () => {
  let ext: LcExtTestApp;
  beforeAll(async () => {
    ext = await startExtApp({ providers: [EventsOnly] });
  });
  afterAll(() => ext.close());

  it('reads the schema, subscribes with --config, then unsubscribes', async () => {
    const res = await runCli([
      'cloud',
      '--extension',
      ext.url,
      '--secret',
      EXT_SECRET,
      '--api-port',
      '0',
      ...FAST,
      '--config',
      'region=eu',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`extension     ${ext.url}`);
    expect(res.stdout).toMatch(/^d0 00:00:00  schema +ok /m);
    expect(res.stdout).toMatch(/^Finished .*: 3 calls, 3 ok, 0 failed\.$/m);
    expect(extEvents).toEqual(['subscribe {"region":"eu"}', 'unsubscribe']);
  });

  it('names the option when --extension is combined with what it does not take', async () => {
    const both = await runCli([
      'cloud',
      '--extension',
      ext.url,
      '--service',
      ext.url,
      '--secret',
      's',
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      'use either --service (a service) or --extension (an extension), not both',
    );
    const param = await runCli([
      'cloud',
      '--extension',
      ext.url,
      '--secret',
      's',
      '--param',
      'a=1',
    ]);
    expect(param.code).toBe(2);
    expect(param.stderr).toContain(
      "with --extension, send requests from the page (with --keep-open) or with 'lc-service-sim ext request'",
    );
    const refused = await runCli([
      'cloud',
      '--extension',
      ext.url,
      '--secret',
      'wrong',
      '--api-port',
      '0',
      '--port',
      '0',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refused the signature (HTTP 401): check --secret');
  });
});
