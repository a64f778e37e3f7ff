import 'reflect-metadata';
import type { Type as ClassType } from '@nestjs/common';
import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDefined,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  validate,
  type ValidationArguments,
  type ValidationError,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { LcDtoCheck } from '../../src/params/dto-check.js';
import { LcExtDto } from '../../src/params/ext-dto.js';

/**
 * LcDtoCheck skips class-transformer and class-validator for flat DTOs. Whatever it decides must
 * be what the libraries decide: the same verdict, the same instance and the same errors, for every
 * kind of DTO and input below.
 */

type Outcome =
  | { thrown: string }
  | { thrown?: undefined; instance: object; errors: ValidationError[]; sync: boolean };

async function byTheLibraries(dto: ClassType<object>, plain: Record<string, unknown>) {
  try {
    const instance = plainToInstance(dto, plain);
    const errors = await validate(instance, {
      whitelist: false,
      forbidUnknownValues: false,
      validationError: { target: false, value: false },
    });
    return { instance, errors, sync: false } as Outcome;
  } catch (err) {
    return { thrown: (err as Error).message } as Outcome;
  }
}

async function byTheCheck(dto: ClassType<object>, plain: Record<string, unknown>) {
  try {
    const checked = new LcDtoCheck(dto).run(plain);
    const sync = !(checked instanceof Promise);
    return { ...(await checked), sync } as Outcome;
  } catch (err) {
    return { thrown: (err as Error).message } as Outcome;
  }
}

interface Case {
  name: string;
  dto: ClassType<object>;
  /** Inputs that must hold on the compiled plan, without a promise. */
  sync?: Record<string, unknown>[];
  /** Any other input: both sides must agree, whichever way the check goes. */
  inputs?: Record<string, unknown>[];
  /** The DTO always needs the libraries: no input may be decided synchronously. */
  slowOnly?: boolean;
}

/** Compares the two outcomes and returns the libraries' one for further assertions. */
async function expectSame(
  dto: ClassType<object>,
  plain: Record<string, unknown>,
): Promise<Outcome & { sync: boolean }> {
  const expected = await byTheLibraries(dto, plain);
  const actual = await byTheCheck(dto, plain);
  if (expected.thrown !== undefined || actual.thrown !== undefined) {
    expect({ input: plain, thrown: actual.thrown }).toEqual({
      input: plain,
      thrown: expected.thrown,
    });
    return { ...actual, sync: false } as Outcome & { sync: boolean };
  }
  expect(actual.instance).toBeInstanceOf(dto);
  expect(Object.getPrototypeOf(actual.instance)).toBe(Object.getPrototypeOf(expected.instance));
  expect(Reflect.ownKeys(actual.instance)).toEqual(Reflect.ownKeys(expected.instance));
  expect(actual.instance).toStrictEqual(expected.instance);
  // Lists are copies on both sides, never the caller's own arrays.
  for (const key of Object.keys(plain)) {
    const own = (o: object) => (o as Record<string, unknown>)[key] === plain[key];
    if (typeof plain[key] === 'object' && plain[key] !== null) {
      expect({ key, same: own(actual.instance) }).toEqual({ key, same: own(expected.instance) });
    }
  }
  expect({ input: plain, errors: actual.errors }).toStrictEqual({
    input: plain,
    errors: expected.errors,
  });
  return actual as Outcome & { sync: boolean };
}

enum Color {
  Red = 'red',
  Blue = 'blue',
}

class Builtins {
  @IsString()
  name!: string;

  @IsInt()
  @Min(1)
  @Max(5)
  depth!: number;

  @IsOptional()
  @Matches(/^[a-z]+$/)
  tag?: string;

  @IsOptional()
  @IsIn(['quick', 'full'])
  mode?: string;

  @IsOptional()
  @IsEnum(Color)
  color?: Color;

  @IsOptional()
  @IsBoolean()
  dry?: boolean;

  @IsOptional()
  @IsUUID()
  job?: string;

  @IsDefined()
  must!: unknown;

