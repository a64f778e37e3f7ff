import type { LcTransport } from './http.js';
import { pyJsonDumps } from './py-json.js';
import { expectRecord, isRecord, unexpectedShape } from './response.js';

/** A rule's two parts, as D&R rules hold them. */
export interface ReplayRuleContent {
  detect: Record<string, unknown>;
  respond?: Record<string, unknown>[];
}

export interface ReplayLimits {
  trace?: boolean;
  /** Evaluate without creating detections. */
  dryRun?: boolean;
  /** Most events to scan (0 or unset: no limit). */
  limitEvents?: number;
  /** Most operator evaluations (0 or unset: no limit). */
  limitEvals?: number;
}

/** Give `ruleName` (an existing rule) or `detect`/`respond`; times are unix seconds. */
export interface ReplayRunOptions extends ReplayLimits {
  ruleName?: string;
  detect?: Record<string, unknown>;
  respond?: Record<string, unknown>[];
  start?: number;
  end?: number;
  sid?: string;
  selector?: string;
  /** Default `event`. */
  stream?: string;
}

/** Give `ruleName` (with its `namespace`) or `ruleContent`. */
export interface ReplayScanOptions extends ReplayLimits {
  ruleName?: string;
  namespace?: string;
  ruleContent?: ReplayRuleContent;
  /** Default `event`. */
  stream?: string;
}

/** An event as the replay service takes it. */
export interface ReplayEvent {
  event: Record<string, unknown>;
  routing: Record<string, unknown>;
}

/** The replay service's answer: `responses` lists the actions the rule would have taken. */
export interface ReplayResult {
  responses?: unknown[];
  num_evals?: number;
  num_events?: number;
  eval_time?: number;
  errors?: unknown[];
  [key: string]: unknown;
}

/**
 * D&R rules run over history or given events on the org's replay host (`url.replay` of
 * `GET orgs/{oid}/url`, `https://` unless a scheme is given), as limacharlie/sdk/replay.py does.
 * The host is looked up once per client.
 */
export class ReplayApi {
  private root: string | undefined;

  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  /** Replays an existing or inline rule over the org's stored events. */
  async run(options: ReplayRunOptions = {}): Promise<ReplayResult> {
    const ruleSource: Record<string, unknown> = {};
    if (options.ruleName) ruleSource.rule_name = options.ruleName;
    if (options.detect !== undefined || options.respond !== undefined) {
      const rule: Record<string, unknown> = {};
      if (options.detect !== undefined) rule.detect = options.detect;
      if (options.respond !== undefined) rule.respond = options.respond;
      ruleSource.rule = rule;
    }
    const sensorEvents: Record<string, unknown> = {};
    if (options.start !== undefined) sensorEvents.start_time = Math.trunc(options.start);
    if (options.end !== undefined) sensorEvents.end_time = Math.trunc(options.end);
    if (options.sid) sensorEvents.sid = options.sid;
    if (options.selector) sensorEvents.selector = options.selector;
    // Key order of py's dict: is_dry_run comes before the limits here, after them in scan_events.
    return this.send('replay.run', {
      oid: this.oid,
      rule_source: ruleSource,
      event_source: { stream: options.stream || 'event', sensor_events: sensorEvents },
      trace: options.trace ?? false,
      is_dry_run: options.dryRun ?? false,
      limit_event: options.limitEvents || 0,
      limit_eval: options.limitEvals || 0,
    });
  }

  /** Runs a rule over the given events only. */
  async scanEvents(events: ReplayEvent[], options: ReplayScanOptions = {}): Promise<ReplayResult> {
    return this.scan('replay.scanEvents', events, options);
  }

  /** Whether the rule compiles: one empty event goes through it; an answer without errors means valid. */
  async validateRule(ruleContent: ReplayRuleContent): Promise<ReplayResult> {
    return this.scan('replay.validateRule', [{ event: {}, routing: {} }], { ruleContent });
  }

  private scan(
    operation: string,
    events: ReplayEvent[],
    options: ReplayScanOptions,
  ): Promise<ReplayResult> {
    return this.send(operation, {
      oid: this.oid,
      rule_source: {
        rule_name: options.ruleName || '',
        namespace: options.namespace || '',
        rule: options.ruleContent ?? null,
      },
      event_source: { stream: options.stream ?? 'event', sensor_events: {}, events },
      trace: options.trace ?? false,
      limit_event: options.limitEvents || 0,
      limit_eval: options.limitEvals || 0,
      is_dry_run: options.dryRun ?? false,
    });
  }

  private async send(operation: string, body: Record<string, unknown>): Promise<ReplayResult> {
    const root = await this.replayRoot();
    const answer = await this.transport.call(operation, 'POST', '', undefined, {
      root,
      json: pyJsonDumps(body),
    });
    return expectRecord(answer, 'POST', '') as ReplayResult;
  }

  private async replayRoot(): Promise<string> {
    if (this.root !== undefined) return this.root;
    const path = `orgs/${this.oid}/url`;
    const answer = expectRecord(
      await this.transport.call('replay.urls', 'GET', path, undefined, { noAuth: true }),
      'GET',
      path,
    );
    const urls = isRecord(answer.url) ? answer.url : answer;
    const host = urls.replay;
    if (typeof host !== 'string' || host === '') {
      throw unexpectedShape('GET', path, 'a `url.replay` host', answer);
    }
    this.root = /^https?:\/\//i.test(host) ? host : `https://${host}`;
    return this.root;
  }
}
