import { isUuid } from './data-path.js';

/** Parameter types LimaCharlie's "request this service" form knows. */
export const REQUEST_PARAM_TYPES = ['str', 'int', 'float', 'bool', 'enum', 'uuid', 'sid'] as const;
export type LcRequestParamType = (typeof REQUEST_PARAM_TYPES)[number];

/** One entry of `health.mtd.request_params`, in the RI's dict form. */
export interface LcRequestParamDef {
  type: LcRequestParamType;
  desc: string;
  is_required?: boolean;
  values?: string[];
  index?: number;
}

export type LcRequestParamDefs = Record<string, LcRequestParamDef>;

/** The RI's reasons and error strings, shared by the dict and the DTO paths so they always agree. */
export const WRONG_DATA_TYPE = 'wrong data type';
export const ENUM_INVALID_VALUE = 'enum has invalid value';

export function invalidParameter(name: string, reason: string): string {
  return `invalid parameter ${name}: ${reason}`;
}

export function missingParameter(name: string): string {
  return `missing parameter ${name}`;
}

/**
 * Checks a definition dict the way the Go port checks command args, so a typo fails where it is
 * written instead of rejecting every request. Returns the first problem, or undefined.
 */
export function checkRequestParamDefs(defs: unknown): string | undefined {
  if (typeof defs !== 'object' || defs === null || Array.isArray(defs)) {
    return 'request parameters must be an object of {name: {type, desc, is_required?, values?}}';
  }
  for (const [name, def] of Object.entries(defs as Record<string, unknown>)) {
    if (typeof def !== 'object' || def === null) return `parameter '${name}' must be an object`;
    const { type, desc, values, is_required: required } = def as Record<string, unknown>;
    if (!REQUEST_PARAM_TYPES.includes(type as LcRequestParamType)) {
      return `parameter '${name}' has unknown type ${JSON.stringify(type)}; use one of ${REQUEST_PARAM_TYPES.join(', ')}`;
    }
    if (typeof desc !== 'string' || desc.trim() === '') {
      return `parameter '${name}' needs a non-empty 'desc' (LimaCharlie shows it in the request form)`;
    }
    if (required !== undefined && typeof required !== 'boolean') {
      return `parameter '${name}': 'is_required' must be a boolean`;
    }
    if (type === 'enum') {
      if (
        !Array.isArray(values) ||
        values.length === 0 ||
        !values.every((v) => typeof v === 'string')
      ) {
        return `parameter '${name}' is an enum and needs a non-empty 'values' list of strings`;
      }
    } else if (values !== undefined) {
      return `parameter '${name}' has 'values' but is not an enum`;
    }
  }
  return undefined;
}

function hasType(def: LcRequestParamDef, value: unknown): boolean {
  switch (def.type) {
    case 'str':
      return typeof value === 'string';
    case 'int':
      // JSON has one number type: 3.0 arrives as 3 and is an int; `true` is not (the RI let it be).
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string';
    case 'uuid':
    case 'sid':
      return isUuid(value);
  }
}

/**
 * Validates `request` data against the definitions with the RI's rules and error strings: extra
 * keys are allowed, `null` counts as absent (the UI sends it for unset fields), the first failure
 * wins. Returns the error string, or undefined when the data is valid.
 */
export function validateRequestParams(
  defs: LcRequestParamDefs,
  data: Record<string, unknown>,
): string | undefined {
  for (const [name, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    const def = Object.hasOwn(defs, name) ? defs[name] : undefined;
    if (def === undefined) continue;
    if (!hasType(def, value)) return invalidParameter(name, WRONG_DATA_TYPE);
    if (def.type === 'enum' && !(def.values ?? []).includes(value as string)) {
      return invalidParameter(name, ENUM_INVALID_VALUE);
    }
  }
  for (const [name, def] of Object.entries(defs)) {
    if (!def.is_required) continue;
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    if (value === null || value === undefined) return missingParameter(name);
  }
  return undefined;
}
