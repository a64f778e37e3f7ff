/**
 * The Extension protocol's schema answer, as the vendor's Go structs serialise it
 * (`common/config_schema.go`, `common/request_schema.go`, `SchemaRequestResponse` in
 * `common/messages.go`). The builders below reproduce `encoding/json`: fields in struct order,
 * map keys sorted, and `omitempty` dropping `false`, `0`, `""`, nil and empty slices, but never a
 * struct value — so `key`, `filter` and `messages` are always present, possibly as `{}`.
 * Arrays and maps without `omitempty` are written empty, never `null`.
 */

/** The 25 data types LimaCharlie's UI knows (`SchemaDataTypes`). */
export const EXT_DATA_TYPES = [
  'string',
  'integer',
  'bool',
  'enum',
  'complex_enum',
  'secret',
  'sid',
  'oid',
  'platform',
  'architecture',
  'sensor_selector',
  'event_name',
  'tag',
  'duration',
  'time',
  'url',
  'domain',
  'text',
  'json',
  'yaml',
  'code',
  'yara_rule',
  'yara_rule_name',
  'object',
  'record',
] as const;

export type LcExtDataType = (typeof EXT_DATA_TYPES)[number];

const DATA_TYPES: ReadonlySet<string> = new Set(EXT_DATA_TYPES);

export function isExtDataType(value: unknown): value is LcExtDataType {
  return typeof value === 'string' && DATA_TYPES.has(value);
}

/** `RecordKey`: how a `record`'s keys (or a list of objects' elements) are named in the UI. */
export interface ExtRecordKey {
  name?: string;
  label?: string;
  description?: string;
  dataType?: LcExtDataType;
  displayIndex?: number;
  placeholder?: string;
}

/** `Validator` (`filter`). `min`/`max` are Go `int`s: `0` is the same as absent. */
export interface ExtFilter {
  whitelist?: readonly string[];
  blacklist?: readonly string[];
  validRe?: string;
  invalidRe?: string;
  min?: number;
  max?: number;
  platforms?: readonly string[];
}

/** `ComplexEnumValues`. */
export interface ExtComplexEnumValue {
  label: string;
  value: string;
  categoryKey?: string;
  referenceLink?: string;
}

/** `SchemaElement`. */
export interface ExtSchemaElement {
  label?: string;
  description: string;
  placeholder?: string;
  dataType: LcExtDataType;
  isList?: boolean;
  displayIndex?: number;
  defaultValue?: unknown;
  object?: ExtSchemaObject;
  enumValues?: readonly (string | number)[];
  complexEnumValues?: readonly ExtComplexEnumValue[];
  filter?: ExtFilter;
}

/** `SchemaObject`. `requirements`: every set must be met by exactly one of its fields. */
export interface ExtSchemaObject {
  fields: Readonly<Record<string, ExtSchemaElement>>;
  key?: ExtRecordKey;
  elementName?: string;
  elementDescription?: string;
  requirements: readonly (readonly string[])[];
  supportedActions?: readonly string[];
}

/** `StatusMessages`. */
export interface ExtStatusMessages {
  inProgress?: string;
  success?: string;
  error?: string;
}

/** `RequestSchema`. */
export interface ExtRequestSchema {
  isDefault?: boolean;
  label?: string;
  isUserFacing: boolean;
  shortDescription: string;
  longDescription: string;
  messages?: ExtStatusMessages;
  isImpersonated: boolean;
  parameters: ExtSchemaObject;
  response?: ExtSchemaObject;
}

/** `View`. */
export interface ExtView {
  name: string;
  layoutType: string;
  defaultRequests?: readonly string[];
}

/** `SchemaRequestResponse`. */
export interface ExtSchemaRequestResponse {
  views?: readonly ExtView[];
  configSchema: ExtSchemaObject;
  requestSchema: Readonly<Record<string, ExtRequestSchema>>;
  requiredEvents: readonly string[];
}

type Json = Record<string, unknown>;

/** Sets `key` unless Go's `omitempty` would drop the value. */
function put(out: Json, key: string, value: unknown): void {
  if (value === undefined || value === null || value === false || value === 0 || value === '') {
    return;
  }
  if (Array.isArray(value) && value.length === 0) return;
  out[key] = value;
}

