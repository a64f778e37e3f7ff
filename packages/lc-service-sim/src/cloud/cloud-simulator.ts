import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LcExtWireContinuation } from 'nestjs-lc-service/protocol';
import { continuationsOf, ExtClient } from '../ext-client.js';
import { FakeLimaCharlie, FAKE_NAMESPACES } from '@nestjs-lc-service/limacharlie/testing';
import { formatSpan, SimClock } from './clock.js';
import { detectionData, eventForRule, type RuleRecord, type SimSensor } from './detections.js';
import { reportNames, usesInvestigationId } from './dr-eval.js';
import { extCall, readExtActions, type ExtActionView } from './ext-target.js';
import { fillArgs } from './fill-args.js';
import { JobBoard } from './job-board.js';
import type { CloudOptions } from './options.js';
import { PageServer } from './page-server.js';
import { RuleBook } from './rule-book.js';
import { cronTicks, longestCron, subscribedCrons, type CronTick } from './schedule.js';
import { ServiceClient, type CallOutcome } from './service-client.js';
import { readProfile, type ServiceProfile } from './service-profile.js';
import { TaskResponder } from './task-responder.js';
import { Timeline, type CallEntry } from './timeline.js';
import { isRecord } from '../is-record.js';
import { unknownName } from '../suggest.js';

export type RunStatus =
  'starting' | 'waiting' | 'running' | 'stopping' | 'finished' | 'stopped' | 'failed';

/** The run cannot go on (service unreachable, signature refused): exit code 2. */
export class SimulatorError extends Error {}

const HEALTH_RETRY_MS = 250;
/** LimaCharlie's bounds on continuations (lc-extension's simulator): delay, and chain depth. */
const MAX_CONTINUATION_DELAY_SEC = 300;
const MAX_CONTINUATION_LEVEL = 10;
const EXT_IDENT = 'lc-service-sim@localhost';

/** What the page's request endpoint answers: an HTTP status and a JSON body. */
export interface PageRequestResult {
  status: number;
  body: Record<string, unknown>;
}
const TIMELINE_PAGE = 500;

interface SendInit {
  data: Record<string, unknown>;
  /** The call carries the org and its JWT (all but `health` and `once_per_*`). */
  org: boolean;
  at?: number;
  about?: string;
}

/**
 * LimaCharlie, as far as one service can tell: an org with sensors behind an emulated REST API
 * (`FakeLimaCharlie`), and a driver that calls the service like the cloud does: `health`, the
 * install, `new_sensor`, the advertised commands, detections for its subscriptions, every cron it
 * lists on an accelerated clock, replies to the tasks it sends, and `org_uninstall` at the end.
 * A web page shows it all as it happens.
 */
export class CloudSimulator {
  readonly timeline = new Timeline();
  readonly jobs = new JobBoard();
  readonly rules: RuleBook;
  readonly clock: SimClock;
  readonly fake: FakeLimaCharlie;
  readonly sensors: SimSensor[] = [];
  status: RunStatus = 'starting';
  profile: ServiceProfile | undefined;
  /** An extension run: the actions its schema declares, once it answered. */
  extActions: ExtActionView[] | undefined;
  /** Simulated ms the crons run for, known once health has answered. */
  endMs: number | undefined;
  oid = '';

  private jwt = '';
  private epochStart = Date.now();
  private frozenAt: number | undefined;
  private tickAt: number | undefined;
  private stopRequested = false;
  private warnedRulesLeftBehind = false;
  private readonly wake = new AbortController();
  private readonly client: ServiceClient;
  private readonly extClient: ExtClient | undefined;
  /** Page requests and the continuations they started, awaited before unsubscribe. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly responder: TaskResponder;
  private readonly page = new PageServer(
    (since) => this.snapshot(since),
    (action, params) => this.extRequest(action, params),
  );

  constructor(readonly options: CloudOptions) {
    this.clock = new SimClock(options.speed);
    this.fake = new FakeLimaCharlie({ port: options.apiPort });
    this.client = new ServiceClient(options.service, options.secret, options.timeoutMs);
    if (options.extension !== undefined) {
      this.extClient = new ExtClient(options.service, options.secret, false, options.timeoutMs);
    }
    this.rules = new RuleBook(() => this.readRules());
    this.responder = new TaskResponder({
      oid: () => this.oid,
      timeline: this.timeline,
      now: () => this.now(),
      epoch: () => this.epochStart + this.now(),
      sensor: (sid) => this.sensors.find((s) => s.sid === sid),
      isOnline: (sid) => this.fake.getSensor(sid)?.online === true,
      rules: () => this.readRules(),
      subscribed: (name) => this.takesDetection(name),
      sendDetection: async (name, data, about) =>
        (await this.send('detection', name, { data, org: true, about })).entry,
    });
  }

  /** Starts the API emulator and the page, and creates the org and its sensors. */
  async start(): Promise<void> {
    await this.fake.start();
    try {
      await this.page.start(this.options.pagePort);
    } catch (err) {
      await this.fake.stop();
      throw err;
    }
    const org = this.fake.addOrg({ name: 'sim-org' });
    this.oid = org.oid;
    this.jwt = org.jwt;
    for (let i = 1; i <= this.options.sensors; i++) {
      const { sid, hostname } = this.fake.addSensor(org.oid, { hostname: `sim-host-${i}` });
      this.sensors.push({ sid, hostname });
    }
    this.fake.onTask(this.responder.onTask);
  }

