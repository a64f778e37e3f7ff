import { interactiveRule, Job, HexDump, Table } from 'nestjs-lc-service';
import { formatSimTime, formatSpan, parseDuration, SimClock } from '../src/cloud/clock.js';
import { eventForRule } from '../src/cloud/detections.js';
import { detectMatches, reportNames, usesInvestigationId } from '../src/cloud/dr-eval.js';
import { fillArgs } from '../src/cloud/fill-args.js';
import { JobBoard } from '../src/cloud/job-board.js';
import { RuleBook } from '../src/cloud/rule-book.js';
import type { RuleRecord } from '../src/cloud/detections.js';
import { cronTicks, longestCron, subscribedCrons } from '../src/cloud/schedule.js';
import { sensorReply } from '../src/cloud/sensor-replies.js';
import { readProfile } from '../src/cloud/service-profile.js';
import { SAMPLE_RULES } from '../../../sample-app/rules.js';

const HOUR = 3_600_000;

describe('the emulator clock', () => {
  it('parses durations, a bare number being seconds', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1.5h')).toBe(1.5 * HOUR);
    expect(parseDuration('7d')).toBe(7 * 24 * HOUR);
    expect(() => parseDuration('2w')).toThrow("not a duration: '2w'");
    expect(() => parseDuration('0h')).toThrow('more than 0');
  });

  it('formats simulated instants and spans', () => {
    expect(formatSimTime(0)).toBe('d0 00:00:00');
    expect(formatSimTime(25 * HOUR + 61_000)).toBe('d1 01:01:01');
    expect(formatSpan(30 * 24 * HOUR)).toBe('30d');
    expect(formatSpan(36 * HOUR)).toBe('36h');
    expect(formatSpan(1500)).toBe('1.5s');
  });

  it('runs speed times faster than the wall clock, and owes no wait when behind', () => {
    let now = 1000;
    const clock = new SimClock(3600, () => now);
    expect(clock.elapsed()).toBe(0);
    clock.start();
    now += 500;
    expect(clock.elapsed()).toBe(1_800_000);
    expect(clock.delayUntil(HOUR)).toBe(500);
    now += 2000;
    expect(clock.delayUntil(HOUR)).toBe(0);
  });
});

describe('the cron schedule', () => {
  it('keeps the subscribed crons in protocol order and finds the longest', () => {
    const crons = subscribedCrons(
      new Set(['sensor_per_24h', 'health', 'org_per_1h', 'once_per_7d']),
    );
    expect(crons).toEqual(['org_per_1h', 'once_per_7d', 'sensor_per_24h']);
    expect(longestCron(crons)).toEqual({ etype: 'once_per_7d', ms: 7 * 24 * HOUR });
    expect(longestCron([])).toBeUndefined();
  });

  it('yields every tick up to the end, in time order, first one period after the start', () => {
    const ticks = [...cronTicks(['org_per_1h', 'org_per_3h', 'sensor_per_3h'], 6 * HOUR)];
    expect(ticks.map((t) => `${t.at / HOUR}h ${t.etype} ${t.scope}`)).toEqual([
      '1h org_per_1h org',
      '2h org_per_1h org',
      '3h org_per_1h org',
      '3h org_per_3h org',
      '3h sensor_per_3h sensor',
      '4h org_per_1h org',
      '5h org_per_1h org',
      '6h org_per_1h org',
      '6h org_per_3h org',
      '6h sensor_per_3h sensor',
    ]);
    expect([...cronTicks(['once_per_30d'], 29 * 24 * HOUR)]).toEqual([]);
  });
});

describe('the D&R evaluator', () => {
  const rule = interactiveRule('pkg-audit');
  const reply = (investigationId: string, eventType = 'OS_PACKAGES_REP') => ({
    routing: { sid: 's', event_type: eventType, investigation_id: investigationId },
    event: {},
  });

  it("matches the module's interactive rule on replies to the service's own tasks only", () => {
    const unsupported = new Set<string>();
    expect(detectMatches(rule.detect, reply('svc-pkg-audit-ex/cb/j/e30/mac'), unsupported)).toBe(
      true,
    );
    expect(detectMatches(rule.detect, reply('svc-pkg-audit-extra-ex/cb'), unsupported)).toBe(false);
    expect(
      detectMatches(rule.detect, reply('svc-pkg-audit-ex/cb', 'CLOUD_NOTIFICATION'), unsupported),
    ).toBe(false);
    expect(
      detectMatches(
        rule.detect,
        { routing: { event_type: 'OS_PACKAGES_REP' }, event: {} },
        unsupported,
      ),
    ).toBe(false);
    expect(unsupported.size).toBe(0);
    expect(reportNames(rule.respond)).toEqual(['__svc-pkg-audit-ex']);
    expect(usesInvestigationId(rule.detect)).toBe(true);
  });

  it('honours event filters, or, exists, case sensitivity, and names unknown operators', () => {
    const ev = {
      routing: { event_type: 'NEW_PROCESS' },
      event: { FILE_PATH: 'C:\\Windows\\Temp\\Evil.EXE', PARENT: { PROCESS_ID: 4 } },
    };
    const unsupported = new Set<string>();
    const endsWithExe = { op: 'ends with', path: 'event/FILE_PATH', value: '.exe' };
    expect(detectMatches({ event: 'NEW_PROCESS', ...endsWithExe }, ev, unsupported)).toBe(false);
    expect(
      detectMatches(
        { event: 'NEW_PROCESS', ...endsWithExe, 'case sensitive': false },
        ev,
        unsupported,
      ),
    ).toBe(true);
    expect(
      detectMatches(
        { event: 'DNS_REQUEST', op: 'exists', path: 'event/FILE_PATH' },
        ev,
        unsupported,
      ),
    ).toBe(false);
    expect(
      detectMatches(
        {
          events: ['NEW_PROCESS', 'EXISTING_PROCESS'],
          op: 'or',
          rules: [
            { op: 'contains', path: 'event/FILE_PATH', value: 'nope' },
            { op: 'exists', path: 'event/PARENT/PROCESS_ID' },
          ],
        },
        ev,
        unsupported,
      ),
    ).toBe(true);
    expect(
      detectMatches({ op: 'matches', path: 'event/FILE_PATH', re: '.*' }, ev, unsupported),
    ).toBe(false);
    expect([...unsupported]).toEqual(['matches']);
  });

  it("builds a detection event that satisfies the sample's hash rule", () => {
    const { eventType, ev } = eventForRule(SAMPLE_RULES['sample-evil-hash'].detect);
    expect(eventType).toBe('NEW_PROCESS');
    expect(ev.event.HASH).toBe(SAMPLE_RULES['sample-evil-hash'].detect.value);
    expect(
      detectMatches(
        SAMPLE_RULES['sample-evil-hash'].detect,
        { ...ev, routing: { event_type: eventType } },
        new Set(),
      ),
    ).toBe(true);
  });
});