/** A Go map: keys sorted, as `encoding/json` writes them. */
function sortedMap<T>(map: Readonly<Record<string, T>>, wire: (v: T) => unknown): Json {
  const out: Json = {};
  for (const key of Object.keys(map).sort(byBytes)) out[key] = wire(map[key]);
  return out;
}

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function wireRecordKey(key: ExtRecordKey | undefined): Json {
  const out: Json = {};
  if (key === undefined) return out;
  put(out, 'name', key.name);
  put(out, 'label', key.label);
  put(out, 'description', key.description);
  put(out, 'data_type', key.dataType);
  put(out, 'display_index', key.displayIndex);
  put(out, 'placeholder', key.placeholder);
  return out;
}

export function wireFilter(filter: ExtFilter | undefined): Json {
  const out: Json = {};
  if (filter === undefined) return out;
  put(out, 'whitelist', filter.whitelist);
  put(out, 'blacklist', filter.blacklist);
  put(out, 'valid_re', filter.validRe);
  put(out, 'invalid_re', filter.invalidRe);
  put(out, 'min', filter.min);
  put(out, 'max', filter.max);
  put(out, 'platforms', filter.platforms);
  return out;
}

function wireComplexEnumValue(value: ExtComplexEnumValue): Json {
  const out: Json = { label: value.label, value: value.value };
  put(out, 'category_key', value.categoryKey);
  put(out, 'reference_link', value.referenceLink);
  return out;
}

export function wireSchemaElement(element: ExtSchemaElement): Json {
  const out: Json = {};
  put(out, 'label', element.label);
  out.description = element.description;
  put(out, 'placeholder', element.placeholder);
  out.data_type = element.dataType;
  put(out, 'is_list', element.isList);
  put(out, 'display_index', element.displayIndex);
  // An interface{}: only nil is empty, so `false`, `0` and `""` defaults are kept.
  if (element.defaultValue !== undefined && element.defaultValue !== null) {
    out.default_value = element.defaultValue;
  }
  if (element.object !== undefined) out.object = wireSchemaObject(element.object);
  put(out, 'enum_values', element.enumValues);
  put(out, 'complex_enum_values', element.complexEnumValues?.map(wireComplexEnumValue));
  out.filter = wireFilter(element.filter);
  return out;
}

export function wireSchemaObject(object: ExtSchemaObject): Json {
  const out: Json = { fields: sortedMap(object.fields, wireSchemaElement) };
  out.key = wireRecordKey(object.key);
  put(out, 'element_name', object.elementName);
  put(out, 'element_desc', object.elementDescription);
  out.requirements = object.requirements.map((set) => [...set]);
  put(out, 'supported_actions', object.supportedActions);
  return out;
}

function wireStatusMessages(messages: ExtStatusMessages | undefined): Json {
  const out: Json = {};
  if (messages === undefined) return out;
  put(out, 'in_progress', messages.inProgress);
  put(out, 'success', messages.success);
  put(out, 'error', messages.error);
  return out;
}

export function wireRequestSchema(schema: ExtRequestSchema): Json {
  const out: Json = {};
  put(out, 'is_default', schema.isDefault);
  put(out, 'label', schema.label);
  out.is_user_facing = schema.isUserFacing;
  out.short_description = schema.shortDescription;
  out.long_description = schema.longDescription;
  out.messages = wireStatusMessages(schema.messages);
  out.is_impersonated = schema.isImpersonated;
  out.parameters = wireSchemaObject(schema.parameters);
  // A pointer without omitempty: absent is `null`.
  out.response = schema.response === undefined ? null : wireSchemaObject(schema.response);
  return out;
}

function wireView(view: ExtView): Json {
  return {
    name: view.name,
    layout_type: view.layoutType,
    default_requests: [...(view.defaultRequests ?? [])],
  };
}

export function wireSchemaRequestResponse(answer: ExtSchemaRequestResponse): Json {
  const out: Json = {};
  put(out, 'views', answer.views?.map(wireView));
  out.config_schema = wireSchemaObject(answer.configSchema);
  out.request_schema = sortedMap(answer.requestSchema, wireRequestSchema);
  out.required_events = [...answer.requiredEvents];
  return out;
}
