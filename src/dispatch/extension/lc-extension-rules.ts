import { Inject, Injectable } from '@nestjs/common';
import type { LcHttpReply } from '../../call/lc-http-reply.js';
import { LcExtCall } from '../../call/lc-ext-call.js';
import { whenSettled, type LcMaybePromise } from '../../call/lc-maybe-promise.js';
import { LcExtRegistry, type LcExtEntry } from '../../discovery/lc-ext-registry.js';
import { LC_OPTIONS } from '../../lc-service.constants.js';
import type { LcMetrics } from '../../metrics/lc-metrics.js';
import { LC_METRICS, LC_TELEMETRY } from '../../operations/operations.tokens.js';
import type { LcTelemetry } from '../../telemetry/lc-telemetry.js';
import type { ResolvedLcExtOptions } from '../../options/extension-options.js';
import type { LcClientFactory } from '../../options/lc-service.options.js';
import type { LcExtDto, LcExtDtoOutcome } from '../../params/ext-dto.js';
import {
  EXT_PROTOCOL_VERSION,
  extFailure,
  extStatusOf,
  LcExtMessageError,
  parseExtMessage,
  type LcExtMessage,
  type LcExtWireResponse,
} from '../../protocol/extension/messages.js';
import { EXT_SIGNATURE_HEADER } from '../../protocol/extension/signature.js';
import { SignatureVerifier } from '../../protocol/service/signature.js';
import { clientFactoryOf } from '../lc-clients.js';
import type { LcWebhookProtocol } from '../lc-protocol.js';
import { gunzipBounded, LcGunzipTimeoutError, LcGunzipTooLargeError } from './gunzip.js';
import { LcExtInvoker } from './lc-ext-invoker.js';
import { LcLogger } from '../../logging/lc-logger.js';

function answer(status: number, wire: LcExtWireResponse, close = false): LcHttpReply {
  return { status, body: JSON.stringify(wire), ...(close ? { close } : {}) };
}

/**
 * JSON.stringify(wire), with the envelope of a plain success written out: stringifying the
 * wrapper object cost about as much again as its `data`.
 */
function serialised(wire: LcExtWireResponse): string {
  if (
    wire.error === '' &&
    wire.retriable === undefined &&
    wire.continuations === undefined &&
    wire.metrics === undefined &&
    Number.isSafeInteger(wire.version)
  ) {
    if (wire.data === undefined) return `{"error":"","version":${wire.version}}`;
    const data = JSON.stringify(wire.data);
    if (data !== undefined) return `{"error":"","version":${wire.version},"data":${data}}`;
  }
  return JSON.stringify(wire);
}

/** A reachability probe (a POST without `lc-ext-sig`): 200 with an empty object, nothing run. */
const PROBE: LcHttpReply = { status: 200, body: '{}' };
const OK: LcExtWireResponse = Object.freeze({ error: '', version: EXT_PROTOCOL_VERSION });

/** How many distinct valid configs are remembered: an extension's orgs, most of them alike. */
const MAX_VALID_CONFIGS = 256;
/** A config longer than this as JSON is validated on every call rather than kept. */
const MAX_CONFIG_KEY_CHARS = 16 * 1024;

function configKey(config: Record<string, unknown>): string | undefined {
  const key = JSON.stringify(config);
  return key.length <= MAX_CONFIG_KEY_CHARS ? key : undefined;
}

/** An org's last valid config when all its fields are primitives: compared without JSON. */
interface LcOrgConfig {
  readonly source: Readonly<Record<string, unknown>>;
  readonly fields: number;
  /** Its entry in `validConfigs`, which stays the authority (eviction, a fresh refusal). */
  readonly key: string;
}

function flatCopy(config: Record<string, unknown>): LcOrgConfig['source'] | undefined {
  const source: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === 'object' && value !== null) return undefined;
    Object.defineProperty(source, name, { value, enumerable: true });
  }
  return source;
}

function sameFlat(known: LcOrgConfig, config: Record<string, unknown>): boolean {
  let fields = 0;
  for (const name in config) {
    if (!Object.hasOwn(config, name)) continue;
    const value = config[name];
    if (typeof value === 'object' && value !== null) return false;
    if (!Object.hasOwn(known.source, name) || known.source[name] !== value) return false;
    fields++;
  }
  return fields === known.fields;
}

/** Each call gets its own instance: what a handler sets on its config stays in that call. */
function copyOf(config: object): object {
  return Object.assign(
    Object.create(Object.getPrototypeOf(config) as object | null) as object,
    config,
  );
}

/**
 * The Extension protocol (`lc-ext-sig`, gzip bodies, `Message` / `Response`) behind the
 * pipeline's interface: the messages the module answers itself (heartbeat, schema_request) here,
 * the others checked (config and params DTOs) and routed to their handlers.
 */