  get apiUrl(): string {
    return this.fake.url;
  }

  get pageUrl(): string {
    return this.page.url;
  }

  /**
   * Simulated ms since the run started: while a cron tick is being sent, its due time (so what it
   * causes, tasks and replies, shows at that time even when a slow service makes the run lag);
   * frozen once the run ended.
   */
  now(): number {
    return this.frozenAt ?? this.tickAt ?? this.clock.elapsed();
  }

  /** Drives the service through a whole run. Throws `SimulatorError` if it cannot be reached. */
  async run(): Promise<void> {
    this.status = 'waiting';
    if (this.extClient !== undefined) return this.runExtension(this.extClient);
    const health = await this.waitForService(
      () => this.client.call('health', { data: {} }),
      'health',
    );
    if (health === undefined) return this.finish();
    this.epochStart = Date.now();
    const profile = readProfile(health.reply);
    if (typeof profile === 'string') {
      this.timeline.note(this.now(), `cannot go on: ${profile}`, 'warn');
      this.status = 'failed';
      this.frozenAt = this.now();
      return;
    }
    this.profile = profile;
    this.status = 'running';
    await this.install(profile);
    await this.runCrons(profile);
    // The run covered the span asked for: what remains (replies, the uninstall) is at its end.
    this.frozenAt ??= this.endMs;
    this.responder.close();
    await this.responder.idle();
    if (this.options.uninstall && profile.callbacks.has('org_uninstall')) {
      await this.send('org_uninstall', '', { data: {}, org: true });
    }
    this.finish();
  }

  /** Ends the run early: calls in flight finish, replies stop, `org_uninstall` is still sent. */
  stop(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    this.frozenAt ??= this.now();
    if (this.status === 'running' || this.status === 'waiting') this.status = 'stopping';
    this.responder.close();
    this.wake.abort();
  }

  get stopped(): boolean {
    return this.stopRequested;
  }

  async close(): Promise<void> {
    this.stop();
    await this.page.stop();
    await this.fake.stop();
  }

  /**
   * What the page shows and `--report` writes: the run, the sensors, what health listed, up to
   * `limit` timeline entries after `since`, and the rules, tasks and jobs.
   */
  snapshot(since: number, limit = TIMELINE_PAGE): Record<string, unknown> {
    const calls = this.timeline.calls();
    const failed = calls.filter((c) => !c.ok).length;
    return {
      run: {
        status: this.status,
        service: this.options.service.href,
        apiUrl: this.fake.url,
        speed: this.options.speed,
        oid: this.oid,
        now: this.now(),
        end: this.endMs ?? null,
        calls: calls.length,
        ok: calls.length - failed,
        failed,
        counts: Object.fromEntries(this.timeline.counts),
      },
      sensors: this.sensors.map((s) => {
        const live = this.fake.getSensor(s.sid);
        return {
          ...s,
          online: live?.online ?? false,
          isolated: live?.isolated ?? false,
          tags: live ? this.fake.sensorTags(s.sid) : [],
        };
      }),
      extension: this.extActions === undefined ? null : { actions: this.extActions },
      subscriptions: this.profile
        ? {
            callbacks: [...this.profile.callbacks],
            detections: this.profile.detectSubscriptions,
            commands: this.profile.commands.map((c) => c.name),
          }
        : null,
      timeline: this.timeline.since(since, limit),
      total: this.timeline.entries.length,
      rules: this.rules.list(),
      tasks: this.timeline.tasks,
      jobs: this.jobs.list(),
    };
  }

  private finish(): void {
    this.frozenAt ??= this.now();
    this.status = this.stopRequested ? 'stopped' : 'finished';
  }

