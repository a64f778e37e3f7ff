import { IS_BOOLEAN, IS_ENUM, IS_IN, IS_INT, IS_NUMBER, IS_STRING, IS_UUID } from 'class-validator';
import { LcConfigError } from '../options/lc-config-error.js';
import type {
  LcRequestParamDef,
  LcRequestParamDefs,
  LcRequestParamType,
} from '../protocol/service/request-params.js';
import {
  enumSources,
  enumValuesOf,
  isOptional,
  RESERVED_PROPERTIES,
  rulesByProperty,
  type ValidationMetadata,
} from './dto-metadata.js';
import { IS_SID } from './is-sid.decorator.js';
import { lcParamsOf, type LcParamMeta } from './lc-param.decorator.js';

interface TypeDecorator {
  type: LcRequestParamType;
  /** How the user wrote it, for boot errors. */
  decorator: string;
}

/** class-validator constraint name → the parameter type LimaCharlie's form knows. */
const TYPE_DECORATORS: ReadonlyMap<string, TypeDecorator> = new Map([
  [IS_STRING, { type: 'str', decorator: '@IsString()' }],
  [IS_INT, { type: 'int', decorator: '@IsInt()' }],
  [IS_NUMBER, { type: 'float', decorator: '@IsNumber()' }],
  [IS_BOOLEAN, { type: 'bool', decorator: '@IsBoolean()' }],
  [IS_IN, { type: 'enum', decorator: '@IsIn()' }],
  [IS_ENUM, { type: 'enum', decorator: '@IsEnum()' }],
  [IS_UUID, { type: 'uuid', decorator: '@IsUUID()' }],
  [IS_SID, { type: 'sid', decorator: '@IsSid()' }],
]);

/** A narrower type and the one it refines: `@IsString() @IsUUID()` is a uuid, not a conflict. */
const REFINES: Partial<Record<LcRequestParamType, LcRequestParamType>> = {
  int: 'float',
  enum: 'str',
  uuid: 'str',
  sid: 'str',
};

const TYPE_HINT =
  'Add one of @IsString(), @IsInt(), @IsNumber(), @IsBoolean(), @IsIn([...]), @IsEnum(E), @IsUUID() or @IsSid().';

/**
 * What a failed class-validator constraint means in the RI's words: a type check, an enum check,
 * or another rule (@Min, @Matches...).
 */
export function constraintKind(name: string): 'type' | 'enum' | 'other' {
  const known = TYPE_DECORATORS.get(name);
  if (known === undefined) return 'other';
  return known.type === 'enum' ? 'enum' : 'type';
}

/**
 * Derives `request_params` entries `{type, desc, is_required, values?, index}` from a DTO's
 * `@LcParam` and class-validator metadata. Runs at boot; `where` starts every error, which names
 * the DTO and the property at fault.
 */
export function deriveParamDefs(dto: unknown, where: string): LcRequestParamDefs {
  if (typeof dto !== 'function') {
    throw new LcConfigError(
      `${where}: expected a class-validator DTO class, got ${dto === null ? 'null' : typeof dto}.`,
    );
  }
  const dtoName = dto.name || 'an anonymous DTO class';
  const params = lcParamsOf(dto);
  const rules = rulesByProperty(dto);
  for (const property of rules.keys()) {
    if (!params.some((p) => p.property === property)) {
      throw new LcConfigError(
        `${where}: ${dtoName}.${property} is validated but has no @LcParam({ description }). ` +
          "LimaCharlie's form shows a description for every parameter: add one.",
      );
    }
  }
  if (params.length === 0) {
    throw new LcConfigError(
      `${where}: ${dtoName} declares no parameter. Mark its properties with @LcParam({ description }) and a class-validator type decorator, or leave the DTO out.`,
    );
  }
  const defs: LcRequestParamDefs = {};
  const indexes = new Map<number, string>();
  params.forEach((param, position) => {
    const at = `${where}: ${dtoName}.${param.property}`;
    const index = param.index ?? position;
    if (!Number.isInteger(index) || index < 0) {
      throw new LcConfigError(
        `${at}: @LcParam 'index' must be a non-negative integer, got ${String(param.index)}.`,
      );
    }
    const other = indexes.get(index);
    if (other !== undefined) {
      throw new LcConfigError(
        `${at}: @LcParam index ${index} is also the index of ${dtoName}.${other}. Give each parameter its own index (or none: the default is its position).`,
      );
    }
    indexes.set(index, param.property);
    defs[param.property] = paramDef(param, rules.get(param.property) ?? [], index, at);
  });
  return defs;
}

function paramDef(
  param: LcParamMeta,
  rules: ValidationMetadata[],
  index: number,
  at: string,
): LcRequestParamDef {
  if (RESERVED_PROPERTIES.has(param.property)) {
    throw new LcConfigError(`${at}: '${param.property}' cannot be a parameter name; rename it.`);
  }
  if (typeof param.description !== 'string' || param.description.trim() === '') {
    throw new LcConfigError(
      `${at}: @LcParam needs a non-empty 'description' (LimaCharlie shows it in the form).`,
    );
  }
  const typed = rules.filter((r) => r.name !== undefined && TYPE_DECORATORS.has(r.name));
  const list = typed.find((r) => r.each);
  if (list !== undefined) {
    throw new LcConfigError(
      `${at}: ${decoratorOf(list)} has { each: true }, but LimaCharlie's form has no list parameters. ${TYPE_HINT}`,
    );
  }
  const types = new Set(typed.map((r) => TYPE_DECORATORS.get(r.name!)!.type));
  for (const type of [...types]) {
    const broader = REFINES[type];
    if (broader !== undefined) types.delete(broader);
  }
  if (types.size === 0) {
    throw new LcConfigError(`${at}: has no type LimaCharlie's form knows. ${TYPE_HINT}`);
  }
  if (types.size > 1) {
    throw new LcConfigError(
      `${at}: conflicting type decorators ${typed.map(decoratorOf).join(', ')}. Keep one type.`,
    );
  }
  const [type] = types;
  const def: LcRequestParamDef = {
    type,
    desc: param.description,
    is_required: !isOptional(rules),
  };
  if (type === 'enum') def.values = enumValues(typed, at);
  def.index = index;
  return def;
}

function enumValues(typed: ValidationMetadata[], at: string): string[] {
  const sources = enumSources(typed);
  if (sources.length > 1) {
    throw new LcConfigError(
      `${at}: ${sources.map(decoratorOf).join(' and ')} both list the allowed values; keep one.`,
    );
  }
  const [source] = sources;
  const values = enumValuesOf(source);
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    !values.every((v) => typeof v === 'string' && v !== '')
  ) {
    throw new LcConfigError(
      `${at}: ${decoratorOf(source)} must allow a non-empty list of non-empty strings (LimaCharlie's form sends strings), got ${JSON.stringify(values)}.`,
    );
  }
  return [...values];
}

function decoratorOf(rule: ValidationMetadata): string {
  return TYPE_DECORATORS.get(rule.name!)!.decorator;
}
