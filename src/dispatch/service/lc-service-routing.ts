import { Injectable } from '@nestjs/common';
import type { LcHttpReply } from '../../call/lc-http-reply.js';
import type { LcCall } from '../../call/lc-request.js';
import { LcHandlerRegistry } from '../../discovery/lc-handler.registry.js';
import { LcInteractive, type LcRoutedReply } from '../../interactive/lc-interactive.js';
import type { LcEnvelope } from '../../protocol/service/envelope.js';
import { validateRequestParams } from '../../protocol/service/request-params.js';
import { failure, NOT_IMPLEMENTED, type LcWireResponse } from '../../protocol/service/response.js';
import { LcServiceState } from '../../service/lc-service.state.js';
import { LcHandlerInvoker } from '../lc-invoker.js';
import { wireReply } from '../lc-wire-reply.js';
import { LcLogger } from '../../logging/lc-logger.js';

/**
 * The Service protocol's routing of a call to user code: replies to tracked tasks to their
 * callback, then the etype (detection name, command name) to its handler with its parameters
 * checked, then the interactive rule step of install and uninstall.
 */
@Injectable()
export class LcServiceRouting {
  private readonly logger = new LcLogger('LcService');

  constructor(
    private readonly registry: LcHandlerRegistry,
    private readonly interactive: LcInteractive,
    private readonly state: LcServiceState,
    private readonly invoker: LcHandlerInvoker,
  ) {}

  async route(envelope: LcEnvelope, call: LcCall): Promise<LcHttpReply> {
    const interactive = this.interactive;
    if (envelope.etype === 'detection' && interactive.enabled) {
      const routed = interactive.route(call);
      if (routed !== undefined) return this.reply(await this.taskReply(routed, call), call);
    }
    const ruleStep = interactive.ruleStep(envelope.etype);
    const entry = this.registry.find(envelope.etype, envelope.data);
    if (entry === undefined) {
      if (ruleStep === undefined) return this.reply(failure(NOT_IMPLEMENTED, false, true));
      return this.reply(
        await interactive.applyRule(ruleStep, call, { success: true, data: {} }),
        call,
      );
    }
    if (entry.params !== undefined) {
      let checked = entry.params.validate(envelope.data);
      if (checked instanceof Promise) checked = await checked;
      if (!checked.ok) return this.reply(failure(checked.error, false));
      call.params = checked.value;
    } else if (envelope.etype === 'request' && this.state.requestParams !== undefined) {
      const invalid = validateRequestParams(this.state.requestParams, envelope.data);
      if (invalid !== undefined) return this.reply(failure(invalid, false));
    }
    const wire = await this.invoker.invoke(entry, call);
    if (ruleStep === undefined) return this.reply(wire, call);
    return this.reply(await interactive.applyRule(ruleStep, call, wire), call);
  }

  /** A reply to a tracked task: its callback `(lc, oid, event, job, ctx)`, or a refusal. */
  private taskReply(routed: LcRoutedReply, call: LcCall): Promise<LcWireResponse> {
    if ('refused' in routed) {
      this.logger.warn(
        `refused an interactive detection for ${call.oid ?? '-'}: ${routed.refused}`,
      );
      return Promise.resolve(failure(routed.refused, false));
    }
    const { entry, task } = routed;
    call.task = task;
    const lc = entry.wantsClientArg ? call.client : null;
    return this.invoker.run(entry, call, [lc, call.oid, task.event, task.job, task.ctx, call]);
  }

  private reply(wire: LcWireResponse, call?: LcCall): LcHttpReply {
    return wireReply(wire, this.logger, call);
  }
}
