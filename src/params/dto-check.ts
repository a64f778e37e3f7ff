import { createRequire } from 'node:module';
import type { Type } from '@nestjs/common';
import { Expose, plainToInstance, TransformationType } from 'class-transformer';
import {
  getMetadataStorage,
  validate,
  ValidationTypes,
  type ValidationArguments,
  type ValidationError,
  type ValidatorOptions,
} from 'class-validator';

/** A DTO instance and what class-validator found wrong with it (nothing when it holds). */
export interface LcDtoChecked {
  instance: object;
  errors: ValidationError[];
}

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: false,
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];
type ConstraintMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidatorConstraints']
>[number];

/** A DTO class, as both libraries' storages key their metadata. */
type DtoClass = Type<object>;

/** The part of class-transformer's metadata storage that tells whether a class uses its decorators. */
interface TransformerStorage {
  getStrategy(target: DtoClass): string;
  getExposedMetadatas(target: DtoClass): unknown[];
  getExcludedMetadatas(target: DtoClass): unknown[];
  findExposeMetadata(target: DtoClass, propertyName: string): unknown;
  findTypeMetadata(target: DtoClass, propertyName: string): unknown;
  findTransformMetadatas(target: DtoClass, propertyName: string, type: number): unknown[];
}

let transformerStorage: TransformerStorage | null | undefined;

/**
 * class-transformer's metadata storage, when it is the one `plainToInstance` reads (a bundler may
 * give this module another copy of the package than the app's decorators used: then none).
 */
function storageOfTransformer(): TransformerStorage | null {
  if (transformerStorage !== undefined) return transformerStorage;
  transformerStorage = null;
  try {
    const storage = (
      createRequire(import.meta.url)('class-transformer/cjs/storage') as {
        defaultMetadataStorage?: TransformerStorage;
      }
    ).defaultMetadataStorage;
    class Probe {
      declare a: unknown;
    }
    Expose({ name: 'b' })(Probe.prototype, 'a');
    if (
      storage !== undefined &&
      storage.findExposeMetadata(Probe, 'a') !== undefined &&
      plainToInstance(Probe, { b: 1 }).a === 1
    ) {
      transformerStorage = storage;
    }
  } catch {
    // Another layout of the package: every call goes through plainToInstance.
  }
  return transformerStorage;
}

/** One validated property: the checks class-validator runs on it, in its order. */
interface PropertyPlan {
  name: string;
  conditions: ValidationMetadata[];
  checks: { metadata: ValidationMetadata; constraints: ConstraintMetadata[] }[];
}

/**
 * class-transformer then class-validator on one DTO class, as `plainToInstance` and `validate`
 * do. For a flat DTO (the common one: primitive and list properties, class-validator's built-in
 * and synchronous custom validators, no class-transformer decorators) a plan compiled at boot
 * decides that a call's data holds without their generic machinery, which costs more than the
 * rest of a small call. Anything it does not cover, and every failure, goes through the libraries
 * themselves, so the instance and the messages are theirs.
 */
export class LcDtoCheck {
  /** Null: the DTO needs the libraries on every call. */
  private readonly plan: PropertyPlan[] | null;
  /** The properties a call's keys may name for the instance to be built without class-transformer. */
  private readonly plainKeys: ReadonlySet<string>;

  constructor(readonly dto: Type<object>) {
    const compiled = compile(dto);
    this.plan = compiled?.plan ?? null;
    this.plainKeys = compiled?.plainKeys ?? new Set();
  }

  /** Synchronous when the compiled plan holds; a promise of the libraries' verdict otherwise. */
  run(plain: Record<string, unknown>): LcDtoChecked | Promise<LcDtoChecked> {
    const instance = this.plan === null ? undefined : this.instanceOf(plain);
    if (instance !== undefined && this.holds(instance)) return { instance, errors: [] };
    return this.slow(instance ?? plainToInstance(this.dto, plain));
  }

  private async slow(instance: object): Promise<LcDtoChecked> {
    return { instance, errors: await validate(instance, VALIDATOR_OPTIONS) };
  }

  /**
   * What `plainToInstance` builds from JSON data when no class-transformer decorator applies:
   * `new dto()`, then each key's value, a list copied. Undefined when a key or value is not
   * covered (an undeclared key, a nested object, a key its prototype defines).
   */
  private instanceOf(plain: Record<string, unknown>): object | undefined {
    const keys = Object.keys(plain);
    for (const key of keys) {
      if (!this.plainKeys.has(key)) return undefined;
      const value = plain[key];
      if (typeof value === 'object' && value !== null && !isFlatList(value)) return undefined;
    }
    const instance = new this.dto() as Record<string, unknown>;
    for (const key of keys) {
      if (typeof instance[key] === 'function') return undefined;
      const value = plain[key];
      instance[key] = Array.isArray(value) ? value.slice() : value;
    }
    return instance;
  }