  /**
   * LimaCharlie keeps a service's rules after the org uninstalls it unless the service deletes
   * them in org_uninstall: a service that installs rules without that handler leaves them behind.
   */
  private warnRulesLeftBehind(): void {
    if (this.warnedRulesLeftBehind || this.profile === undefined) return;
    if (this.profile.callbacks.has('org_uninstall')) return;
    if (!this.rules.list().some((r) => r.state === 'installed')) return;
    this.warnedRulesLeftBehind = true;
    this.timeline.note(
      this.now(),
      "the service installed D&R rules but has no org_uninstall handler: its rules stay in every org that uninstalls it. Add @LcHandler('org_uninstall') that deletes them.",
      'warn',
    );
  }

  private takesDetection(name: string): boolean {
    return (
      this.profile !== undefined &&
      this.profile.callbacks.has('detection') &&
      this.profile.detectSubscriptions.includes(name)
    );
  }

  private readRules(): RuleRecord[] {
    if (this.oid === '') return [];
    return FAKE_NAMESPACES.flatMap((namespace) =>
      Object.values(this.fake.getRules(this.oid, namespace)).map((rule) => ({
        namespace,
        name: rule.name,
        detect: rule.detect,
        respond: rule.respond,
        enabled: rule.is_enabled,
      })),
    );
  }