@Injectable()
export class LcExtensionRules implements LcWebhookProtocol<LcExtMessage, LcExtCall> {
  readonly signatureHeader = EXT_SIGNATURE_HEADER;
  readonly unauthorized = answer(401, extFailure('invalid signature', false));
  readonly shuttingDown = answer(
    503,
    extFailure('the extension is shutting down; retry', true),
    true,
  );
  private readonly logger = new LcLogger('LcExtension');
  private readonly verifier: SignatureVerifier;
  private readonly clients: LcClientFactory;
  /** Configs that validated, by their JSON text: an org's config comes with every call. */
  private readonly validConfigs = new Map<string, object>();
  /**
   * Each org's last valid config, by oid: an org sends the same config on every call, and
   * comparing its fields costs a fraction of writing it out as JSON to look it up.
   */
  private readonly orgConfigs = new Map<string, LcOrgConfig>();

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcExtOptions,
    @Inject(LC_METRICS) metrics: LcMetrics | null,
    @Inject(LC_TELEMETRY) telemetry: LcTelemetry | null,
    private readonly registry: LcExtRegistry,
    private readonly invoker: LcExtInvoker,
  ) {
    this.verifier = new SignatureVerifier(options.secrets);
    this.clients = clientFactoryOf(options, metrics, telemetry);
  }

  /**
   * No signature: a probe. A gzip body is inflated before the signature check (LimaCharlie signs
   * the JSON), within `bodyLimit` bytes and `bodyTimeoutMs`.
   */
  decode(
    body: Buffer,
    signature: unknown,
    contentEncoding: unknown,
  ): Buffer | LcHttpReply | Promise<Buffer | LcHttpReply> {
    if (signature === undefined || signature === '') return PROBE;
    if (contentEncoding === undefined || contentEncoding === 'identity') return body;
    if (typeof contentEncoding !== 'string' || contentEncoding.trim().toLowerCase() !== 'gzip') {
      return answer(
        415,
        extFailure(
          `unsupported Content-Encoding ${JSON.stringify(contentEncoding)}: send gzip or none`,
          false,
        ),
      );
    }
    return this.gunzip(body);
  }

  private async gunzip(body: Buffer): Promise<Buffer | LcHttpReply> {
    const { bodyLimit, bodyTimeoutMs } = this.options;
    try {
      return await gunzipBounded(body, bodyLimit, bodyTimeoutMs);
    } catch (err) {
      if (err instanceof LcGunzipTooLargeError) return answer(413, extFailure(err.message, false));
      if (err instanceof LcGunzipTimeoutError)
        return answer(503, extFailure(err.message, true), true);
      return answer(400, extFailure(`invalid gzip body: ${(err as Error).message}`, false));
    }
  }

  /**
   * The transport's status, with the extension's body. A retriable error never goes out as a 4xx
   * (the protocol's answers are 500 when retriable, 400 when not): a 408 body timeout becomes a
   * 503, as a gzip body that takes too long to inflate.
   */
  refusal(status: number, error: string, retry: boolean): LcHttpReply {
    return answer(retry && status < 500 ? 503 : status, extFailure(error, retry), retry);
  }

  verify(body: Buffer, signature: unknown): boolean {
    return this.verifier.verify(body, signature);
  }

  parse(body: Buffer): { message: LcExtMessage } | { rejected: LcHttpReply } {
    try {
      return { message: parseExtMessage(body) };
    } catch (err) {
      if (!(err instanceof LcExtMessageError)) throw err;
      this.logger.warn(`rejected a signed call: ${err.message}`);
      return { rejected: answer(400, extFailure(err.message, false)) };
    }
  }

  open(message: LcExtMessage): LcExtCall {
    return new LcExtCall(message, this.clients, this.options.timeoutMs);
  }

  label(message: LcExtMessage): string {
    if (message.kind === 'request') return message.request.action;
    if (message.kind === 'event') return message.event.event_name;
    return message.kind;
  }

  answer(message: LcExtMessage, call: LcExtCall): LcMaybePromise<LcHttpReply> {
    const { registry } = this;
    switch (message.kind) {
      case 'heartbeat':
        return this.reply(OK);
      case 'schema_request':
        return this.reply({ ...OK, data: registry.schema });
      case 'error_report': {
        const entry = registry.errorReport;
        if (entry === undefined) {
          this.logger.warn(
            `LimaCharlie reports an error${call.oid === undefined ? '' : ` for ${call.oid}`}: ${message.error_report.error}`,
          );
          return this.reply(OK);
        }
        return whenSettled(this.invoker.invoke(entry, call), this.replyTo);
      }
      case 'conf_validation':
        return whenSettled(this.checkConfig(call, true, true), (refused) => {
          if (refused !== undefined) return this.reply(refused);
          const entry = registry.configValidator;
          if (entry === undefined) return this.reply(OK);
          return whenSettled(this.invoker.invoke(entry, call), this.replyTo);
        });
      case 'request': {
        const { action } = message.request;
        const entry = registry.actions.get(action);
        if (entry === undefined) return this.unknown(`unknown request action: ${action}`, call);
        return whenSettled(this.run(entry, call, true), this.replyTo);
      }
      case 'event': {
        const name = message.event.event_name;
        const entry = registry.events.get(name);
        if (entry === undefined) return this.unknown(`unknown event: ${name}`, call);
        // An org leaving must be able to leave even when its config no longer validates.
        return whenSettled(this.run(entry, call, name !== 'unsubscribe'), this.replyTo);
      }
    }
  }

  unhandled(call: LcExtCall, err: unknown): LcHttpReply {
    const detail = err instanceof Error && err.stack !== undefined ? err.stack : String(err);
    this.logger.error(`${call.eventType} failed outside its handler: ${call.redact(detail)}`);
    const message = err instanceof Error ? err.message : String(err);
    return this.reply(extFailure(call.redact(message), true));
  }

  /** The config DTO, then the params DTO; the handler only when both hold. */
  private run(
    entry: LcExtEntry,
    call: LcExtCall,
    validateConfig: boolean,
  ): LcMaybePromise<LcExtWireResponse> {
    return whenSettled(this.checkConfig(call, validateConfig), (refused) => {
      if (refused !== undefined) return refused;
      if (entry.params === undefined) return this.invoker.invoke(entry, call);
      return whenSettled(entry.params.validate(call.data), (checked) => {
        if (!checked.ok) return extFailure(`invalid data: ${checked.error}`, false);
        call.params = checked.value;
        return this.invoker.invoke(entry, call);
      });
    });
  }

  /**
   * The config DTO of a call. A config that validated before is not validated again on the
   * calls that carry it (class-validator costs as much as the rest of a small call); a
   * `conf_validation`, the user saving a config, always runs its validators.
   */
  private checkConfig(
    call: LcExtCall,
    validate: boolean,
    fresh = false,
  ): LcMaybePromise<LcExtWireResponse | undefined> {
    const dto: LcExtDto | undefined = this.registry.config;
    if (dto === undefined) return undefined;
    const { oid, config } = call;
    const last = fresh || oid === undefined ? undefined : this.orgConfigs.get(oid);
    if (last !== undefined && sameFlat(last, config)) {
      const known = this.validConfigs.get(last.key);
      if (known !== undefined) {
        call.configDto = copyOf(known);
        return undefined;
      }
    }
    const key = configKey(config);
    const known = fresh || key === undefined ? undefined : this.validConfigs.get(key);
    if (known !== undefined) {
      call.configDto = copyOf(known);
      if (oid !== undefined) this.rememberOrg(oid, config, key!);
      return undefined;
    }
    const checked = dto.validate(call.config);
    return checked instanceof Promise
      ? checked.then((outcome) => this.configChecked(call, key, validate, outcome))
      : this.configChecked(call, key, validate, checked);
  }

  private configChecked(
    call: LcExtCall,
    key: string | undefined,
    validate: boolean,
    checked: LcExtDtoOutcome,
  ): LcExtWireResponse | undefined {
    if (checked.ok) {
      if (key !== undefined) {
        this.rememberConfig(key, copyOf(checked.value));
        if (call.oid !== undefined) this.rememberOrg(call.oid, call.config, key);
      }
      call.configDto = checked.value;
      return undefined;
    }
    // What a fresh validation refuses is no longer taken as valid from memory either.
    if (key !== undefined) this.validConfigs.delete(key);
    if (!validate) return undefined;
    return extFailure(`invalid config: ${checked.error}`, false);
  }

  private rememberConfig(key: string, config: object): void {
    const configs = this.validConfigs;
    configs.delete(key);
    if (configs.size >= MAX_VALID_CONFIGS) configs.delete(configs.keys().next().value!);
    configs.set(key, config);
  }

  private rememberOrg(oid: string, config: Record<string, unknown>, key: string): void {
    const orgs = this.orgConfigs;
    orgs.delete(oid);
    const source = flatCopy(config);
    if (source === undefined) return;
    if (orgs.size >= MAX_VALID_CONFIGS) orgs.delete(orgs.keys().next().value!);
    orgs.set(oid, { source, fields: Object.keys(source).length, key });
  }

  private unknown(error: string, call: LcExtCall): LcHttpReply {
    this.logger.warn(`${call.oid ?? '-'}: ${error}`);
    return this.reply(extFailure(error, false));
  }

  private readonly replyTo = (wire: LcExtWireResponse): LcHttpReply => this.reply(wire);

  private reply(wire: LcExtWireResponse): LcHttpReply {
    const outcome = wire.error === '' ? 'success' : wire.retriable === false ? 'failure' : 'retry';
    try {
      return { status: extStatusOf(wire), body: serialised(wire), outcome };
    } catch (err) {
      const error = `the response is not serialisable: ${String(err)}`;
      this.logger.error(error);
      return { status: 400, body: JSON.stringify(extFailure(error, false)), outcome: 'failure' };
    }
  }
}