  @IsOptional()
  @IsString({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  tags?: string[];

  @IsOptional()
  @IsInt({ each: true })
  @Min(0, { each: true })
  counts?: number[];

  @ValidateIf((o: Builtins) => o.mode === 'full')
  @IsInt()
  level?: number;

  @IsOptional()
  @IsString({ validateIf: (o: Builtins) => o.dry === true })
  reason?: unknown;
}

const MINIMAL = { name: 'scan', depth: 2, must: 0 };
const FULL = {
  ...MINIMAL,
  tag: 'abc',
  mode: 'full',
  color: 'blue',
  dry: true,
  job: '0b7c1e4d-2f3a-4b5c-8d9e-0f1a2b3c4d5e',
  tags: ['a', 'b'],
  counts: [0, 3],
  level: 4,
  reason: 'because',
};

@ValidatorConstraint({ name: 'even' })
class EvenConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'number' && value % 2 === 0;
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be even`;
  }
}

@ValidatorConstraint({ name: 'longerThan' })
class LongerThanConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return typeof value === 'string' && value.length > (args.constraints[0] as number);
  }
}

/** Truthy without being `true`: class-validator counts it as a pass. */
@ValidatorConstraint({ name: 'truthy' })
class TruthyConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (value === 'yes' ? 1 : 0) as unknown as boolean;
  }
}

class Custom {
  @Validate(EvenConstraint)
  n!: number;

  @Validate(LongerThanConstraint, [2])
  word!: string;

  @ValidateBy({
    name: 'startsWithX',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.startsWith('x'),
      defaultMessage: () => 'must start with x',
    },
  })
  x!: string;

  @IsOptional()
  @Validate(TruthyConstraint)
  answer?: string;
}

@ValidatorConstraint({ name: 'slowEven', async: true })
class SlowEvenConstraint implements ValidatorConstraintInterface {
  async validate(value: unknown): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    return typeof value === 'number' && value % 2 === 0;
  }
}

class AsyncConstraint {
  @Validate(SlowEvenConstraint)
  n!: number;
}

class AsyncValidateBy {
  @ValidateBy({
    name: 'slowX',
    async: true,
    validator: {
      validate: async (value: unknown) => {
        await new Promise((resolve) => setImmediate(resolve));
        return value === 'x';
      },
    },
  })
  x!: string;
}

/** A promise from a constraint not declared async: class-validator still awaits it. */
@ValidatorConstraint({ name: 'undeclaredAsync' })
class UndeclaredAsyncConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): Promise<boolean> {
    return Promise.resolve(value === 'ok');
  }
}

class UndeclaredAsync {
  @Validate(UndeclaredAsyncConstraint)
  v!: string;
}

/** Its store is down: the check it returns rejects. */
@ValidatorConstraint({ name: 'storeLookup' })
class StoreDownConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): Promise<boolean> {
    return Promise.reject(new Error(`store down looking up ${args.property}=${String(value)}`));
  }
}

class StoreLookup {
  @IsOptional()
  @Validate(StoreDownConstraint)
  name?: string;

  @IsOptional()
  @Validate(StoreDownConstraint, { each: true })
  tags?: string[];
}

class Grouped {
  @IsString({ groups: ['admin'] })
  a!: string;

  @IsInt({ always: true })
  b!: number;

  @IsOptional({ groups: ['admin'] })
  @Min(3, { groups: ['admin'], always: true })
  c?: number;
}

class Base {
  @IsString()
  name!: string;

  @IsInt()
  @Min(0)
  count!: number;
}

class Derived extends Base {
  @Max(10)
  declare count: number;

  @IsBoolean()
  flag!: boolean;
}

class Overriding extends Base {
  @IsOptional()
  @IsString()
  override name = 'default';
}

class Untouched extends Base {}

class ReadOnlyLabel {
  @IsString()
  get label(): string {
    return 'fixed';
  }
}

/** The getter is the parent's: class-transformer tries to set it. */
class InheritsReadOnlyLabel extends ReadOnlyLabel {}

const SHARED_CALLBACK = () => 1;

class Defaults {
  @IsOptional()
  @IsInt()
  depth = 2;

  @IsBoolean()
  dry = false;

  @IsString({ each: true })
  tags: Set<string> | string[] = new Set(['a']);

  @IsString({ each: true })
  labels: Map<string, string> | string[] = new Map([['k', 'v']]);

  @IsOptional()
  @IsString()
  note?: string;

  @Allow()
  callback: unknown = SHARED_CALLBACK;
}

class WithMethod {
  @IsString()
  name!: string;

  describe(): string {
    return `named ${this.name}`;
  }

  get upper(): string {
    return this.name.toUpperCase();
  }
}

class Port {
  @IsInt()
  @Min(1)
  port!: number;
}

class Nested {
  @ValidateNested()
  @Type(() => Port)
  target!: Port;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Port)
  list?: Port[];
}

/** Without @Type the nested value stays plain, and class-validator still checks its shape. */
class NestedWithoutType {
  @ValidateNested()
  target!: Port;
}

class Loose {
  @IsOptional()
  @IsObject()
  meta?: object;

  @IsOptional()
  @IsString({ each: true })
  items?: unknown[];
}

class Trimmed {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  name!: string;
}

class Renamed {
  @Expose({ name: 'host_name' })
  @IsString()
  host!: string;
}

class Hidden {
  @IsString()
  a!: string;

  @Exclude()
  secret?: string;
}

class Converted {
  @Type(() => Number)
  @IsInt()
  n!: number;
}

@ValidatorConstraint({ name: 'explodes' })
class ExplodesConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (value === 'boom') throw new Error('validator exploded');
    return true;
  }
}

class Throwing {
  @Validate(ExplodesConstraint)
  v!: string;
}

class ThrowingCondition {
  @ValidateIf((o: { v?: unknown }) => {
    if (o.v === 'boom') throw new Error('condition exploded');
    return true;
  })
  @IsString()
  v!: string;
}

class ThrowingTransform {
  @Transform(({ value }: { value: unknown }) => {
    if (value === 'boom') throw new Error('transform exploded');
    return value;
  })
  @IsString()
  v!: string;
}

class NoValidators {
  name?: string;
  count = 1;
}

const CASES: Case[] = [
  {
    name: 'built-in validators',
    dto: Builtins,
    sync: [
      MINIMAL,
      FULL,
      { ...MINIMAL, mode: 'quick', level: 'ignored' },
      { ...MINIMAL, dry: false, reason: 5 },
    ],
    inputs: [
      { ...MINIMAL, tags: 'x' },
      {},
      { ...MINIMAL, name: 3 },
      { ...MINIMAL, name: null },
      { ...MINIMAL, depth: 0 },
      { ...MINIMAL, depth: 6 },
      { ...MINIMAL, depth: 2.5 },
      { ...MINIMAL, depth: '2' },
      { ...MINIMAL, depth: null },
      { ...MINIMAL, tag: 'ABC' },
      { ...MINIMAL, tag: null },
      { ...MINIMAL, mode: 'slow' },
      { ...MINIMAL, color: 'green' },
      { ...MINIMAL, dry: 'true' },
      { ...MINIMAL, job: 'not-a-uuid' },
      { name: 'scan', depth: 2 },
      { ...MINIMAL, must: null },
      { ...MINIMAL, tags: [] },
      { ...MINIMAL, tags: ['a', 'b', 'c', 'd'] },
      { ...MINIMAL, tags: ['a', 2] },
      { ...MINIMAL, tags: [null] },
      { ...MINIMAL, tags: 4 },
      { ...MINIMAL, counts: [1, -1] },
      { ...MINIMAL, counts: [1, 'x'] },
      { ...MINIMAL, mode: 'full' },
      { ...MINIMAL, mode: 'full', level: 'x' },
      { ...MINIMAL, dry: true, reason: 5 },
      { ...MINIMAL, extra: 1 },
      { ...MINIMAL, extra: { deep: true } },
      { ...MINIMAL, tags: [['nested']] },
    ],
  },
  {
    name: 'custom constraints (class and ValidateBy)',
    dto: Custom,
    sync: [{ n: 2, word: 'abc', x: 'xy' }],
    inputs: [
      { n: 3, word: 'abc', x: 'xy' },
      { n: 2, word: 'ab', x: 'xy' },
      { n: 2, word: 'abc', x: 'y' },
      { n: 2, word: 'abc', x: 'xy', answer: 'yes' },
      { n: 2, word: 'abc', x: 'xy', answer: 'no' },
      { n: null, word: null, x: null },
    ],
  },
  {
    name: 'an async constraint class',
    dto: AsyncConstraint,
    slowOnly: true,
    inputs: [{ n: 2 }, { n: 3 }, {}],
  },
  {
    name: 'an async ValidateBy',
    dto: AsyncValidateBy,
    slowOnly: true,
    inputs: [{ x: 'x' }, { x: 'y' }],
  },
  {
    name: 'a constraint returning a promise without declaring async',
    dto: UndeclaredAsync,
    slowOnly: true,
    inputs: [{ v: 'ok' }, { v: 'no' }],
  },
  {
    name: 'groups and always',
    dto: Grouped,
    sync: [
      { a: 'a', b: 1, c: 5 },
      { a: 'a', b: 1 },
    ],
    inputs: [
      { a: 1, b: 1 },
      { a: 'a', b: 'x' },
      { a: 'a', b: 1, c: 1 },
      { a: 'a', b: 1, c: null },
    ],
  },
  {
    name: 'a subclass adding and overriding validators',
    dto: Derived,
    sync: [{ name: 'a', count: 3, flag: true }],
    inputs: [
      { name: 'a', count: 11, flag: true },
      { name: 'a', count: -1, flag: true },
      { name: 1, count: 3, flag: true },
      { name: 'a', count: 3 },
    ],
  },
  {
    name: 'a subclass overriding a property with a default',
    dto: Overriding,
    sync: [{ count: 1 }, { name: 'b', count: 1 }],
    inputs: [{ name: 2, count: 1 }, { count: 'x' }],
  },
  {
    name: 'a subclass with no validators of its own',
    dto: Untouched,
    sync: [{ name: 'a', count: 1 }],
    inputs: [{ name: 'a', count: -1 }],
  },
  {
    name: 'a validated getter, its own',
    dto: ReadOnlyLabel,
    slowOnly: true,
    inputs: [{}, { label: 'other' }],
  },
  {
    name: 'a validated getter, inherited',
    dto: InheritsReadOnlyLabel,
    inputs: [{}, { label: 'other' }],
  },
  {
    name: 'property initialisers',
    dto: Defaults,
    sync: [{ tags: ['x', 'y'], labels: ['z'] }],
    inputs: [
      {},
      { tags: ['x'] },
      { tags: [1], labels: ['z'] },
      { tags: ['x'], labels: [2] },
      { depth: 'x', tags: ['x'], labels: ['z'] },
      { depth: null, tags: ['x'], labels: ['z'] },
      { dry: null, tags: ['x'], labels: ['z'] },
      { callback: 'replaced', tags: ['x'], labels: ['z'] },
    ],
  },
  {
    name: 'a method and a getter named by the data',
    dto: WithMethod,
    sync: [{ name: 'a' }],
    inputs: [
      { name: 'a', describe: 'not a function' },
      { name: 'a', upper: 'B' },
      { name: 1, describe: 'x' },
    ],
  },
  {
    name: '__proto__ and constructor keys',
    dto: Builtins,
    inputs: [
      JSON.parse('{"name":"a","depth":2,"must":1,"__proto__":{"polluted":true}}') as object,
      JSON.parse('{"name":"a","depth":2,"must":1,"constructor":{"prototype":{"x":1}}}') as object,
      JSON.parse('{"name":"a","depth":9,"must":1,"__proto__":"x","constructor":"y"}') as object,
    ] as Record<string, unknown>[],
  },
  {
    name: 'nested DTOs with @ValidateNested and @Type',
    dto: Nested,
    slowOnly: true,
    inputs: [
      { target: { port: 80 } },
      { target: { port: 0 } },
      { target: { port: 80 }, list: [{ port: 1 }, { port: -1 }] },
      { target: null },
      { target: 'x' },
      {},
    ],
  },
  {
    name: '@ValidateNested without @Type',
    dto: NestedWithoutType,
    slowOnly: true,
    inputs: [{ target: 'x' }, { target: 1 }, { target: { port: 0 } }, {}],
  },
  {
    name: 'objects and lists of objects in a flat DTO',
    dto: Loose,
    sync: [{ items: ['a'] }, {}],
    inputs: [{ meta: { a: 1 } }, { meta: [] }, { items: [{ a: 1 }] }, { meta: 'x' }],
  },
  {
    name: '@Transform',
    dto: Trimmed,
    slowOnly: true,
    inputs: [{ name: '  x ' }, { name: '   ' }, { name: 3 }],
  },
  {
    name: '@Expose with a name',
    dto: Renamed,
    slowOnly: true,
    inputs: [{ host_name: 'h' }, { host: 'h' }, { host_name: 1 }],
  },
  {
    name: '@Exclude',
    dto: Hidden,
    slowOnly: true,
    inputs: [{ a: 'a', secret: 's' }, { a: 1 }],
  },
  {
    name: '@Type converting a primitive',
    dto: Converted,
    slowOnly: true,
    inputs: [{ n: '5' }, { n: 'x' }, { n: 5 }],
  },
  {
    name: 'a throwing validator',
    dto: Throwing,
    sync: [{ v: 'ok' }],
    inputs: [{ v: 'boom' }],
  },
  {
    name: 'a throwing condition',
    dto: ThrowingCondition,
    sync: [{ v: 'ok' }],
    inputs: [{ v: 'boom' }, { v: 1 }],
  },
  {
    name: 'a throwing @Transform',
    dto: ThrowingTransform,
    slowOnly: true,
    inputs: [{ v: 'ok' }, { v: 'boom' }],
  },
  {
    name: 'a DTO with no validators',
    dto: NoValidators,
    sync: [{}],
    inputs: [{ name: 'a' }, { count: 5 }, { count: null }],
  },
];

describe('LcDtoCheck against plainToInstance and validate', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    for (const plain of c.sync ?? []) {
      const checked = new LcDtoCheck(c.dto).run(plain);
      expect({ input: plain, sync: !(checked instanceof Promise) }).toEqual({
        input: plain,
        sync: true,
      });
      const outcome = await expectSame(c.dto, plain);
      expect(outcome.thrown).toBeUndefined();
      expect(outcome).toMatchObject({ errors: [] });
    }
    for (const plain of c.inputs ?? []) {
      const outcome = await expectSame(c.dto, plain);
      // Nothing that fails or throws is decided without the libraries.
      if (outcome.thrown === undefined && (outcome.errors.length > 0 || c.slowOnly === true)) {
        expect({ input: plain, sync: outcome.sync }).toEqual({ input: plain, sync: false });
      }
    }
  });

  it('fails a failing async validator after awaiting it', async () => {
    for (const [dto, plain] of [
      [AsyncConstraint, { n: 3 }],
      [AsyncValidateBy, { x: 'y' }],
      [UndeclaredAsync, { v: 'no' }],
    ] as const) {
      const checked = new LcDtoCheck(dto).run(plain);
      expect(checked).toBeInstanceOf(Promise);
      expect((await checked).errors).toHaveLength(1);
    }
    expect((await new LcDtoCheck(AsyncConstraint).run({ n: 4 })).errors).toEqual([]);
  });

  it('leaves no rejection unhandled when a validator returns a failing promise', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const ext = new LcExtDto(StoreLookup);
      expect(await ext.validate({ name: 'a' })).toEqual({
        ok: false,
        error: 'store down looking up name=a',
      });
      expect(await ext.validate({ tags: ['x', 'y'] })).toEqual({
        ok: false,
        error: 'store down looking up tags=x',
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('shows the effect of class-transformer decorators', async () => {
    const trimmed = await new LcDtoCheck(Trimmed).run({ name: '  x ' });
    expect(trimmed.instance).toEqual(Object.assign(new Trimmed(), { name: 'x' }));
    const renamed = await new LcDtoCheck(Renamed).run({ host_name: 'h' });
    expect((renamed.instance as Renamed).host).toBe('h');
    expect(renamed.errors).toEqual([]);
    const hidden = await new LcDtoCheck(Hidden).run({ a: 'a', secret: 's' });
    expect((hidden.instance as Hidden).secret).toBeUndefined();
    const converted = await new LcDtoCheck(Converted).run({ n: '5' });
    expect((converted.instance as Converted).n).toBe(5);
    expect(converted.errors).toEqual([]);
    const nested = await new LcDtoCheck(Nested).run({ target: { port: 80 } });
    expect((nested.instance as Nested).target).toBeInstanceOf(Port);
  });

  it('keeps defaults for absent keys and lets no key reach the prototype', async () => {
    const defaults = await new LcDtoCheck(Defaults).run({ tags: ['x'], labels: ['z'] });
    expect(defaults.instance).toMatchObject({ depth: 2, dry: false, callback: SHARED_CALLBACK });
    const polluted = JSON.parse(
      '{"name":"a","depth":2,"must":1,"__proto__":{"polluted":true}}',
    ) as Record<string, unknown>;
    const { instance } = await new LcDtoCheck(Builtins).run(polluted);
    expect(Object.getPrototypeOf(instance)).toBe(Builtins.prototype);
    expect((instance as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('turns a throwing validator, condition or @Transform into a failed outcome', async () => {
    for (const [dto, message] of [
      [Throwing, 'validator exploded'],
      [ThrowingCondition, 'condition exploded'],
      [ThrowingTransform, 'transform exploded'],
    ] as const) {
      const ext = new LcExtDto(dto);
      expect(await ext.validate({ v: 'boom' })).toEqual({ ok: false, error: message });
      expect(await ext.validate({ v: 'ok' })).toEqual({ ok: true, value: expect.any(dto) });
    }
  });
});
