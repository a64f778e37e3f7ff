import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import {
  IS_ARRAY,
  IS_BOOLEAN,
  IS_ENUM,
  IS_FQDN,
  IS_IN,
  IS_INT,
  IS_NUMBER,
  IS_STRING,
  IS_URL,
  IS_UUID,
  MATCHES,
  MAX,
  MIN,
  ValidationTypes,
} from 'class-validator';
import {
  lcFieldsOf,
  lcSchemaOf,
  type LcFieldMeta,
  type LcSchemaOptions,
} from '../decorators/lc-field.decorator.js';
import { LcConfigError } from '../options/lc-config-error.js';
import {
  EXT_DATA_TYPES,
  isExtDataType,
  wireSchemaObject,
  wireSchemaRequestResponse,
  type ExtComplexEnumValue,
  type ExtFilter,
  type ExtRequestSchema,
  type ExtSchemaElement,
  type ExtSchemaObject,
  type LcExtDataType,
} from '../protocol/extension/schema.js';
import {
  enumSources,
  enumValuesOf,
  isOptional,
  RESERVED_PROPERTIES,
  rulesByProperty,
  type ValidationMetadata,
} from './dto-metadata.js';
import { IS_SID } from './is-sid.decorator.js';

/** One `@LcAction` as the schema answer describes it. */
export interface LcExtActionSchemaInput {
  name: string;
  params?: Type<object>;
  label?: string;
  /** `short_description`. */
  description?: string;
  longDescription?: string;
  default?: boolean;
  userFacing?: boolean;
  impersonated?: boolean;
  messages?: { inProgress?: string; success?: string; error?: string };
  response?: Type<object>;
}

/** A view of the extension's page in LimaCharlie's UI. */
export interface LcExtView {
  name: string;
  layoutType: string;
  defaultRequests?: string[];
}

/** The `data` of a schema_request answer, exactly as the Go structs' JSON tags produce it. */
export function schemaRequestAnswer(input: {
  views?: LcExtView[];
  config?: Type<object>;
  actions: LcExtActionSchemaInput[];
  requiredEvents: string[];
}): Record<string, unknown> {
  const requestSchema: Record<string, ExtRequestSchema> = {};
  for (const action of input.actions) {
    const where = `LcExtensionModule: @LcAction('${action.name}')`;
    if (typeof action.name !== 'string' || action.name === '') {
      throw new LcConfigError(`${where}: an action needs a non-empty name.`);
    }
    if (Object.hasOwn(requestSchema, action.name)) {
      throw new LcConfigError(
        `${where} is declared twice; each action name maps to one handler. Rename one.`,
      );
    }
    requestSchema[action.name] = {
      isDefault: action.default === true,
      label: action.label,
      isUserFacing: action.userFacing ?? true,
      shortDescription: action.description ?? '',
      longDescription: action.longDescription ?? '',
      messages: action.messages,
      isImpersonated: action.impersonated === true,
      parameters: buildObject(action.params, `${where} params`, []),
      response:
        action.response === undefined
          ? undefined
          : buildObject(action.response, `${where} response`, []),
    };
  }
  const defaults = input.actions.filter((a) => a.default === true).map((a) => a.name);
  if (defaults.length > 1) {
    throw new LcConfigError(
      `LcExtensionModule: actions ${defaults.map((d) => `'${d}'`).join(', ')} are all marked default; LimaCharlie shows one default request. Keep 'default: true' on one.`,
    );
  }
  for (const view of input.views ?? []) {
    const where = `LcExtensionModule: views['${String(view.name)}']`;
    if (typeof view.name !== 'string' || view.name === '') {
      throw new LcConfigError(`${where}: a view needs a non-empty 'name'.`);
    }
    if (typeof view.layoutType !== 'string' || view.layoutType === '') {
      throw new LcConfigError(`${where}: a view needs a non-empty 'layoutType'.`);
    }
    for (const request of view.defaultRequests ?? []) {
      if (!Object.hasOwn(requestSchema, request)) {
        throw new LcConfigError(
          `${where}: defaultRequests names '${request}', which no @LcAction declares. Known actions: ${Object.keys(requestSchema).join(', ') || 'none'}.`,
        );
      }
    }
  }
  return wireSchemaRequestResponse({
    views: input.views,
    configSchema: buildObject(input.config, 'LcExtensionModule: config', []),
    requestSchema,
    requiredEvents: input.requiredEvents,
  });
}

