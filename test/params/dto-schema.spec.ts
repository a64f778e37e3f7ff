import 'reflect-metadata';
import {
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Min,
} from 'class-validator';
import { IsSid, LcConfigError, LcParam } from 'nestjs-lc-service';
import { deriveParamDefs } from '../../src/params/dto-schema.js';

const WHERE = 'LcServiceModule: test';

enum Mode {
  Quick = 'quick',
  Full = 'full',
}

enum Level {
  Low,
  High,
}

class AllTypes {
  @LcParam({ description: 'a string' })
  @IsString()
  s!: string;

  @LcParam({ description: 'an int' })
  @IsInt()
  i!: number;

  @LcParam({ description: 'a float' })
  @IsNumber()
  f!: number;

  @LcParam({ description: 'a bool' })
  @IsBoolean()
  b!: boolean;

  @LcParam({ description: 'from IsIn' })
  @IsIn(['a', 'b'])
  e1!: string;

  @LcParam({ description: 'from IsEnum' })
  @IsEnum(Mode)
  e2!: Mode;

  @LcParam({ description: 'a uuid' })
  @IsUUID()
  u!: string;

  @LcParam({ description: 'a sensor' })
  @IsSid()
  sid!: string;

  @LcParam({ description: 'optional', index: 42 })
  @IsOptional()
  @IsString()
  opt?: string;
}

function bootError(dto: unknown): string {
  try {
    deriveParamDefs(dto, WHERE);
  } catch (err) {
    expect(err).toBeInstanceOf(LcConfigError);
    return (err as Error).message;
  }
  throw new Error('derived without error');
}