describe('what the emulator sends', () => {
  const sensor = { sid: '0b7c1e4d-2f3a-4b5c-8d9e-0f1a2b3c4d5e', hostname: 'sim-host-1' };

  it('fills sid, uuid, enum and bool arguments, and refuses to invent text or numbers', () => {
    const filled = fillArgs(
      {
        sid: { type: 'sid', required: true, values: [] },
        action: { type: 'enum', required: true, values: ['isolate', 'rejoin'] },
        id: { type: 'uuid', required: true, values: [] },
        force: { type: 'bool', required: true, values: [] },
        ttl: { type: 'int', required: false, values: [] },
      },
      sensor,
    );
    expect(filled).toEqual({
      data: {
        sid: sensor.sid,
        action: 'isolate',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        force: false,
      },
    });
    expect(fillArgs({ tag: { type: 'str', required: true, values: [] } }, sensor)).toEqual({
      missing: 'tag (str)',
    });
  });

  it('answers tasks with <COMMAND>_REP events, with plausible data for common ones', () => {
    expect(sensorReply('os_packages').eventType).toBe('OS_PACKAGES_REP');
    expect(sensorReply('os_packages').event.PACKAGES).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'bash' })]),
    );
    expect(sensorReply('file_hash /bin/ls')).toEqual({
      eventType: 'FILE_HASH_REP',
      event: { FILE_PATH: '/bin/ls', HASH: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(sensorReply('mem_map --pid 4')).toEqual({ eventType: 'MEM_MAP_REP', event: {} });
    expect(sensorReply('constructor').event).toEqual({});
  });

  it('reads what health advertises, skipping malformed parts', () => {
    expect(readProfile({ success: true, data: {} })).toBe(
      'the health answer has no data.mtd object',
    );
    const profile = readProfile({
      data: {
        mtd: {
          callbacks: ['health', 7, 'org_per_1h'],
          detect_subscriptions: ['a'],
          commands: { run: { args: { sid: { type: 'sid', is_required: true } } }, bad: 3 },
          request_params: null,
        },
      },
    });
    expect(profile).toEqual({
      callbacks: new Set(['health', 'org_per_1h']),
      detectSubscriptions: ['a'],
      commands: [
        { name: 'run', args: { sid: { type: 'sid', required: true, values: [] } } },
        { name: 'bad', args: {} },
      ],
      requestParams: {},
    });
  });
});

describe('what the page shows', () => {
  it('merges the jobs of several answers by id, whatever the order they arrive in', () => {
    const started = new Job();
    started.setCause('audit');
    started.addSensor('s1');
    started.narrate('asked');
    const update = new Job(started.getId());
    update.narrate('4 packages', [
      new Table('packages', ['name'], [['bash']]),
      new HexDump('raw', Buffer.from('hi')),
    ]);
    update.close();
    // The reply came a second after the question, but its answer reached the service first.
    const updateJson = JSON.parse(JSON.stringify(update)) as { hist: { ts: number }[] };
    updateJson.hist[0].ts += 1000;
    const board = new JobBoard();
    expect(board.merge([updateJson], 7)).toEqual([started.getId()]);
    board.merge([JSON.parse(JSON.stringify(started)), 'junk', { id: 3 }], 5);
    const [job] = board.list();
    expect(job).toMatchObject({
      id: started.getId(),
      cause: 'audit',
      sensors: ['s1'],
      reportedBy: [7, 5],
    });
    expect(job.end).toEqual(expect.any(Number));
    expect(job.history.map((h) => h.msg)).toEqual(['asked', '4 packages']);
    expect(job.history[1].attachments).toHaveLength(2);
    expect(board.list()).toHaveLength(1);
  });

  it('keeps removed rules, saying which call changed them', () => {
    let rules: RuleRecord[] = [
      { namespace: 'general', name: 'r1', detect: { op: 'exists' }, respond: [], enabled: true },
    ];
    const book = new RuleBook(() => rules);
    expect(book.refresh(0, 'org_install')).toEqual(['added rule general/r1']);
    expect(book.refresh(1, 'org_per_1h')).toEqual([]);
    rules = [{ ...rules[0], enabled: false }];
    expect(book.refresh(2, 'org_per_1h')).toEqual(['replaced rule general/r1']);
    rules = [];
    expect(book.refresh(3, 'org_uninstall')).toEqual(['removed rule general/r1']);
    expect(book.list()).toEqual([
      expect.objectContaining({
        name: 'r1',
        state: 'removed',
        changedBy: 'org_uninstall',
        changedAt: 3,
      }),
    ]);
  });
});
