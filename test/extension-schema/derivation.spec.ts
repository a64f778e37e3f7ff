import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsEnum,
  IsFQDN,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsSid, LcField } from 'nestjs-lc-service';
import { schemaObjectOf } from '../../src/params/ext-schema.js';

type Element = Record<string, unknown>;

function fieldsOf(dto: new () => object): Record<string, Element> {
  return schemaObjectOf(dto, 'test').fields as Record<string, Element>;
}

enum Mode {
  Quick = 'quick',
  Full = 'full',
}

enum Level {
  Low,
  High,
}

class AllTypes {
  @LcField({ label: 'S', description: 'a string' })
  @IsString()
  s!: string;

  @LcField({ label: 'I', description: 'an int' })
  @IsInt()
  i!: number;

  @LcField({ label: 'N', description: 'a number' })
  @IsNumber()
  n!: number;

  @LcField({ label: 'B', description: 'a bool' })
  @IsBoolean()
  b!: boolean;

  @LcField({ label: 'E1', description: 'from IsIn' })
  @IsString()
  @IsIn(['a', 'b'])
  e1!: string;

  @LcField({ label: 'E2', description: 'from IsEnum' })
  @IsEnum(Mode)
  e2!: Mode;

  @LcField({ label: 'E3', description: 'a numeric enum' })
  @IsEnum(Level)
  e3!: Level;

  @LcField({ label: 'Sid', description: 'a sensor' })
  @IsString()
  @IsSid()
  sid!: string;

  @LcField({ label: 'U', description: 'a uuid' })
  @IsUUID()
  u!: string;

  @LcField({ label: 'Url', description: 'a url' })
  @IsUrl()
  url!: string;

  @LcField({ label: 'Dom', description: 'a domain' })
  @IsFQDN()
  dom!: string;
}

