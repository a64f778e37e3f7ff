import { Inject, Injectable } from '@nestjs/common';
import type { LcHandlerEntry } from '../call/lc-handler-entry.js';
import type { LcCall, LcCallTask, LcRequest } from '../call/lc-request.js';
import { Job } from '../jobs/index.js';
import { LC_OPTIONS } from '../lc-service.constants.js';
import { LcConfigError } from '../options/lc-config-error.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import type { TaskTracker, TrackedTaskOptions } from '@nestjs-lc-service/limacharlie';
import { stringAt } from '../protocol/service/data-path.js';
import type { LcWireResponse } from '../protocol/service/response.js';
import { LcServiceState } from '../service/lc-service.state.js';
import { InvestigationIdCodec, LcTaskError, type LcTaskTarget } from './investigation-id.js';
import { interactiveNames, interactiveRule } from './interactive-rule.js';
import { LcLogger } from '../logging/lc-logger.js';

/** What happens to the interactive rule after a lifecycle call. */
export type LcRuleStep = 'push' | 'remove';

/** A Map: an etype such as `__proto__` or `toString` must not find an inherited value. */
const LIFECYCLE: ReadonlyMap<string, LcRuleStep> = new Map([
  ['org_install', 'push'],
  ['org_per_1h', 'push'],
  ['org_uninstall', 'remove'],
]);

/** A detection that belongs to the interactive flow: its callback, or why it is refused. */
export type LcRoutedReply =
  { entry: LcHandlerEntry; task: LcCallTask; callback: string } | { refused: string };

/**
 * Interactive services: the D&R rule that reports replies to tracked tasks, the callback
 * registry, and the authenticated investigation ids that tie a reply to its callback, job and
 * ctx. Stateless across replicas: everything a reply needs travels in its id.
 */
@Injectable()
export class LcInteractive implements TaskTracker {
  private readonly logger = new LcLogger('LcService');
  private readonly codec: InvestigationIdCodec | undefined;
  private readonly names: ReturnType<typeof interactiveNames>;
  private readonly callbacks = new Map<string, LcHandlerEntry>();
  private readonly byMethod = new Map<unknown, string>();

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    state: LcServiceState,
  ) {
    this.names = interactiveNames(options.serviceName);
    if (options.interactive === undefined) return;
    if (options.secrets.length === 0) {
      throw new LcConfigError(
        "LcServiceModule: option 'interactive' needs 'secret': tracked-task ids are authenticated with a key derived from it. Set secret (allowUnsigned cannot be used with interactive).",
      );
    }
    this.codec = new InvestigationIdCodec(
      options.serviceName,
      options.secrets,
      options.interactive.ttlSeconds,
    );
    state.detectSubscriptions.add(this.names.report);
    for (const etype of ['detection', ...LIFECYCLE.keys()]) state.moduleCallbacks.add(etype);
    state.changed();
  }

  get enabled(): boolean {
    return this.codec !== undefined;
  }

  /** The rule's name, report and id prefix in each org. */
  get ruleNames(): { rule: string; report: string; prefix: string } {
    return this.names;
  }

  register(name: string, entry: LcHandlerEntry, method: unknown): void {
    if (!this.enabled) {
      throw new LcConfigError(
        `LcServiceModule: ${entry.name} is an @LcTaskCallback, but option 'interactive' is off. Set interactive: true in LcServiceModule.forRoot().`,
      );
    }
    const other = this.callbacks.get(name);
    if (other !== undefined) {
      throw new LcConfigError(
        `LcServiceModule: two task callbacks are named '${name}': ${other.name} and ${entry.name}. Give one an explicit name: @LcTaskCallback('other-name').`,
      );
    }
    this.callbacks.set(name, entry);
    this.byMethod.set(method, name);
  }

  /** TaskTracker: the authenticated investigation id of a tracked task sent to `target`. */
  investigationId(task: TrackedTaskOptions, target: LcTaskTarget): string {
    if (this.codec === undefined) {
      throw new LcTaskError('tracked tasking needs LcServiceModule.forRoot({ interactive: true })');
    }
    const { callback, job, ctx } = task;
    const name = typeof callback === 'string' ? callback : this.byMethod.get(callback);
    if (name === undefined || !this.callbacks.has(name)) {
      throw new LcTaskError(
        typeof callback === 'string'
          ? `no @LcTaskCallback is named '${callback}'`
          : 'the callback is not an @LcTaskCallback method: pass the method itself (this.onReply, not a bound or arrow function) or its name',
      );
    }
    return this.codec.encode({ callback: name, jobId: job?.getId(), ctx }, target);
  }

  /**
   * A detection carrying one of our ids (or our report name) is the interactive flow's: its
   * callback when the id is authentic, still alive, and comes from the org (the call's oid) and
   * sensor (the sid the callback sees) its task was sent to; refused otherwise. Other
   * detections: undefined.
   */
  route(call: LcRequest): LcRoutedReply | undefined {
    const codec = this.codec;
    if (codec === undefined) return undefined;
    const data = call.data;
    const id =
      stringAt(data, 'detect', 'routing', 'investigation_id') ??
      stringAt(data, 'routing', 'investigation_id');
    if (id === undefined || !codec.owns(id)) {
      return data.cat === this.names.report
        ? { refused: 'a report of the interactive rule without a tracked-task id' }
        : undefined;
    }
    const decoded = codec.decode(id, call);
    if (!decoded.ok) return { refused: decoded.reason };
    const { callback, jobId, ctx } = decoded.task;
    const entry = this.callbacks.get(callback);
    if (entry === undefined) return { refused: `unknown task callback '${callback}'` };
    const event = typeof data.detect === 'object' && data.detect !== null ? data.detect : {};
    return {
      entry,
      callback,
      task: { event, job: jobId === undefined ? null : new Job(jobId), ctx },
    };
  }

  /** The rule step of a lifecycle etype, or undefined (not one, or interactive off). */
  ruleStep(etype: string): LcRuleStep | undefined {
    return this.enabled ? LIFECYCLE.get(etype) : undefined;
  }

  /**
   * Pushes or removes the rule after the user's handler answered (as the RI does). A failure is
   * logged and turns the answer into a failure: with retry when LimaCharlie trying again can
   * help, without when the call itself lacks what the step needs.
   */
  async applyRule(step: LcRuleStep, call: LcCall, wire: LcWireResponse): Promise<LcWireResponse> {
    const problem = await this.ruleProblem(step, call);
    if (problem === undefined) return wire;
    const error = call.redact(`interactive rule ${step} failed: ${problem.reason}`);
    this.logger.error(`${call.eventType} for ${call.oid ?? '-'}: ${error}`);
    return {
      ...wire,
      success: false,
      retry: problem.retry || (!wire.success && wire.retry === true),
      error: wire.success || wire.error === undefined ? error : `${wire.error}; ${error}`,
    };
  }

  private async ruleProblem(
    step: LcRuleStep,
    call: LcCall,
  ): Promise<{ reason: string; retry: boolean } | undefined> {
    const { rule } = this.names;
    try {
      // Inside the try: a clientFactory of the app's may throw, and that is this step failing.
      const client = call.client;
      if (client === null) return { reason: 'the call carries no org JWT', retry: false };
      if (step === 'push') {
        await client.rules.sync({ [rule]: interactiveRule(this.options.serviceName) });
      } else {
        await client.rules.delete(rule, { namespace: 'managed', missingOk: true });
      }
      return undefined;
    } catch (err) {
      return { reason: err instanceof Error ? err.message : String(err), retry: true };
    }
  }
}