/**
 * The SchemaObject (config_schema / parameters) of a DTO class; throws LcConfigError naming the
 * class and field for a mistake.
 */
export function schemaObjectOf(
  dto: Type<object> | undefined,
  where: string,
): Record<string, unknown> {
  return wireSchemaObject(buildObject(dto, where, []));
}

interface TypeRule {
  type: LcExtDataType;
  /** The type it narrows, which then does not count as a conflict (`@IsString() @IsSid()`). */
  refines?: LcExtDataType;
  decorator: string;
}

/** class-validator constraint name → the data type LimaCharlie's UI shows for it. */
const TYPE_RULES: ReadonlyMap<string, TypeRule> = new Map<string, TypeRule>([
  [IS_STRING, { type: 'string', decorator: '@IsString()' }],
  [IS_INT, { type: 'integer', decorator: '@IsInt()' }],
  [IS_NUMBER, { type: 'integer', decorator: '@IsNumber()' }],
  [IS_BOOLEAN, { type: 'bool', decorator: '@IsBoolean()' }],
  [IS_IN, { type: 'enum', refines: 'string', decorator: '@IsIn()' }],
  [IS_ENUM, { type: 'enum', refines: 'string', decorator: '@IsEnum()' }],
  [IS_SID, { type: 'sid', refines: 'string', decorator: '@IsSid()' }],
  [IS_UUID, { type: 'string', decorator: '@IsUUID()' }],
  [IS_URL, { type: 'url', refines: 'string', decorator: '@IsUrl()' }],
  [IS_FQDN, { type: 'domain', refines: 'string', decorator: '@IsFQDN()' }],
]);

const NESTED_RULE: TypeRule = { type: 'object', decorator: '@ValidateNested()' };

const TYPE_HINT =
  'Add one of @IsString(), @IsInt(), @IsNumber(), @IsBoolean(), @IsIn([...]), @IsEnum(E), @IsSid(), @IsUrl(), @IsFQDN() or @ValidateNested(), or name the type with @LcField({ dataType }).';

function buildObject(
  dto: Type<object> | undefined,
  where: string,
  path: readonly Type<object>[],
): ExtSchemaObject {
  if (dto === undefined) return { fields: {}, requirements: [] };
  if (typeof dto !== 'function') {
    throw new LcConfigError(
      `${where}: expected a class-validator DTO class, got ${dto === null ? 'null' : typeof dto}.`,
    );
  }
  const dtoName = dto.name || 'an anonymous DTO class';
  if (path.includes(dto)) {
    throw new LcConfigError(
      `${where}: ${dtoName} contains itself (${[...path, dto].map((c) => c.name).join(' → ')}); LimaCharlie's schema cannot describe a recursive object. Use dataType 'json' for the recursive field.`,
    );
  }
  const fields = lcFieldsOf(dto);
  const rules = rulesByProperty(dto);
  for (const property of rules.keys()) {
    if (!fields.some((f) => f.property === property)) {
      throw new LcConfigError(
        `${where}: ${dtoName}.${property} is validated but has no @LcField({ label, description }). LimaCharlie's UI shows both for every field: add them.`,
      );
    }
  }
  if (fields.length === 0) {
    throw new LcConfigError(
      `${where}: ${dtoName} declares no field. Mark its properties with @LcField({ label, description }) and class-validator decorators, or leave the DTO out.`,
    );
  }
  const elements: Record<string, ExtSchemaElement> = {};
  const requirements: string[][] = [];
  const indexes = new Map<number, string>();
  fields.forEach((field, position) => {
    const at = `${where}: ${dtoName}.${field.property}`;
    const own = rules.get(field.property) ?? [];
    const element = buildElement(dto, field, own, at, [...path, dto]);
    element.displayIndex = displayIndexOf(field, position, at);
    const other = indexes.get(element.displayIndex);
    if (other !== undefined) {
      throw new LcConfigError(
        `${at}: displayIndex ${element.displayIndex} is also the displayIndex of ${dtoName}.${other}. Give each field its own (or none: the default is its position, from 1).`,
      );
    }
    indexes.set(element.displayIndex, field.property);
    elements[field.property] = element;
    if (!isOptional(own)) requirements.push([field.property]);
  });
  return {
    fields: elements,
    requirements,
    ...schemaOptionsOf(dto, `${where}: @LcSchema on ${dtoName}`),
  };
}