  private async pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopRequested) return;
    await sleep(ms, undefined, { signal: this.wake.signal }).catch(() => undefined);
  }

  private async waitForService(
    probe: () => Promise<CallOutcome>,
    etype: string,
  ): Promise<CallOutcome | undefined> {
    let noted = false;
    const started = Date.now();
    for (;;) {
      const at = this.now();
      const outcome = await probe();
      if (outcome.refused) {
        throw new SimulatorError(
          `${this.options.service.href} refused the signature (HTTP 401): check --secret`,
        );
      }
      if (!outcome.unreachable) {
        this.record(etype, '', { data: {}, org: false, at }, outcome);
        return outcome;
      }
      if (!noted) {
        noted = true;
        this.timeline.note(
          at,
          `waiting for the ${this.extClient === undefined ? 'service' : 'extension'} at ${this.options.service.href} …`,
        );
      }
      if (Date.now() - started >= this.options.waitMs) {
        throw new SimulatorError(
          `${outcome.error ?? 'no answer'} (waited ${this.options.waitMs / 1000} s for ${etype}: is the ${this.extClient === undefined ? 'service' : 'extension'} running? see --wait)`,
        );
      }
      await this.pause(HEALTH_RETRY_MS);
      if (this.stopRequested) return undefined;
    }
  }

  /**
   * An extension's run, as LimaCharlie drives one: its schema, the org subscribing, the requests
   * sent from the page while the org stays subscribed (`--keep-open`), then unsubscribe.
   */
  private async runExtension(client: ExtClient): Promise<void> {
    const schema = await this.waitForService(
      () => extCall(client, { schema_request: {} }),
      'schema',
    );
    if (schema === undefined) return this.finish();
    this.epochStart = Date.now();
    const actions = readExtActions(schema.reply);
    if (typeof actions === 'string') {
      this.timeline.note(this.now(), `cannot go on: ${actions}`, 'warn');
      this.status = 'failed';
      this.frozenAt = this.now();
      return;
    }
    this.extActions = actions;
    this.clock.start();
    this.status = 'running';
    await this.extEvent(client, 'subscribe');
    if (this.options.extension?.holdOpen === true && !this.stopRequested) {
      this.timeline.note(
        this.now(),
        `subscribed: send requests from the page (${this.page.url}); Ctrl-C unsubscribes and ends the run`,
      );
      await new Promise<void>((resolve) => {
        this.wake.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.options.uninstall) await this.extEvent(client, 'unsubscribe');
    this.finish();
  }

  private extOrg(): Record<string, string> {
    return { oid: this.oid, jwt: this.jwt, ident: EXT_IDENT };
  }

  private async extEvent(client: ExtClient, eventName: string): Promise<void> {
    const config = this.options.extension?.config ?? {};
    const at = this.now();
    const outcome = await extCall(client, {
      event: { org: this.extOrg(), event_name: eventName, data: {}, config },
    });
    this.record(eventName, '', { data: {}, org: true, at }, outcome);
  }

  /**
   * A request from the page: sent at once, its answer returned; the continuations it asks for
   * follow in the background, each after its delay on the accelerated clock.
   */
  async extRequest(action: string, params: Record<string, unknown>): Promise<PageRequestResult> {
    const client = this.extClient;
    const actions = this.extActions;
    if (client === undefined || actions === undefined) {
      return { status: 409, body: { error: 'this run drives no extension (see --extension)' } };
    }
    if (this.status !== 'running' || this.stopRequested) {
      return { status: 409, body: { error: `the run is ${this.status}: no more requests` } };
    }
    if (!actions.some((a) => a.name === action)) {
      const names = actions.map((a) => a.name);
      return { status: 400, body: { error: unknownName('action', action, names) } };
    }
    const key = randomUUID();
    const { entry, outcome } = await this.extRequestCall(client, action, params, key, undefined);
    const work = this.followContinuations(client, action, continuationsOf(outcome.reply), key);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return { status: 200, body: { seq: entry.seq, ok: entry.ok } };
  }

  private async extRequestCall(
    client: ExtClient,
    action: string,
    data: Record<string, unknown>,
    key: string,
    about: string | undefined,
  ): Promise<{ entry: CallEntry; outcome: CallOutcome }> {
    const at = this.now();
    const config = this.options.extension?.config ?? {};
    const outcome = await extCall(
      client,
      {
        request: {
          org: this.extOrg(),
          action,
          data,
          config,
          resource_state: {},
          inv_id: '',
        },
      },
      key,
    );
    const entry = this.record('request', action, { data, org: true, at, about }, outcome);
    return { entry, outcome };
  }

  /**
   * Continuations as LimaCharlie sends them: the action again with `state` as its data, the
   * asking message's idempotency key with `:<level>` appended, at most 10 levels deep.
   */
  private async followContinuations(
    client: ExtClient,
    root: string,
    first: LcExtWireContinuation[],
    rootKey: string,
  ): Promise<void> {
    const queue = first.map((c) => ({ c, key: rootKey, level: 1 }));
    while (queue.length > 0 && !this.stopRequested) {
      const { c, key, level } = queue.shift()!;
      if (level > MAX_CONTINUATION_LEVEL) {
        this.timeline.note(
          this.now(),
          `continuation of ${root} dropped: LimaCharlie follows at most ${MAX_CONTINUATION_LEVEL} levels`,
          'warn',
        );
        continue;
      }
      await this.pause(
        (Math.min(c.in_delay_sec, MAX_CONTINUATION_DELAY_SEC) * 1000) / this.options.speed,
      );
      if (this.stopRequested) return;
      const childKey = `${key}:${level}`;
      const { outcome } = await this.extRequestCall(
        client,
        c.action,
        c.state ?? {},
        childKey,
        `continuation ${level} of ${root}`,
      );
      for (const next of continuationsOf(outcome.reply)) {
        queue.push({ c: next, key: childKey, level: level + 1 });
      }
    }
  }

  /** Everything the cloud sends once, at install time; each step only if the service lists it. */
  private async install(profile: ServiceProfile): Promise<void> {
    const has = (etype: string) => profile.callbacks.has(etype) && !this.stopRequested;
    const first = this.sensors[0];
    if (has('org_install')) await this.send('org_install', '', { data: {}, org: true });
    for (const sensor of this.sensors) {
      if (!has('new_sensor')) break;
      await this.send('new_sensor', sensor.hostname, {
        data: { sid: sensor.sid, hostname: sensor.hostname },
        org: true,
      });
    }
    this.checkParams(profile);
    if (has('request')) {
      await this.sendForm('request', '', 'request', profile.requestParams, {}, first);
    }
    for (const command of profile.commands) {
      if (!has('command')) break;
      const data = { command_name: command.name };
      await this.sendForm(
        'command',
        command.name,
        `command ${command.name}`,
        command.args,
        data,
        first,
      );
    }
    for (const name of profile.detectSubscriptions) {
      if (!has('detection')) break;
      await this.detect(name, first);
    }
  }

  /** A `--param` that names no form, or no parameter of its form, is surely a typo: say so. */
  private checkParams(profile: ServiceProfile): void {
    const forms = new Map<string, string[]>([['request', Object.keys(profile.requestParams)]]);
    for (const command of profile.commands) forms.set(command.name, Object.keys(command.args));
    const { any, byForm } = this.options.params;
    const everyName = [...new Set([...forms.values()].flat())];
    for (const name of Object.keys(any)) {
      if (!everyName.includes(name)) {
        this.timeline.note(
          this.now(),
          `--param ${name}: ${unknownName('parameter', name, everyName)}`,
          'warn',
        );
      }
    }
    for (const [form, values] of Object.entries(byForm)) {
      const names = forms.get(form);
      if (names === undefined) {
        this.timeline.note(
          this.now(),
          `--param ${form}:…: ${unknownName('form', form, [...forms.keys()])}`,
          'warn',
        );
        continue;
      }
      for (const name of Object.keys(values)) {
        if (!names.includes(name)) {
          this.timeline.note(
            this.now(),
            `--param ${form}:${name}: ${unknownName(`parameter of ${form}`, name, names)}`,
            'warn',
          );
        }
      }
    }
  }

  /** A `request` or `command` with its form filled in for one sensor, or a note saying why not. */
  private async sendForm(
    etype: string,
    target: string,
    label: string,
    defs: ServiceProfile['requestParams'],
    base: Record<string, unknown>,
    sensor: SimSensor,
  ): Promise<void> {
    const given = this.options.params;
    const filled = fillArgs(defs, sensor, {
      ...given.any,
      ...(Object.hasOwn(given.byForm, target || etype) ? given.byForm[target || etype] : {}),
    });
    if ('missing' in filled) {
      this.timeline.note(
        this.now(),
        `${label} not sent: no value to give its required parameter ${filled.missing} (give one with --param ${filled.missing.split(' ')[0]}=...)`,
      );
      return;
    }
    await this.send(etype, target, { data: { ...base, ...filled.data }, org: true });
  }

  /** One detection of a subscribed name, shaped after the installed rule that reports it. */
  private async detect(name: string, sensor: SimSensor): Promise<void> {
    const rule = this.readRules().find((r) => reportNames(r.respond).includes(name));
    if (rule !== undefined && usesInvestigationId(rule.detect)) {
      this.timeline.note(
        this.now(),
        `${name} is reported by ${rule.namespace}/${rule.name} for replies to tracked tasks: it comes back when the service tasks a sensor`,
      );
      return;
    }
    const { eventType, ev } = eventForRule(rule?.detect);
    const data = detectionData({
      cat: name,
      oid: this.oid,
      sensor,
      eventType,
      ev,
      ...(rule === undefined ? {} : { rule }),
      eventTime: this.epochStart + this.now(),
    });
    await this.send('detection', name, { data, org: true });
  }

  private async runCrons(profile: ServiceProfile): Promise<void> {
    const crons = subscribedCrons(profile.callbacks);
    const longest = longestCron(crons);
    this.endMs = this.options.durationMs ?? (longest ? longest.ms * this.options.cycles : 0);
    this.timeline.note(
      this.now(),
      crons.length === 0
        ? 'the service lists no cron etype'
        : `crons for ${formatSpan(this.endMs)} simulated at ${this.options.speed}x: ${crons.join(', ')}`,
    );
    // Simulated time starts with the crons: the install is instant (at 0), as it is for the
    // cloud, and each cron first fires one period after it.
    this.clock.start();
    for (const tick of cronTicks(crons, this.endMs)) {
      await this.pause(this.clock.delayUntil(tick.at));
      if (this.stopRequested) return;
      this.tickAt = tick.at;
      try {
        await this.fire(tick);
      } finally {
        this.tickAt = undefined;
      }
    }
    await this.pause(this.clock.delayUntil(this.endMs));
  }

  private async fire(tick: CronTick): Promise<void> {
    if (tick.scope === 'sensor') {
      for (const sensor of this.sensors) {
        if (this.stopRequested) return;
        await this.send(tick.etype, sensor.hostname, { data: { sid: sensor.sid }, org: true });
      }
    } else {
      await this.send(tick.etype, '', { data: {}, org: tick.scope === 'org' });
    }
  }

  private async send(
    etype: string,
    target: string,
    init: SendInit,
  ): Promise<{ entry: CallEntry; outcome: CallOutcome }> {
    const at = init.at ?? this.now();
    const outcome = await this.client.call(etype, {
      data: init.data,
      ...(init.org ? { oid: this.oid, jwt: this.jwt } : {}),
    });
    return { entry: this.record(etype, target, { ...init, at }, outcome), outcome };
  }

  private record(etype: string, target: string, init: SendInit, outcome: CallOutcome): CallEntry {
    const at = init.at ?? this.now();
    const entry = this.timeline.add({
      kind: 'call',
      at,
      etype,
      target,
      ...(init.about === undefined ? {} : { about: init.about }),
      data: init.data,
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
      ...(outcome.reply === undefined ? {} : { reply: outcome.reply }),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      ms: outcome.ms,
      ok: outcome.error === undefined,
    }) as CallEntry;
    if (isRecord(outcome.reply)) this.jobs.merge(outcome.reply.jobs, entry.seq);
    const changes = this.rules.refresh(this.now(), etype);
    for (const change of changes) this.timeline.note(this.now(), change);
    if (changes.length > 0) this.warnRulesLeftBehind();
    return entry;
  }
}
