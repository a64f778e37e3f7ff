import 'reflect-metadata';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { IsSid, LcParam, type LcRequestParamDefs } from 'nestjs-lc-service';
import { LcDtoParams, type LcParamsOutcome } from '../../src/params/dto-validation.js';
import {
  checkRequestParamDefs,
  validateRequestParams,
} from '../../src/protocol/service/request-params.js';

const SID = '0b7c1e4d-2f3a-4b5c-8d9e-0f1a2b3c4d5e';

class ScanParams {
  @LcParam({ description: 'host name' })
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  host!: string;

  @LcParam({ description: 'depth' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  depth = 2;

  @LcParam({ description: 'ratio' })
  @IsOptional()
  @IsNumber()
  ratio?: number;

  @LcParam({ description: 'dry run' })
  @IsOptional()
  @IsBoolean()
  dryRun = false;

  @LcParam({ description: 'mode' })
  @IsOptional()
  @IsIn(['quick', 'full'])
  mode?: string;

  @LcParam({ description: 'job' })
  @IsOptional()
  @IsUUID()
  job?: string;

  @LcParam({ description: 'sensor' })
  @IsOptional()
  @IsSid()
  sid?: string;

  @LcParam({ description: 'tag' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]+$/, { message: 'only lowercase letters' })
  tag?: string;
}

/** The same parameters in the RI's dict form, as a setRequestParameters() user writes them. */
const RI_DEFS: LcRequestParamDefs = {
  host: { type: 'str', desc: 'host name', is_required: true },
  depth: { type: 'int', desc: 'depth' },
  ratio: { type: 'float', desc: 'ratio' },
  dryRun: { type: 'bool', desc: 'dry run' },
  mode: { type: 'enum', desc: 'mode', values: ['quick', 'full'] },
  job: { type: 'uuid', desc: 'job' },
  sid: { type: 'sid', desc: 'sensor' },
  tag: { type: 'str', desc: 'tag' },
};

const scan = new LcDtoParams(ScanParams, 'test');

async function errorOf(data: Record<string, unknown>, dto = scan): Promise<string> {
  const outcome = await dto.validate(data);
  if (outcome.ok) throw new Error(`valid: ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

function valueOf(outcome: LcParamsOutcome): ScanParams {
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value as ScanParams;
}

describe('DTO parameter validation', () => {
  it('hands back a transformed DTO instance, with defaults for absent and null values', async () => {
    const dto = valueOf(await scan.validate({ host: '  web-1 ', depth: null, mode: 'full' }));
    expect(dto).toBeInstanceOf(ScanParams);
    expect(dto).toEqual(
      Object.assign(new ScanParams(), { host: 'web-1', depth: 2, dryRun: false, mode: 'full' }),
    );
  });

  it('allows extra parameters and keeps them off the DTO', async () => {
    const dto = valueOf(await scan.validate({ host: 'h', unknown: 1, command_name: 'x' }));
    expect(Object.keys(dto)).not.toContain('unknown');
    expect(Object.keys(dto)).not.toContain('command_name');
  });

  it.each([
    ['a missing required parameter', {}, 'missing parameter host'],
    ['a null required parameter', { host: null }, 'missing parameter host'],
    ['true as an int', { host: 'h', depth: true }, 'invalid parameter depth: wrong data type'],
    ['a fraction as an int', { host: 'h', depth: 2.5 }, 'invalid parameter depth: wrong data type'],
    ['a string as an int', { host: 'h', depth: '3' }, 'invalid parameter depth: wrong data type'],
    [
      'a string as a float',
      { host: 'h', ratio: '0.5' },
      'invalid parameter ratio: wrong data type',
    ],
    [
      'a string as a bool',
      { host: 'h', dryRun: 'true' },
      'invalid parameter dryRun: wrong data type',
    ],
    ['a number as a str', { host: 7 }, 'invalid parameter host: wrong data type'],
    [
      'a value outside the enum',
      { host: 'h', mode: 'slow' },
      'invalid parameter mode: enum has invalid value',
    ],
    ['a number as an enum', { host: 'h', mode: 1 }, 'invalid parameter mode: wrong data type'],
    ['a bad uuid', { host: 'h', job: 'not-a-uuid' }, 'invalid parameter job: wrong data type'],
    ['a bad sid', { host: 'h', sid: 'abc' }, 'invalid parameter sid: wrong data type'],
    [
      'an int below @Min',
      { host: 'h', depth: 0 },
      'invalid parameter depth: must not be less than 1',
    ],
    [
      'an int above @Max',
      { host: 'h', depth: 9 },
      'invalid parameter depth: must not be greater than 5',
    ],
    ['a custom message', { host: 'h', tag: 'UP' }, 'invalid parameter tag: only lowercase letters'],
  ])('answers %s with the RI string', async (_case, data, error) => {
    expect(await errorOf(data)).toBe(error);
  });

  it('accepts 3.0 as an int, floats, bools, enum values, uuids and sids', async () => {
    const data = JSON.parse(
      `{"host":"h","depth":3.0,"ratio":0.25,"dryRun":true,"mode":"quick","job":"${SID}","sid":"${SID.toUpperCase()}"}`,
    ) as Record<string, unknown>;
    const dto = valueOf(await scan.validate(data));
    expect([dto.depth, dto.ratio, dto.dryRun, dto.mode, dto.sid]).toEqual([
      3,
      0.25,
      true,
      'quick',
      SID.toUpperCase(),
    ]);
  });

  it('reports the first failure, in the order of the data, type problems before missing ones', async () => {
    expect(await errorOf({ mode: 'slow', depth: true })).toBe(
      'invalid parameter mode: enum has invalid value',
    );
    expect(await errorOf({ depth: true, mode: 'slow' })).toBe(
      'invalid parameter depth: wrong data type',
    );
  });

  it('answers a stricter class-validator type check as a wrong data type', async () => {
    class V4 {
      @LcParam({ description: 'a v4 uuid' })
      @IsUUID('4')
      id!: string;
    }
    const v1 = 'c232ab00-9414-11ec-b3c8-9f6bdeced846';
    expect(await errorOf({ id: v1 }, new LcDtoParams(V4, 'test'))).toBe(
      'invalid parameter id: wrong data type',
    );
  });

  it('never lets __proto__ or constructor keys reach a prototype', async () => {
    const data = JSON.parse(
      '{"host":"h","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    ) as Record<string, unknown>;
    const dto = valueOf(await scan.validate(data));
    expect(Object.getPrototypeOf(dto)).toBe(ScanParams.prototype);
    expect((dto as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((ScanParams.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a throwing @Transform as a failed validation, without throwing', async () => {
    class Throws {
      @LcParam({ description: 'x' })
      @IsString()
      @Transform(() => {
        throw new Error('boom');
      })
      x!: string;
    }
    expect(await errorOf({ x: 'a' }, new LcDtoParams(Throws, 'test'))).toBe(
      'parameter validation failed: boom',
    );
  });

  it('runs async custom validators', async () => {
    class Async {
      @LcParam({ description: 'x' })
      @IsString()
      @ValidateBy({
        name: 'isKnown',
        async: true,
        validator: {
          validate: async (value) => value === 'known',
          defaultMessage: () => '$property is not a known host',
        },
      })
      x!: string;
    }
    const dto = new LcDtoParams(Async, 'test');
    expect(await errorOf({ x: 'other' }, dto)).toBe('invalid parameter x: is not a known host');
    expect((await dto.validate({ x: 'known' })).ok).toBe(true);
  });

  it('agrees with setRequestParameters() on every RI error string', async () => {
    expect(checkRequestParamDefs(RI_DEFS)).toBeUndefined();
    const inputs: Record<string, unknown>[] = [
      {},
      { host: null },
      { host: 1 },
      { host: 'h', depth: true },
      { host: 'h', depth: 1.5 },
      { host: 'h', ratio: 'x' },
      { host: 'h', dryRun: 0 },
      { host: 'h', mode: 'slow' },
      { host: 'h', mode: 2 },
      { host: 'h', job: 'nope' },
      { host: 'h', sid: 'nope' },
      { mode: 'slow', host: 'h' },
      { host: 'h', depth: 3, ratio: 1.5, dryRun: true, mode: 'full', job: SID, sid: SID },
      { host: 'h', extra: { nested: true }, depth: null },
    ];
    for (const data of inputs) {
      const outcome = await scan.validate(data);
      expect({ data, error: outcome.ok ? undefined : outcome.error }).toEqual({
        data,
        error: validateRequestParams(RI_DEFS, data),
      });
    }
  });
});
