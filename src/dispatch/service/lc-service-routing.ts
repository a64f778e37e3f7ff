import { Injectable } from '@nestjs/common';
import type { LcHttpReply } from '../../call/lc-http-reply.js';
import { whenSettled, type LcMaybePromise } from '../../call/lc-maybe-promise.js';
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

  /** At once when nothing waits: a flat DTO, no rule step, a handler that returns synchronously. */
  route(envelope: LcEnvelope, call: LcCall): LcMaybePromise<LcHttpReply> {
    const interactive = this.interactive;
    if (envelope.etype === 'detection' && interactive.enabled) {
      const routed = interactive.route(call);
      if (routed !== undefined) {
        return whenSettled(this.taskReply(routed, call), (wire) => this.reply(wire, call));
      }
    }
    const ruleStep = interactive.ruleStep(envelope.etype);
    const entry = this.registry.find(envelope.etype, envelope.data);
    if (entry === undefined) {
      if (ruleStep === undefined) return this.reply(failure(NOT_IMPLEMENTED, false, true));
      return interactive
        .applyRule(ruleStep, call, { success: true, data: {} })
        .then((wire) => this.reply(wire, call));
    }
    const answer = (wire: LcWireResponse): LcMaybePromise<LcHttpReply> =>
      ruleStep === undefined
        ? this.reply(wire, call)
        : interactive.applyRule(ruleStep, call, wire).then((ruled) => this.reply(ruled, call));
    if (entry.params !== undefined) {
      return whenSettled(entry.params.validate(envelope.data), (checked) => {
        if (!checked.ok) return this.reply(failure(checked.error, false));
        call.params = checked.value;
        return whenSettled(this.invoker.invoke(entry, call), answer);
      });
    }
    if (envelope.etype === 'request' && this.state.requestParams !== undefined) {
      const invalid = validateRequestParams(this.state.requestParams, envelope.data);
      if (invalid !== undefined) return this.reply(failure(invalid, false));
    }
    return whenSettled(this.invoker.invoke(entry, call), answer);
  }

  /** A reply to a tracked task: its callback `(lc, oid, event, job, ctx)`, or a refusal. */
  private taskReply(routed: LcRoutedReply, call: LcCall): LcMaybePromise<LcWireResponse> {
    if ('refused' in routed) {
      this.logger.warn(
        `refused an interactive detection for ${call.oid ?? '-'}: ${routed.refused}`,
      );
      return failure(routed.refused, false);
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
