import {
  getMetadataStorage,
  IS_ENUM,
  IS_IN,
  IS_OPTIONAL,
  ValidationTypes,
  type MetadataStorage,
} from 'class-validator';

/**
 * What both protocols' schemas read from a DTO's class-validator metadata: the rules of each
 * property, whether it is optional, and the values an @IsIn / @IsEnum allows.
 */
export type ValidationMetadata = ReturnType<
  MetadataStorage['getTargetValidationMetadatas']
>[number];
type ValidationTarget = Parameters<MetadataStorage['getTargetValidationMetadatas']>[0];

/** Keys JSON.parse may produce as own properties; a DTO property must never be one of them. */
export const RESERVED_PROPERTIES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** The class-validator rules of a DTO (inherited ones included), by property. */
export function rulesByProperty(dto: ValidationTarget): Map<string, ValidationMetadata[]> {
  const rules = new Map<string, ValidationMetadata[]>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false)) {
    const list = rules.get(rule.propertyName);
    if (list === undefined) rules.set(rule.propertyName, [rule]);
    else list.push(rule);
  }
  return rules;
}

/** `@IsOptional()` among a property's rules. */
export function isOptional(rules: readonly ValidationMetadata[]): boolean {
  return rules.some(
    (r) => r.type === ValidationTypes.CONDITIONAL_VALIDATION && r.name === IS_OPTIONAL,
  );
}

/** The rules that list allowed values: @IsIn and @IsEnum. */
export function enumSources(rules: readonly ValidationMetadata[]): ValidationMetadata[] {
  return rules.filter((r) => r.name === IS_IN || r.name === IS_ENUM);
}

/** The values an @IsIn or @IsEnum rule allows, unchecked; undefined when it lists none. */
export function enumValuesOf(source: ValidationMetadata): unknown {
  const constraint: unknown = source.constraints?.[0];
  if (source.name === IS_IN) return constraint;
  return typeof constraint === 'object' && constraint !== null
    ? enumMembers(constraint)
    : undefined;
}

/** The values of a TypeScript enum object, without the reverse entries numeric enums get. */
function enumMembers(entity: object): unknown[] {
  return Object.entries(entity)
    .filter(([key]) => Number.isNaN(Number.parseInt(key, 10)))
    .map(([, value]) => value as unknown);
}