function displayIndexOf(field: LcFieldMeta, position: number, at: string): number {
  if (field.displayIndex === undefined) return position + 1;
  // Go's `display_index` is an omitempty int: 0 would vanish from the answer.
  if (!Number.isSafeInteger(field.displayIndex) || field.displayIndex < 1) {
    throw new LcConfigError(
      `${at}: @LcField 'displayIndex' must be an integer from 1, got ${String(field.displayIndex)}.`,
    );
  }
  return field.displayIndex;
}

function schemaOptionsOf(dto: Type<object>, at: string): Partial<ExtSchemaObject> {
  const options: LcSchemaOptions | undefined = lcSchemaOf(dto);
  if (options === undefined) return {};
  optionalString(options.elementName, `${at}: 'elementName'`);
  optionalString(options.elementDescription, `${at}: 'elementDescription'`);
  if (options.supportedActions !== undefined)
    stringList(options.supportedActions, `${at}: 'supportedActions'`);
  if (options.key !== undefined) {
    if (typeof options.key !== 'object' || options.key === null) {
      throw new LcConfigError(
        `${at}: 'key' must be an object { name, label, description, dataType }.`,
      );
    }
    for (const name of ['name', 'label', 'description', 'placeholder'] as const) {
      optionalString(options.key[name], `${at}: 'key.${name}'`);
    }
    if (options.key.dataType !== undefined)
      dataTypeOf(options.key.dataType, `${at}: 'key.dataType'`);
    if (options.key.displayIndex !== undefined && !Number.isSafeInteger(options.key.displayIndex)) {
      throw new LcConfigError(`${at}: 'key.displayIndex' must be an integer.`);
    }
  }
  return {
    key: options.key,
    elementName: options.elementName,
    elementDescription: options.elementDescription,
    supportedActions: options.supportedActions,
  };
}

function buildElement(
  dto: Type<object>,
  field: LcFieldMeta,
  rules: readonly ValidationMetadata[],
  at: string,
  path: readonly Type<object>[],
): ExtSchemaElement {
  if (RESERVED_PROPERTIES.has(field.property)) {
    throw new LcConfigError(`${at}: '${field.property}' cannot be a field name; rename it.`);
  }
  for (const name of ['label', 'description'] as const) {
    if (typeof field[name] !== 'string' || field[name].trim() === '') {
      throw new LcConfigError(
        `${at}: @LcField needs a non-empty '${name}' (LimaCharlie's UI shows it with the field).`,
      );
    }
  }
  optionalString(field.placeholder, `${at}: @LcField 'placeholder'`);
  if (rules.length === 0) {
    throw new LcConfigError(
      `${at}: has no class-validator decorator, so nothing checks what LimaCharlie sends. ${TYPE_HINT.replace('Add one of', 'Add @IsOptional() or one of')}`,
    );
  }
  const isList = rules.some((r) => r.name === IS_ARRAY || r.each === true);
  const dataType =
    field.dataType === undefined
      ? derivedType(rules, at)
      : dataTypeOf(field.dataType, `${at}: @LcField 'dataType'`);
  const element: ExtSchemaElement = {
    label: field.label,
    description: field.description,
    placeholder: field.placeholder,
    dataType,
    isList,
    defaultValue: jsonValue(field.defaultValue, `${at}: @LcField 'defaultValue'`),
    filter: filterOf(field, rules, at),
  };
  if (dataType === 'enum') element.enumValues = enumValuesFor(field, rules, at);
  else if (field.enumValues !== undefined) {
    throw new LcConfigError(
      `${at}: 'enumValues' only apply to dataType 'enum', this field is '${dataType}'.`,
    );
  }
  if (dataType === 'complex_enum') element.complexEnumValues = complexEnumValuesOf(field, at);
  else if (field.complexEnumValues !== undefined) {
    throw new LcConfigError(
      `${at}: 'complexEnumValues' only apply to dataType 'complex_enum', this field is '${dataType}'.`,
    );
  }
  if (dataType === 'object' || dataType === 'record') {
    element.object = buildObject(nestedClassOf(dto, field, isList, dataType, at), at, path);
  } else if (field.object !== undefined) {
    throw new LcConfigError(
      `${at}: 'object' only applies to dataType 'object' or 'record', this field is '${dataType}'.`,
    );
  }
  return element;
}

