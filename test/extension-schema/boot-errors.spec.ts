import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { LcConfigError, LcField, LcSchema, type LcExtDataType } from 'nestjs-lc-service';
import { schemaObjectOf, schemaRequestAnswer } from '../../src/params/ext-schema.js';

const WHERE = 'LcExtensionModule: config';

function bootError(dto: unknown): string {
  try {
    schemaObjectOf(dto as new () => object, WHERE);
  } catch (err) {
    expect(err).toBeInstanceOf(LcConfigError);
    return (err as Error).message;
  }
  throw new Error('expected an LcConfigError');
}

function answerError(input: Parameters<typeof schemaRequestAnswer>[0]): string {
  try {
    schemaRequestAnswer(input);
  } catch (err) {
    expect(err).toBeInstanceOf(LcConfigError);
    return (err as Error).message;
  }
  throw new Error('expected an LcConfigError');
}

class Ok {
  @LcField({ label: 'A', description: 'a' })
  @IsString()
  a!: string;
}

describe('extension schema: boot errors name the class, the field and the fix', () => {
  it('an unknown dataType', () => {
    class Bad {
      @LcField({ label: 'A', description: 'a', dataType: 'password' as LcExtDataType })
      @IsString()
      a!: string;
    }
    const message = bootError(Bad);
    expect(message).toContain(`${WHERE}: Bad.a: @LcField 'dataType'`);
    expect(message).toContain('unknown data type "password"');
    expect(message).toContain('secret');
  });

  it('an enum without values', () => {
    class Bad {
      @LcField({ label: 'Mode', description: 'm', dataType: 'enum' })
      @IsString()
      mode!: string;
    }
    expect(bootError(Bad)).toMatch(/Bad\.mode: an 'enum' field needs its values: add @IsIn/);
  });

  it('enum values that are not strings or numbers, or none', () => {
    class Empty {
      @LcField({ label: 'Mode', description: 'm' })
      @IsIn([])
      mode!: string;
    }
    expect(bootError(Empty)).toMatch(/Empty\.mode: the enum values must be a non-empty list/);
    class Objects {
      @LcField({ label: 'Mode', description: 'm', dataType: 'enum', enumValues: [{}] as never })
      @IsString()
      mode!: string;
    }
    expect(bootError(Objects)).toMatch(/Objects\.mode: the enum values must be/);
  });

  it('a complex_enum without complexEnumValues, or with a malformed one', () => {
    class Missing {
      @LcField({ label: 'F', description: 'f', dataType: 'complex_enum' })
      @IsString()
      f!: string;
    }
    expect(bootError(Missing)).toMatch(/Missing\.f: a 'complex_enum' field needs/);
    class Malformed {
      @LcField({
        label: 'F',
        description: 'f',
        dataType: 'complex_enum',
        complexEnumValues: [{ label: 'x' } as never],
      })
      @IsString()
      f!: string;
    }
    expect(bootError(Malformed)).toMatch(/Malformed\.f: complexEnumValues\[0\] must be/);
  });

  it('values given for another type', () => {
    class EnumOnString {
      @LcField({ label: 'F', description: 'f', enumValues: ['a'] })
      @IsString()
      f!: string;
    }
    expect(bootError(EnumOnString)).toMatch(
      /EnumOnString\.f: 'enumValues' only apply to dataType 'enum', this field is 'string'/,
    );
    class ObjectOnInt {
      @LcField({ label: 'F', description: 'f', object: () => Ok })
      @IsInt()
      f!: number;
    }
    expect(bootError(ObjectOnInt)).toMatch(/ObjectOnInt\.f: 'object' only applies/);
  });

  it('a field without a label or a description', () => {
    class NoLabel {
      @LcField({ description: 'a' } as never)
      @IsString()
      a!: string;
    }
    expect(bootError(NoLabel)).toMatch(/NoLabel\.a: @LcField needs a non-empty 'label'/);
    class BlankDescription {
      @LcField({ label: 'A', description: '  ' })
      @IsString()
      a!: string;
    }
    expect(bootError(BlankDescription)).toMatch(
      /BlankDescription\.a: @LcField needs a non-empty 'description'/,
    );
  });

  it('a validated property without @LcField', () => {
    class Missing {
      @LcField({ label: 'A', description: 'a' })
      @IsString()
      a!: string;

      @IsString()
      b!: string;
    }
    expect(bootError(Missing)).toMatch(
      /Missing\.b is validated but has no @LcField\(\{ label, description \}\)/,
    );
  });

  it('a DTO with no field, and a value that is not a class', () => {
    class Empty {}
    expect(bootError(Empty)).toMatch(/Empty declares no field/);
    expect(bootError({})).toMatch(/expected a class-validator DTO class, got object/);
  });

  it('a field nothing validates, and a field of no known type', () => {
    class Unchecked {
      @LcField({ label: 'A', description: 'a', dataType: 'json' })
      a!: unknown;
    }
    expect(bootError(Unchecked)).toMatch(/Unchecked\.a: has no class-validator decorator/);
    class Untyped {
      @LcField({ label: 'A', description: 'a' })
      @Min(1)
      a!: number;
    }
    expect(bootError(Untyped)).toMatch(/Untyped\.a: has no type LimaCharlie's UI knows\. Add/);
  });

  it('conflicting type decorators', () => {
    class Conflict {
      @LcField({ label: 'A', description: 'a' })
      @IsString()
      @IsInt()
      a!: string;
    }
    const message = bootError(Conflict);
    expect(message).toContain('Conflict.a: conflicting type decorators');
    expect(message).toContain('@IsString()');
    expect(message).toContain('@IsInt()');
  });

  it('an object field without the class of its value (the design type alone is not validated)', () => {
    class Inner {
      @LcField({ label: 'X', description: 'x' })
      @IsInt()
      x!: number;
    }
    class Outer {
      @LcField({ label: 'Inner', description: 'inner' })
      @ValidateNested()
      inner!: Inner;
    }
    expect(bootError(Outer)).toMatch(
      /Outer\.inner: an 'object' field needs the class of its values: add @ValidateNested\(\) @Type/,
    );
    class Rec {
      @LcField({ label: 'R', description: 'r', dataType: 'record' })
      @IsOptional()
      r?: Record<string, Inner>;
    }
    expect(bootError(Rec)).toMatch(/Rec\.r: an 'record' field needs the class of its values/);
  });

  it('a DTO that contains itself', () => {
    class Node {
      @LcField({ label: 'Child', description: 'child' })
      @IsOptional()
      @ValidateNested()
      @Type(() => Node)
      child?: Node;
    }
    expect(bootError(Node)).toMatch(/Node contains itself \(Node → Node\)/);
  });

  it('a nested field at fault is named with its path', () => {
    class Inner {
      @LcField({ label: 'X', description: '' })
      @IsInt()
      x!: number;
    }
    class Outer {
      @LcField({ label: 'Inner', description: 'inner' })
      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;
    }
    expect(bootError(Outer)).toMatch(/Outer\.inner: Inner\.x: @LcField needs a non-empty/);
  });

  it('display indexes: not from 1, or taken twice', () => {
    class Zero {
      @LcField({ label: 'A', description: 'a', displayIndex: 0 })
      @IsString()
      a!: string;
    }
    expect(bootError(Zero)).toMatch(/Zero\.a: @LcField 'displayIndex' must be an integer from 1/);
    class Twice {
      @LcField({ label: 'A', description: 'a' })
      @IsString()
      a!: string;

      @LcField({ label: 'B', description: 'b', displayIndex: 1 })
      @IsString()
      b!: string;
    }
    expect(bootError(Twice)).toMatch(
      /Twice\.b: displayIndex 1 is also the displayIndex of Twice\.a/,
    );
  });

  it('a filter bound Go cannot hold', () => {
    class Fraction {
      @LcField({ label: 'A', description: 'a' })
      @IsNumber()
      @Min(0.5)
      a!: number;
    }
    expect(bootError(Fraction)).toMatch(/Fraction\.a: @Min\(0\.5\) is not an integer/);
    class Given {
      @LcField({ label: 'A', description: 'a', filter: { max: 1.5 } })
      @IsNumber()
      a!: number;
    }
    expect(bootError(Given)).toMatch(/Given\.a: filter\.max 1\.5 is not an integer/);
  });

  it('a default value that is not JSON', () => {
    class Bad {
      @LcField({ label: 'A', description: 'a', defaultValue: () => 1 })
      @IsOptional()
      @IsString()
      a?: string;
    }
    expect(bootError(Bad)).toMatch(/Bad\.a: @LcField 'defaultValue' must be a JSON value/);
  });

  it('@LcSchema options of the wrong shape', () => {
    @LcSchema({ supportedActions: [''] })
    class Bad {
      @LcField({ label: 'A', description: 'a' })
      @IsString()
      a!: string;
    }
    expect(bootError(Bad)).toMatch(
      /@LcSchema on Bad: 'supportedActions' must be a list of non-empty strings/,
    );
  });

  it('actions: a duplicate name, two defaults, a view naming an unknown action', () => {
    expect(
      answerError({ actions: [{ name: 'scan' }, { name: 'scan' }], requiredEvents: [] }),
    ).toMatch(/@LcAction\('scan'\) is declared twice/);
    expect(
      answerError({
        actions: [
          { name: 'a', default: true },
          { name: 'b', default: true },
        ],
        requiredEvents: [],
      }),
    ).toMatch(/actions 'a', 'b' are all marked default/);
    expect(
      answerError({
        views: [{ name: 'main', layoutType: 'action', defaultRequests: ['scna'] }],
        actions: [{ name: 'scan' }],
        requiredEvents: [],
      }),
    ).toMatch(
      /views\['main'\]: defaultRequests names 'scna', which no @LcAction declares\. Known actions: scan/,
    );
  });

  it("an action's parameters at fault are named with the action", () => {
    class Params {
      @LcField({ label: 'A', description: 'a', dataType: 'nope' as LcExtDataType })
      @IsString()
      a!: string;
    }
    expect(
      answerError({ actions: [{ name: 'scan', params: Params }], requiredEvents: [] }),
    ).toMatch(/^LcExtensionModule: @LcAction\('scan'\) params: Params\.a: @LcField 'dataType'/);
  });

  it('@LcField on a symbol-named property throws where it is declared', () => {
    const key = Symbol('k');
    expect(() => {
      class Sym {
        @LcField({ label: 'A', description: 'a' })
        [key]!: string;
      }
      return Sym;
    }).toThrow(/@LcField on Sym\[Symbol\(k\)\]: fields are JSON keys/);
  });
});