  /** True when class-validator would find nothing wrong; false when it may (it then decides). */
  private holds(instance: object): boolean {
    const object = instance as Record<string, unknown>;
    try {
      for (const property of this.plan!) {
        const value = object[property.name];
        let applies = true;
        for (const condition of property.conditions) {
          if (!(condition.constraints[0] as (o: object, v: unknown) => boolean)(object, value)) {
            applies = false;
          }
        }
        if (!applies) continue;
        for (const { metadata, constraints } of property.checks) {
          if (metadata.validateIf !== undefined && !metadata.validateIf(object, value)) continue;
          const args: ValidationArguments = {
            targetName: this.dto.name,
            property: metadata.propertyName,
            object,
            value,
            constraints: metadata.constraints,
          };
          for (const constraint of constraints) {
            const validator = constraint.instance;
            if (metadata.each && (value instanceof Set || value instanceof Map)) return false;
            if (metadata.each && Array.isArray(value)) {
              for (const item of value) if (!passes(validator.validate(item, args))) return false;
            } else if (!passes(validator.validate(value, args))) {
              return false;
            }
          }
        }
      }
      return true;
    } catch {
      // A throwing validator: class-validator runs it again and reports what it does.
      return false;
    }
  }
}

/**
 * Only a synchronous `true` passes. A validator not declared async may still return a promise:
 * class-validator calls it again and awaits that one, so this one's rejection must not go
 * unhandled (Node would end the process).
 */
function passes(verdict: unknown): boolean {
  if (verdict === true) return true;
  if (typeof (verdict as PromiseLike<unknown> | null)?.then === 'function') {
    (verdict as PromiseLike<unknown>).then(undefined, () => undefined);
  }
  return false;
}

function isFlatList(value: object): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item === 'object' && item !== null) return false;
  return true;
}

/**
 * The plan of a DTO that class-validator validates with custom (built-in or user) validators,
 * conditions (`@IsOptional`, `@ValidateIf`) and `@IsDefined` only, and class-transformer leaves
 * as it is; null for any other (nested or promise validation, class-transformer decorators).
 */
function compile(
  dto: Type<object>,
): { plan: PropertyPlan[]; plainKeys: ReadonlySet<string> } | null {
  const transformer = storageOfTransformer();
  if (transformer === null || !transformerLeavesAlone(transformer, dto)) return null;
  const storage = getMetadataStorage();
  // The arguments class-validator's executor passes for a validate() without groups.
  const metadatas = storage.getTargetValidationMetadatas(dto, undefined!, false, false, undefined);
  const grouped = storage.groupByPropertyName(metadatas);
  const plan: PropertyPlan[] = [];
  const plainKeys = new Set<string>();
  for (const [name, all] of Object.entries(grouped)) {
    if (transformerTouches(transformer, dto, name)) return null;
    const conditions: ValidationMetadata[] = [];
    const defined: PropertyPlan['checks'] = [];
    const custom: PropertyPlan['checks'] = [];
    for (const metadata of all) {
      switch (metadata.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(metadata);
          break;
        case ValidationTypes.IS_DEFINED:
        case ValidationTypes.CUSTOM_VALIDATION: {
          const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
          // An async validator's verdict is a promise: class-validator awaits it.
          if (constraints.some((constraint) => constraint.async)) return null;
          const list = metadata.type === ValidationTypes.IS_DEFINED ? defined : custom;
          list.push({ metadata, constraints });
          break;
        }
        case ValidationTypes.WHITELIST:
          break;
        default:
          return null;
      }
    }
    plan.push({ name, conditions, checks: [...defined, ...custom] });
    plainKeys.add(name);
  }
  return { plan, plainKeys };
}

function transformerLeavesAlone(storage: TransformerStorage, dto: DtoClass): boolean {
  return (
    storage.getStrategy(dto) === 'none' &&
    storage.getExposedMetadatas(dto).length === 0 &&
    storage.getExcludedMetadatas(dto).length === 0
  );
}

function transformerTouches(storage: TransformerStorage, dto: DtoClass, name: string): boolean {
  return (
    name === '__proto__' ||
    name === 'constructor' ||
    storage.findTypeMetadata(dto, name) !== undefined ||
    storage.findTransformMetadatas(dto, name, TransformationType.PLAIN_TO_CLASS).length > 0 ||
    Object.getOwnPropertyDescriptor(dto.prototype, name) !== undefined
  );
}
