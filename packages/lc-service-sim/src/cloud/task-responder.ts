import type { FakeTask } from '@nestjs-lc-service/limacharlie/testing';
import { detectionData, type RuleRecord, type SimSensor } from './detections.js';
import { detectMatches, reportNames, SUPPORTED_OPS, type DrEvent } from './dr-eval.js';
import { sensorReply } from './sensor-replies.js';
import type { CallEntry, TaskRecord, Timeline } from './timeline.js';

export interface ResponderContext {
  oid(): string;
  timeline: Timeline;
  /** Simulated ms now. */
  now(): number;
  /** Simulated epoch ms, for event times. */
  epoch(): number;
  sensor(sid: string): SimSensor | undefined;
  isOnline(sid: string): boolean;
  /** The org's enabled and disabled rules, read when a reply is evaluated. */
  rules(): RuleRecord[];
  /** Whether the service takes detections of this name. */
  subscribed(name: string): boolean;
  sendDetection(name: string, data: Record<string, unknown>, about: string): Promise<CallEntry>;
}

/**
 * The sensors of the emulated org: every task the service sends through the API gets a reply
 * event per command, which is run through the org's D&R rules like LimaCharlie would; each
 * `report` of a matching rule the service subscribes to comes back to it as a `detection`. That
 * is the whole interactive loop: the service's rule (`routing/investigation_id` starts with its
 * prefix) turns replies to its tracked tasks into detections routed to its callbacks.
 */
export class TaskResponder {
  private readonly pending = new Set<Promise<void>>();
  private readonly unsupportedNoted = new Set<string>();
  private accepting = true;

  constructor(private readonly ctx: ResponderContext) {}

  /** For `fake.onTask`: records the task and answers it once its POST is answered. */
  readonly onTask = (task: FakeTask): void => {
    const sensor = this.ctx.sensor(task.sid);
    const record: TaskRecord = {
      id: this.ctx.timeline.tasks.length + 1,
      at: this.ctx.now(),
      sid: task.sid,
      hostname: sensor?.hostname ?? task.sid,
      commands: [...task.tasks],
      ...(task.investigationId === undefined ? {} : { investigationId: task.investigationId }),
      outcomes: [],
    };
    this.ctx.timeline.add({ kind: 'task', at: record.at, task: record });
    if (!this.accepting) {
      record.outcomes.push('not answered: the run was stopping');
      return;
    }
    // After the current tick, so the task POST is answered before its reply is sent.
    const work = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.answer(record))
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  };

  /** Stops answering new tasks (the run is ending). */
  close(): void {
    this.accepting = false;
  }

  /** Resolves when no reply is in flight, including replies to tasks sent by replies. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async answer(record: TaskRecord): Promise<void> {
    if (!this.ctx.isOnline(record.sid)) {
      record.outcomes.push('not answered: the sensor is offline');
      return;
    }
    const sensor = this.ctx.sensor(record.sid) ?? { sid: record.sid, hostname: record.hostname };
    for (const command of record.commands) {
      const reply = sensorReply(command);
      const routing: Record<string, unknown> = {
        sid: record.sid,
        hostname: sensor.hostname,
        event_type: reply.eventType,
      };
      if (record.investigationId !== undefined) routing.investigation_id = record.investigationId;
      const ev: DrEvent = { routing, event: reply.event };
      const reports = this.matchingReports(ev);
      if (reports.length === 0) {
        record.outcomes.push(`${reply.eventType}: no rule matched`);
        continue;
      }
      for (const { name, rule } of reports) {
        const ruleName = `${rule.namespace}/${rule.name}`;
        if (!this.ctx.subscribed(name)) {
          record.outcomes.push(
            `${reply.eventType} → rule ${ruleName} reported ${name}, which the service does not subscribe to`,
          );
          continue;
        }
        const data = detectionData({
          cat: name,
          oid: this.ctx.oid(),
          sensor,
          eventType: reply.eventType,
          ev,
          rule,
          eventTime: this.ctx.epoch(),
        });
        const entry = await this.ctx.sendDetection(
          name,
          data,
          `reply ${reply.eventType} to task #${record.id}`,
        );
        record.outcomes.push(
          `${reply.eventType} → rule ${ruleName} → detection ${name}: ${entry.ok ? 'ok' : 'failed'} (#${entry.seq})`,
        );
      }
    }
  }

  private matchingReports(ev: DrEvent): { name: string; rule: RuleRecord }[] {
    const unsupported = new Set<string>();
    const reports = this.ctx
      .rules()
      .filter((rule) => rule.enabled && detectMatches(rule.detect, ev, unsupported))
      .flatMap((rule) => reportNames(rule.respond).map((name) => ({ name, rule })));
    for (const op of unsupported) {
      if (this.unsupportedNoted.has(op)) continue;
      this.unsupportedNoted.add(op);
      this.ctx.timeline.note(
        this.ctx.now(),
        `a rule uses the D&R operator '${op}', which the emulator does not evaluate (it knows ${SUPPORTED_OPS.join(', ')}): such rules never match here`,
        'warn',
      );
    }
    return reports;
  }
}
