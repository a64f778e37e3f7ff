import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  rejection,
  retryLater,
  SHUTTING_DOWN,
  UNAUTHORIZED,
  type LcHttpReply,
} from '../../call/lc-http-reply.js';
import type { LcMaybePromise } from '../../call/lc-maybe-promise.js';
import { LcCall } from '../../call/lc-request.js';
import { LcHealth } from '../../health/lc-health.js';
import { LC_OPTIONS } from '../../lc-service.constants.js';
import type { ResolvedLcOptions } from '../../options/lc-service.options.js';
import {
  LcEnvelopeError,
  parseEnvelope,
  PROTOCOL_VERSION,
  type LcEnvelope,
} from '../../protocol/service/envelope.js';
import { answerGetResource, resourceReferencePrefix } from '../../protocol/service/resources.js';
import {
  DEADLINE_EXCEEDED,
  failure,
  UNSUPPORTED_VERSION,
} from '../../protocol/service/response.js';
import { SIGNATURE_HEADER, SignatureVerifier } from '../../protocol/service/signature.js';
import { LcServiceState } from '../../service/lc-service.state.js';
import { LcClients } from '../lc-clients.js';
import { errorAnswer } from '../lc-result.js';
import type { LcWebhookProtocol } from '../lc-protocol.js';
import { wireReply } from '../lc-wire-reply.js';
import { LcServiceRouting } from './lc-service-routing.js';
import { LcLogger } from '../../logging/lc-logger.js';

/**
 * The Service protocol (`lc-svc-sig`, the `{version, oid, mid, deadline, jwt, etype, data}`
 * envelope) behind the pipeline's interface: the etypes the module answers itself (`health`,
 * `get_resource`) here, the rest routed to user code.
 */
@Injectable()
export class LcServiceRules implements LcWebhookProtocol<LcEnvelope, LcCall>, OnModuleInit {
  readonly signatureHeader = SIGNATURE_HEADER;
  readonly unauthorized = UNAUTHORIZED;
  readonly shuttingDown = SHUTTING_DOWN;
  private readonly logger = new LcLogger('LcService');
  private readonly verifier: SignatureVerifier | undefined;
  private readonly resourcePrefix: string;

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    private readonly health: LcHealth,
    private readonly state: LcServiceState,
    private readonly routing: LcServiceRouting,
    private readonly clients: LcClients,
  ) {
    this.verifier = options.secrets.length > 0 ? new SignatureVerifier(options.secrets) : undefined;
    this.resourcePrefix = resourceReferencePrefix(options.serviceName);
  }

  /** At init, not construction: the app's logger is in place by then. */
  onModuleInit(): void {
    if (this.verifier === undefined) {
      this.logger.warn(
        '!!! allowUnsigned is on: calls are NOT authenticated and anyone who can reach this service can drive it. Never run like this in production: set the secret option. !!!',
      );
    }
  }

  refusal(status: number, error: string, retry: boolean): LcHttpReply {
    return retry ? retryLater(status, error) : rejection(status, error);
  }

  verify(body: Buffer, signature: unknown): boolean {
    return this.verifier === undefined || this.verifier.verify(body, signature);
  }

  parse(body: Buffer): { message: LcEnvelope } | { rejected: LcHttpReply } {
    try {
      return { message: parseEnvelope(body) };
    } catch (err) {
      if (!(err instanceof LcEnvelopeError)) throw err;
      this.logger.warn(`rejected a signed call: ${err.message}`);
      return { rejected: rejection(400, err.message) };
    }
  }

  open(envelope: LcEnvelope): LcCall {
    return new LcCall(envelope, this.clients.create);
  }

  label(envelope: LcEnvelope): string {
    return envelope.etype;
  }

  answer(envelope: LcEnvelope, call: LcCall): LcMaybePromise<LcHttpReply> {
    if (envelope.version > PROTOCOL_VERSION) {
      return this.reply(failure(UNSUPPORTED_VERSION, false, true));
    }
    if (call.deadlineMs !== undefined && call.deadlineMs <= Date.now()) {
      return this.reply(failure(DEADLINE_EXCEEDED, false));
    }
    switch (envelope.etype) {
      case 'health':
        return { status: 200, body: this.health.replyBody() };
      case 'get_resource':
        return this.reply(
          answerGetResource(this.state.resources, envelope.data, this.resourcePrefix),
        );
    }
    return this.routing.route(envelope, call);
  }

  /**
   * A step outside the handler's own error handling threw (a task reply's client, a store): a
   * protocol failure like a handler's thrown error, never an HTTP 500, which LimaCharlie would
   * also retry but without saying why.
   */
  unhandled(call: LcCall, err: unknown): LcHttpReply {
    const context = `${call.eventType} failed outside its handler`;
    const wire = errorAnswer(call, err, this.options.exposeErrors, this.logger, context, true);
    return this.reply(wire, call);
  }

  private reply(wire: Parameters<typeof wireReply>[0], call?: LcCall): LcHttpReply {
    return wireReply(wire, this.logger, call);
  }
}
