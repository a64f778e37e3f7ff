import { Injectable } from '@nestjs/common';
import type { LcInvoke } from '../call/lc-handler-entry.js';
import type { LcActionOptions } from '../decorators/lc-extension.decorators.js';
import type { LcExtDto } from '../params/ext-dto.js';

/** One discovered Extension handler, ready to call. */
export interface LcExtEntry {
  /** `Class.method`, for errors and logs. */
  readonly name: string;
  readonly invoke: LcInvoke;
  /** No LC parameter decorators: called with the request alone. */
  readonly plain: boolean;
  /** Gets the client (`@LcClient()`): a failure reading null is explained. */
  readonly usesClient: boolean;
  /** An action's params DTO. */
  readonly params?: LcExtDto;
  /** A redelivered `idempotency_key` gets the first delivery's answer. */
  readonly idempotent: boolean;
}

export interface LcExtActionEntry extends LcExtEntry {
  readonly options: LcActionOptions;
}

/** Actions and events to their handlers, the config DTO, the validator: filled once at boot. */
@Injectable()
export class LcExtRegistry {
  readonly actions = new Map<string, LcExtActionEntry>();
  readonly events = new Map<string, LcExtEntry>();
  /** Action names, for checking continuations. */
  readonly actionNames = new Set<string>();
  config: LcExtDto | undefined = undefined;
  configValidator: LcExtEntry | undefined = undefined;
  errorReport: LcExtEntry | undefined = undefined;
  /** The `data` of the schema_request answer, computed at boot. */
  schema: Record<string, unknown> = {};
}
