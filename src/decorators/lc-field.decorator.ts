import type { Type } from '@nestjs/common';
import type {
  ExtComplexEnumValue,
  ExtFilter,
  ExtRecordKey,
  LcExtDataType,
} from '../protocol/extension/schema.js';

export type { LcExtDataType } from '../protocol/extension/schema.js';
export type LcFieldFilter = ExtFilter;
export type LcComplexEnumValue = ExtComplexEnumValue;
export type LcRecordKey = ExtRecordKey;

export interface LcFieldOptions {
  /** The field's name in LimaCharlie's UI (`label`). Required and non-empty. */
  label: string;
  /** The help text under it (`description`). Required and non-empty. */
  description: string;
  /**
   * The UI's type (`data_type`). Without it the type follows the class-validator decorators:
   * @IsString string, @IsInt/@IsNumber integer, @IsBoolean bool, @IsIn/@IsEnum enum, @IsSid sid,
   * @IsUrl url, @IsFQDN domain, @ValidateNested object. Given, it wins (`secret`, `duration`...).
   */
  dataType?: LcExtDataType;
  placeholder?: string;
  /**
   * The field's position in the form (`display_index`, 1-based: Go drops 0). Defaults to the
   * property's position among the DTO's fields, inherited ones first.
   */
  displayIndex?: number;
  /** `default_value`: what the form starts with for an optional field. */
  defaultValue?: unknown;
  /** `enum_values` for an `enum`; by default the values of @IsIn / @IsEnum. */
  enumValues?: readonly (string | number)[];
  /** `complex_enum_values`: required for a `complex_enum`. */
  complexEnumValues?: readonly LcComplexEnumValue[];
  /**
   * `filter`. `min`/`max` default to @Min/@Max (and @ArrayMinSize/@ArrayMaxSize do not count),
   * `validRe` to @Matches; given here, each key wins.
   */
  filter?: LcFieldFilter;
  /**
   * The class describing an `object`'s or a `record`'s values. By default the class of
   * @ValidateNested() @Type(() => X); a `record` (a map of X by key) always names it here.
   */
  object?: () => Type<object>;
}

/** What one `@LcField` left on a DTO property. */
export interface LcFieldMeta extends LcFieldOptions {
  property: string;
}

/** Options of a DTO class used as a nested object, a record's values, a config or a response. */
export interface LcSchemaOptions {
  /** `element_name`: what one element of a list of these (or a record entry) is called. */
  elementName?: string;
  /** `element_desc`. */
  elementDescription?: string;
  /** `key`: how a record's keys are labelled. */
  key?: LcRecordKey;
  /** `supported_actions`: actions the UI offers on data of this shape (a response's rows). */
  supportedActions?: readonly string[];
}

const LC_FIELD_METADATA = 'lc:ext-field';
const LC_SCHEMA_METADATA = 'lc:ext-schema';

/**
 * Marks a DTO property as a field of an extension's config or action parameters. Required or
 * optional, its type, list-ness, enum values and bounds come from its class-validator decorators;
 * this supplies what class-validator cannot. The options are checked at boot, where the DTO is
 * used.
 */
export function LcField(options: LcFieldOptions): PropertyDecorator {
  return (target, key) => {
    const ctor = target.constructor;
    if (typeof key !== 'string') {
      throw new TypeError(
        `@LcField on ${ctor.name}[${String(key)}]: fields are JSON keys; use a string-named property.`,
      );
    }
    // Inherited fields are copied, not shared: a subclass must not add to its base's list.
    // A redeclared one keeps its place.
    const own = [...lcFieldsOf(ctor)];
    const field = { ...options, property: key };
    const at = own.findIndex((f) => f.property === key);
    if (at === -1) own.push(field);
    else own[at] = field;
    Reflect.defineMetadata(LC_FIELD_METADATA, own, ctor);
  };
}

/** Describes a DTO class as a whole where LimaCharlie's schema has room for it. */
export function LcSchema(options: LcSchemaOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(LC_SCHEMA_METADATA, { ...options }, target);
  };
}

/** The `@LcField` properties of a DTO class, in declaration order (base class first). */
export function lcFieldsOf(dto: object): readonly LcFieldMeta[] {
  return (Reflect.getMetadata(LC_FIELD_METADATA, dto) as LcFieldMeta[] | undefined) ?? [];
}

/** The `@LcSchema` options of a DTO class (its own or its nearest base's). */
export function lcSchemaOf(dto: object): LcSchemaOptions | undefined {
  return Reflect.getMetadata(LC_SCHEMA_METADATA, dto) as LcSchemaOptions | undefined;
}
