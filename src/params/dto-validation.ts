import type { Type } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import {
  ENUM_INVALID_VALUE,
  invalidParameter,
  validateRequestParams,
  WRONG_DATA_TYPE,
  type LcRequestParamDefs,
} from '../protocol/service/request-params.js';
import { LcDtoCheck, type LcDtoChecked } from './dto-check.js';
import { constraintKind, deriveParamDefs } from './dto-schema.js';

/** The DTO instance to hand to the handler, or the error string LimaCharlie gets. */
export type LcParamsOutcome = { ok: true; value: object } | { ok: false; error: string };

/**
 * A DTO compiled at boot: its `request_params` definitions, and the per-call check. A call is
 * checked first by the RI's rules on the wire data (types, enum values, required parameters: the
 * same function and strings as `setRequestParameters`), then transformed with class-transformer
 * and validated with class-validator for the DTO's other rules (@Min, @Matches, custom ones).
 */
export class LcDtoParams {
  readonly defs: LcRequestParamDefs;
  private readonly keys: readonly string[];
  private readonly check: LcDtoCheck;

  constructor(
    readonly dto: Type<object>,
    where: string,
  ) {
    this.defs = deriveParamDefs(dto, where);
    this.keys = Object.keys(this.defs);
    this.check = new LcDtoCheck(dto);
  }

  /** Synchronous when the data holds and the DTO is flat (see LcDtoCheck). */
  validate(data: Record<string, unknown>): LcParamsOutcome | Promise<LcParamsOutcome> {
    const invalid = validateRequestParams(this.defs, data);
    if (invalid !== undefined) return { ok: false, error: invalid };
    try {
      const checked = this.check.run(this.declaredValues(data));
      return checked instanceof Promise ? checked.then(outcomeOf, failed) : outcomeOf(checked);
    } catch (err) {
      return failed(err);
    }
  }

  /**
   * Declared, set values only: `null` means "not given" (the UI sends it for empty fields), so the
   * DTO's property defaults apply; and no other key of `data` (`__proto__`, `constructor`...) can
   * reach class-transformer.
   */
  private declaredValues(data: Record<string, unknown>): Record<string, unknown> {
    const plain: Record<string, unknown> = {};
    for (const key of this.keys) {
      const value = Object.hasOwn(data, key) ? data[key] : undefined;
      if (value !== null && value !== undefined) plain[key] = value;
    }
    return plain;
  }
}

function outcomeOf({ instance, errors }: LcDtoChecked): LcParamsOutcome {
  if (errors.length > 0) return { ok: false, error: errorString(errors[0]) };
  return { ok: true, value: instance };
}

/** A throwing @Transform or custom validator: the same data would fail again. */
function failed(err: unknown): LcParamsOutcome {
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, error: `parameter validation failed: ${message}` };
}

/** `invalid parameter <k>: <reason>` with the RI's reasons for type and enum failures. */
function errorString(error: ValidationError): string {
  return invalidParameter(error.property, reasonOf(error));
}

function reasonOf(error: ValidationError): string {
  const constraints = error.constraints ?? {};
  const names = Object.keys(constraints);
  const kinds = names.map(constraintKind);
  if (kinds.includes('type')) return WRONG_DATA_TYPE;
  if (kinds.includes('enum')) return ENUM_INVALID_VALUE;
  const message = names.length > 0 ? constraints[names[0]] : '';
  // class-validator's messages start with the property name, which the error string already has.
  const own = `${error.property} `;
  const reason = message.startsWith(own) ? message.slice(own.length) : message;
  return reason === '' ? 'invalid value' : reason;
}