function derivedType(rules: readonly ValidationMetadata[], at: string): LcExtDataType {
  const typed: TypeRule[] = [];
  for (const rule of rules) {
    if (rule.type === ValidationTypes.NESTED_VALIDATION) typed.push(NESTED_RULE);
    else if (rule.name !== undefined && TYPE_RULES.has(rule.name))
      typed.push(TYPE_RULES.get(rule.name)!);
  }
  const types = new Set(typed.map((t) => t.type));
  for (const t of typed) if (t.refines !== undefined) types.delete(t.refines);
  if (types.size === 0) {
    throw new LcConfigError(`${at}: has no type LimaCharlie's UI knows. ${TYPE_HINT}`);
  }
  if (types.size > 1) {
    throw new LcConfigError(
      `${at}: conflicting type decorators ${[...new Set(typed.map((t) => t.decorator))].join(', ')}. Keep one type, or name it with @LcField({ dataType }).`,
    );
  }
  return [...types][0];
}

function dataTypeOf(value: unknown, at: string): LcExtDataType {
  if (!isExtDataType(value)) {
    throw new LcConfigError(
      `${at}: unknown data type ${JSON.stringify(value)}; use one of ${EXT_DATA_TYPES.join(', ')}.`,
    );
  }
  return value;
}

function enumValuesFor(
  field: LcFieldMeta,
  rules: readonly ValidationMetadata[],
  at: string,
): (string | number)[] {
  const sources = enumSources(rules);
  if (field.enumValues === undefined && sources.length > 1) {
    throw new LcConfigError(`${at}: @IsIn() and @IsEnum() both list the allowed values; keep one.`);
  }
  const values: unknown =
    field.enumValues ?? (sources.length === 1 ? enumValuesOf(sources[0]) : undefined);
  if (values === undefined) {
    throw new LcConfigError(
      `${at}: an 'enum' field needs its values: add @IsIn([...]) or @IsEnum(E), or @LcField({ enumValues }).`,
    );
  }
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    !values.every(
      (v) => (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v)),
    )
  ) {
    throw new LcConfigError(
      `${at}: the enum values must be a non-empty list of non-empty strings or numbers, got ${JSON.stringify(values)}.`,
    );
  }
  return [...(values as (string | number)[])];
}

function complexEnumValuesOf(field: LcFieldMeta, at: string): ExtComplexEnumValue[] {
  const values: unknown = field.complexEnumValues;
  if (!Array.isArray(values) || values.length === 0) {
    throw new LcConfigError(
      `${at}: a 'complex_enum' field needs @LcField({ complexEnumValues: [{ label, value }, ...] }).`,
    );
  }
  return values.map((v: unknown, i) => {
    const item = v as Partial<ExtComplexEnumValue> | null;
    if (
      typeof item !== 'object' ||
      item === null ||
      typeof item.label !== 'string' ||
      typeof item.value !== 'string' ||
      item.value === ''
    ) {
      throw new LcConfigError(
        `${at}: complexEnumValues[${i}] must be { label: string, value: non-empty string, categoryKey?, referenceLink? }, got ${JSON.stringify(v)}.`,
      );
    }
    optionalString(item.categoryKey, `${at}: complexEnumValues[${i}].categoryKey`);
    optionalString(item.referenceLink, `${at}: complexEnumValues[${i}].referenceLink`);
    return {
      label: item.label,
      value: item.value,
      categoryKey: item.categoryKey,
      referenceLink: item.referenceLink,
    };
  });
}

/**
 * `filter`: @Min, @Max and @Matches, overridden key by key by `@LcField({ filter })`. Go's
 * `min`/`max` are ints, so a bound must be an integer, and 0 is the same as none.
 */