describe('extension schema: types from class-validator', () => {
  it('maps each type decorator to its data type, narrower ones winning over @IsString()', () => {
    const fields = fieldsOf(AllTypes);
    const types = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.data_type]));
    expect(types).toEqual({
      s: 'string',
      i: 'integer',
      n: 'integer',
      b: 'bool',
      e1: 'enum',
      e2: 'enum',
      e3: 'enum',
      sid: 'sid',
      u: 'string',
      url: 'url',
      dom: 'domain',
    });
    expect(fields.e1.enum_values).toEqual(['a', 'b']);
    expect(fields.e2.enum_values).toEqual(['quick', 'full']);
    // A numeric enum's values without the reverse mapping TypeScript adds.
    expect(fields.e3.enum_values).toEqual([0, 1]);
  });

  it('display_index follows declaration order from 1; every required field is its own set', () => {
    const object = schemaObjectOf(AllTypes, 'test');
    const fields = object.fields as Record<string, Element>;
    const order = ['s', 'i', 'n', 'b', 'e1', 'e2', 'e3', 'sid', 'u', 'url', 'dom'];
    for (const [position, name] of order.entries()) {
      expect(fields[name].display_index).toBe(position + 1);
    }
    expect(object.requirements).toEqual(order.map((name) => [name]));
  });

  it('an explicit dataType wins over the derived one, and @IsIn values still feed an enum', () => {
    class Explicit {
      @LcField({ label: 'Secret', description: 'a secret', dataType: 'secret' })
      @IsString()
      key!: string;

      @LcField({ label: 'Rule', description: 'a YARA rule', dataType: 'yara_rule' })
      @IsString()
      rule!: string;

      @LcField({ label: 'Platform', description: 'a platform', dataType: 'enum' })
      @IsString()
      @IsIn(['windows', 'linux'])
      platform!: string;

      @LcField({ label: 'Level', description: 'explicit values', enumValues: ['x', 'y'] })
      @IsIn(['x', 'y', 'z'])
      level!: string;
    }
    const fields = fieldsOf(Explicit);
    expect(fields.key.data_type).toBe('secret');
    expect(fields.rule.data_type).toBe('yara_rule');
    expect(fields.platform).toMatchObject({ data_type: 'enum', enum_values: ['windows', 'linux'] });
    expect(fields.level.enum_values).toEqual(['x', 'y']);
  });

  it('lists: @IsArray() or { each: true }', () => {
    class Lists {
      @LcField({ label: 'Tags', description: 'tags', dataType: 'tag' })
      @IsArray()
      @IsString({ each: true })
      tags!: string[];

      @LcField({ label: 'Sensors', description: 'sensors' })
      @IsSid({ each: true })
      sids!: string[];

      @LcField({ label: 'One', description: 'not a list' })
      @IsString()
      one!: string;
    }
    const fields = fieldsOf(Lists);
    expect(fields.tags).toMatchObject({ data_type: 'tag', is_list: true });
    expect(fields.sids).toMatchObject({ data_type: 'sid', is_list: true });
    expect(fields.one).not.toHaveProperty('is_list');
  });

  it('filter: @Min/@Max/@Matches, overridden key by key by @LcField filter; Go drops a 0 bound', () => {
    class Bounds {
      @LcField({ label: 'A', description: 'bounded' })
      @IsInt()
      @Min(2)
      @Max(9)
      a!: number;

      @LcField({
        label: 'B',
        description: 'override max',
        filter: { max: 4, platforms: ['linux'] },
      })
      @IsInt()
      @Min(2)
      @Max(9)
      b!: number;

      @LcField({ label: 'C', description: 'zero min' })
      @IsInt()
      @Min(0)
      c!: number;

      @LcField({ label: 'D', description: 'pattern as a string with flags' })
      @IsString()
      @Matches('^x+$', 'ims')
      d!: string;

      @LcField({
        label: 'E',
        description: 'lists',
        filter: { whitelist: ['a'], blacklist: ['b'], invalidRe: '^z' },
      })
      @IsString()
      e!: string;
    }
    const fields = fieldsOf(Bounds);
    expect(fields.a.filter).toEqual({ min: 2, max: 9 });
    expect(fields.b.filter).toEqual({ min: 2, max: 4, platforms: ['linux'] });
    expect(fields.c.filter).toEqual({});
    expect(fields.d.filter).toEqual({ valid_re: '(?ims)^x+$' });
    expect(fields.e.filter).toEqual({ whitelist: ['a'], blacklist: ['b'], invalid_re: '^z' });
  });

  it('a nested object: @ValidateNested() @Type(() => Inner)', () => {
    class Inner {
      @LcField({ label: 'X', description: 'x' })
      @IsOptional()
      @IsInt()
      x?: number;
    }
    class Outer {
      @LcField({ label: 'Inner', description: 'inner' })
      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;
    }
    expect(fieldsOf(Outer).inner).toEqual({
      label: 'Inner',
      description: 'inner',
      data_type: 'object',
      display_index: 1,
      object: {
        fields: {
          x: { label: 'X', description: 'x', data_type: 'integer', display_index: 1, filter: {} },
        },
        key: {},
        requirements: [],
      },
      filter: {},
    });
  });

  it('inherited fields come first; a redeclared one keeps its place and takes the new options', () => {
    class Base {
      @LcField({ label: 'A', description: 'base a' })
      @IsString()
      a!: string;

      @LcField({ label: 'B', description: 'base b' })
      @IsString()
      b!: string;
    }
    class Child extends Base {
      @LcField({ label: 'C', description: 'child c' })
      @IsString()
      c!: string;

      @LcField({ label: 'A2', description: 'child a' })
      @IsOptional()
      @IsString()
      declare a: string;
    }
    const object = schemaObjectOf(Child, 'test');
    const fields = object.fields as Record<string, Element>;
    expect(fields.a).toMatchObject({ label: 'A2', display_index: 1 });
    expect(fields.b).toMatchObject({ label: 'B', display_index: 2 });
    expect(fields.c).toMatchObject({ label: 'C', display_index: 3 });
    expect(object.requirements).toEqual([['b'], ['c']]);
    // The base class is unchanged by its subclass.
    expect((schemaObjectOf(Base, 'test').fields as Record<string, Element>).a.label).toBe('A');
  });

  it('no DTO: an empty SchemaObject', () => {
    expect(schemaObjectOf(undefined, 'test')).toEqual({ fields: {}, key: {}, requirements: [] });
  });
});