describe('request_params from a class-validator DTO', () => {
  it('maps every type decorator, IsOptional, values and index', () => {
    expect(deriveParamDefs(AllTypes, WHERE)).toEqual({
      s: { type: 'str', desc: 'a string', is_required: true, index: 0 },
      i: { type: 'int', desc: 'an int', is_required: true, index: 1 },
      f: { type: 'float', desc: 'a float', is_required: true, index: 2 },
      b: { type: 'bool', desc: 'a bool', is_required: true, index: 3 },
      e1: { type: 'enum', desc: 'from IsIn', is_required: true, values: ['a', 'b'], index: 4 },
      e2: {
        type: 'enum',
        desc: 'from IsEnum',
        is_required: true,
        values: ['quick', 'full'],
        index: 5,
      },
      u: { type: 'uuid', desc: 'a uuid', is_required: true, index: 6 },
      sid: { type: 'sid', desc: 'a sensor', is_required: true, index: 7 },
      opt: { type: 'str', desc: 'optional', is_required: false, index: 42 },
    });
  });

  it('keeps the RI key order in each entry: type, desc, is_required, values, index', () => {
    const defs = deriveParamDefs(AllTypes, WHERE);
    expect(Object.keys(defs.e1)).toEqual(['type', 'desc', 'is_required', 'values', 'index']);
  });

  it('reads a narrower type next to its broader one as the narrower one', () => {
    class Refined {
      @LcParam({ description: 'x' })
      @IsString()
      @IsUUID()
      u!: string;

      @LcParam({ description: 'x' })
      @IsString()
      @IsIn(['a'])
      e!: string;

      @LcParam({ description: 'x' })
      @IsNumber()
      @IsInt()
      @Min(1)
      i!: number;

      @LcParam({ description: 'x' })
      @IsSid()
      @IsString()
      s!: string;
    }
    const defs = deriveParamDefs(Refined, WHERE);
    expect([defs.u.type, defs.e.type, defs.i.type, defs.s.type]).toEqual([
      'uuid',
      'enum',
      'int',
      'sid',
    ]);
  });

  it('puts inherited parameters first and lets a subclass redeclare one in place', () => {
    class Base {
      @LcParam({ description: 'base a' })
      @IsString()
      a!: string;

      @LcParam({ description: 'base b' })
      @IsString()
      b!: string;
    }
    class Child extends Base {
      @LcParam({ description: 'child c' })
      @IsInt()
      c!: number;

      @LcParam({ description: 'child b' })
      @IsOptional()
      @IsString()
      declare b: string;
    }
    expect(deriveParamDefs(Base, WHERE)).toEqual({
      a: { type: 'str', desc: 'base a', is_required: true, index: 0 },
      b: { type: 'str', desc: 'base b', is_required: true, index: 1 },
    });
    expect(deriveParamDefs(Child, WHERE)).toEqual({
      a: { type: 'str', desc: 'base a', is_required: true, index: 0 },
      b: { type: 'str', desc: 'child b', is_required: false, index: 1 },
      c: { type: 'int', desc: 'child c', is_required: true, index: 2 },
    });
  });

  describe('fails at boot, naming the DTO and the property', () => {
    it('a validated property without @LcParam', () => {
      class NoDesc {
        @LcParam({ description: 'ok' })
        @IsString()
        a!: string;

        @IsInt()
        count!: number;
      }
      expect(bootError(NoDesc)).toBe(
        "LcServiceModule: test: NoDesc.count is validated but has no @LcParam({ description }). LimaCharlie's form shows a description for every parameter: add one.",
      );
    });

    it('an empty description', () => {
      class Empty {
        @LcParam({ description: '  ' })
        @IsString()
        a!: string;
      }
      expect(bootError(Empty)).toMatch(
        /^LcServiceModule: test: Empty\.a: @LcParam needs a non-empty 'description'/,
      );
    });

    it('a property whose type cannot be mapped', () => {
      class Unmapped {
        @LcParam({ description: 'when' })
        @Min(3)
        when!: number;
      }
      expect(bootError(Unmapped)).toMatch(
        /^LcServiceModule: test: Unmapped\.when: has no type LimaCharlie's form knows\. Add one of @IsString\(\)/,
      );
    });

    it('an @LcParam property without any class-validator decorator', () => {
      class Bare {
        @LcParam({ description: 'bare' })
        bare!: string;
      }
      expect(bootError(Bare)).toMatch(/Bare\.bare: has no type LimaCharlie's form knows/);
    });

    it('conflicting type decorators', () => {
      class Conflict {
        @LcParam({ description: 'x' })
        @IsString()
        @IsInt()
        x!: string;
      }
      expect(bootError(Conflict)).toMatch(
        /Conflict\.x: conflicting type decorators @IsInt\(\), @IsString\(\)\. Keep one type\.$/,
      );
    });

    it('a list parameter', () => {
      class List {
        @LcParam({ description: 'x' })
        @IsString({ each: true })
        x!: string[];
      }
      expect(bootError(List)).toMatch(/List\.x: @IsString\(\) has \{ each: true \}/);
    });

    it('non-string enum values', () => {
      class Numbers {
        @LcParam({ description: 'x' })
        @IsIn([1, 2])
        x!: number;
      }
      class NumericEnum {
        @LcParam({ description: 'x' })
        @IsEnum(Level)
        x!: Level;
      }
      expect(bootError(Numbers)).toMatch(
        /Numbers\.x: @IsIn\(\) must allow a non-empty list of non-empty strings .*got \[1,2\]/,
      );
      expect(bootError(NumericEnum)).toMatch(
        /NumericEnum\.x: @IsEnum\(\) must allow .*got \[0,1\]/,
      );
    });

    it('two enum sources', () => {
      class Both {
        @LcParam({ description: 'x' })
        @IsIn(['quick'])
        @IsEnum(Mode)
        x!: string;
      }
      expect(bootError(Both)).toMatch(
        /Both\.x: @IsEnum\(\) and @IsIn\(\) both list the allowed values; keep one\.$/,
      );
    });

    it('a bad or repeated index', () => {
      class Negative {
        @LcParam({ description: 'x', index: -1 })
        @IsString()
        x!: string;
      }
      class Repeated {
        @LcParam({ description: 'x', index: 1 })
        @IsString()
        x!: string;

        @LcParam({ description: 'y' })
        @IsString()
        y!: string;
      }
      expect(bootError(Negative)).toMatch(
        /Negative\.x: @LcParam 'index' must be a non-negative integer, got -1/,
      );
      expect(bootError(Repeated)).toMatch(
        /Repeated\.y: @LcParam index 1 is also the index of Repeated\.x/,
      );
    });

    it('a DTO without parameters, or not a class', () => {
      class Nothing {}
      expect(bootError(Nothing)).toMatch(/Nothing declares no parameter/);
      expect(bootError({ a: 1 })).toBe(
        'LcServiceModule: test: expected a class-validator DTO class, got object.',
      );
    });
  });

  it('refuses a symbol-keyed parameter where it is declared', () => {
    const key = Symbol('k');
    expect(() => LcParam({ description: 'x' })({}, key)).toThrow(
      /@LcParam on Object\[Symbol\(k\)\]: parameters are JSON keys/,
    );
  });
});