function filterOf(field: LcFieldMeta, rules: readonly ValidationMetadata[], at: string): ExtFilter {
  const derived: ExtFilter = {};
  for (const rule of rules) {
    const [first, second] = (rule.constraints ?? []) as unknown[];
    if (rule.name === MIN && typeof first === 'number') derived.min = first;
    else if (rule.name === MAX && typeof first === 'number') derived.max = first;
    else if (rule.name === MATCHES) derived.validRe = goRegexp(first, second);
  }
  const given: unknown = field.filter ?? {};
  if (typeof given !== 'object' || given === null) {
    throw new LcConfigError(`${at}: @LcField 'filter' must be an object.`);
  }
  const filter: ExtFilter = { ...derived, ...(given as ExtFilter) };
  for (const name of ['min', 'max'] as const) {
    const value = filter[name];
    if (value !== undefined && !Number.isSafeInteger(value)) {
      const from =
        (given as ExtFilter)[name] === undefined
          ? `@${name === 'min' ? 'Min' : 'Max'}(${value})`
          : `filter.${name} ${String(value)}`;
      throw new LcConfigError(
        `${at}: ${from} is not an integer, and LimaCharlie's filter bounds are. Give @LcField({ filter: { ${name} } }) an integer.`,
      );
    }
  }
  for (const name of ['validRe', 'invalidRe'] as const) {
    optionalString(filter[name], `${at}: filter.${name}`);
  }
  for (const name of ['whitelist', 'blacklist', 'platforms'] as const) {
    if (filter[name] !== undefined) stringList(filter[name], `${at}: filter.${name}`);
  }
  return filter;
}

/** A JavaScript pattern as the RE2 syntax Go validates with: the i, m and s flags become inline. */
function goRegexp(pattern: unknown, modifiers: unknown): string | undefined {
  const source =
    pattern instanceof RegExp ? pattern.source : typeof pattern === 'string' ? pattern : undefined;
  if (source === undefined) return undefined;
  const flags =
    pattern instanceof RegExp ? pattern.flags : typeof modifiers === 'string' ? modifiers : '';
  const inline = [...flags].filter((f) => f === 'i' || f === 'm' || f === 's').join('');
  return inline === '' ? source : `(?${inline})${source}`;
}

/**
 * The class of an `object` field's value: `@LcField({ object })`, or the class class-transformer
 * builds for it (@Type), found by letting it build one: the schema then describes exactly what
 * validation will check.
 */
function nestedClassOf(
  dto: Type<object>,
  field: LcFieldMeta,
  isList: boolean,
  dataType: LcExtDataType,
  at: string,
): Type<object> {
  if (field.object !== undefined) {
    const nested: unknown = typeof field.object === 'function' ? field.object() : undefined;
    if (typeof nested !== 'function') {
      throw new LcConfigError(
        `${at}: @LcField 'object' must be a function returning a DTO class, as in object: () => Item.`,
      );
    }
    return nested as Type<object>;
  }
  let built: unknown;
  try {
    const instance = plainToInstance(dto, { [field.property]: isList ? [{}] : {} }) as Record<
      string,
      unknown
    >;
    const value = instance[field.property];
    built = isList && Array.isArray(value) ? value[0] : value;
  } catch {
    built = undefined;
  }
  const ctor = typeof built === 'object' && built !== null ? built.constructor : undefined;
  if (ctor === undefined || ctor === Object) {
    throw new LcConfigError(
      `${at}: an '${dataType}' field needs the class of its values: add @ValidateNested(${isList ? '{ each: true }' : ''}) @Type(() => Item), or @LcField({ object: () => Item }).`,
    );
  }
  return ctor as Type<object>;
}

function jsonValue(value: unknown, at: string): unknown {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    throw new LcConfigError(
      `${at} must be a JSON value (a string, number, boolean, array or plain object).`,
    );
  }
  return value;
}

function optionalString(value: unknown, at: string): void {
  if (value !== undefined && typeof value !== 'string') {
    throw new LcConfigError(`${at} must be a string, got ${typeof value}.`);
  }
}

function stringList(value: unknown, at: string): void {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw new LcConfigError(
      `${at} must be a list of non-empty strings, got ${JSON.stringify(value)}.`,
    );
  }
}
