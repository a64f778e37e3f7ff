import {
  Injectable,
  type ArgumentMetadata,
  type OnModuleInit,
  type PipeTransform,
  ValidationPipe,
} from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Min } from 'class-validator';
import {
  IsSid,
  LcData,
  LcHandler,
  LcParam,
  LcReq,
  lcResponse,
  LcService,
  type LcRequest,
} from 'nestjs-lc-service';
import { ADAPTERS, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

const HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SID = '0b7c1e4d-2f3a-4b5c-8d9e-0f1a2b3c4d5e';

class LookupParams {
  @LcParam({ description: 'the SHA-256 to look up', index: 0 })
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  hash!: string;

  @LcParam({ description: 'how many results', index: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  limit = 10;

  @LcParam({ description: 'minimum score', index: 2 })
  @IsOptional()
  @IsNumber()
  minScore?: number;

  @LcParam({ description: 'include details', index: 3 })
  @IsOptional()
  @IsBoolean()
  verbose = false;

  @LcParam({ description: 'where to look', index: 4 })
  @IsOptional()
  @IsIn(['cache', 'live'])
  source?: string;

  @LcParam({ description: 'only this sensor', index: 5 })
  @IsOptional()
  @IsSid()
  sid?: string;
}

const calls: unknown[] = [];

@Injectable()
class LookupHandlers {
  @LcHandler('request', { params: LookupParams })
  lookup(@LcData() params: LookupParams, @LcData('limit') limit: number, @LcReq() req: LcRequest) {
    calls.push(params);
    return lcResponse({
      data: { isDto: params instanceof LookupParams, params: { ...params }, limit, raw: req.data },
    });
  }
}

describe.each(ADAPTERS)('@LcHandler(request, { params: Dto }) over HTTP (%s)', (adapter) => {
  let t: LcTestApp;
  beforeAll(async () => {
    t = await startLcApp({ adapter, providers: [LookupHandlers] });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    calls.length = 0;
  });

  it('advertises request_params derived from the DTO in health', async () => {
    const res = await t.client.send('health');
    const mtd = (res.body.data as { mtd: Record<string, unknown> }).mtd;
    expect(mtd.callbacks).toEqual(['get_resource', 'health', 'request']);
    expect(mtd.request_params).toEqual({
      hash: { type: 'str', desc: 'the SHA-256 to look up', is_required: true, index: 0 },
      limit: { type: 'int', desc: 'how many results', is_required: false, index: 1 },
      minScore: { type: 'float', desc: 'minimum score', is_required: false, index: 2 },
      verbose: { type: 'bool', desc: 'include details', is_required: false, index: 3 },
      source: {
        type: 'enum',
        desc: 'where to look',
        is_required: false,
        values: ['cache', 'live'],
        index: 4,
      },
      sid: { type: 'sid', desc: 'only this sensor', is_required: false, index: 5 },
    });
  });

  it('hands the handler the transformed DTO; null counts as absent; extras are allowed', async () => {
    const data = {
      hash: HASH.toUpperCase(),
      limit: null,
      minScore: 0.75,
      verbose: true,
      source: 'live',
      sid: SID,
      note: 'extra',
    };
    const res = await t.client.send('request', { data });
    expect(res.body).toEqual({
      success: true,
      data: {
        isDto: true,
        params: { hash: HASH, limit: 10, minScore: 0.75, verbose: true, source: 'live', sid: SID },
        limit: 10,
        raw: data,
      },
    });
  });

  it('takes 3.0 as an int (JSON has one number type)', async () => {
    const body = JSON.stringify(t.client.envelope('request', { data: {} })).replace(
      '"data":{}',
      `"data":{"hash":"${HASH}","limit":3.0}`,
    );
    const res = await t.client.sendRaw<{ data: { limit: number } }>(body);
    expect(res.body.data.limit).toBe(3);
  });

  it.each([
    ['a missing parameter', {}, 'missing parameter hash'],
    ['a null required parameter', { hash: null }, 'missing parameter hash'],
    ['true as an int', { hash: HASH, limit: true }, 'invalid parameter limit: wrong data type'],
    [
      'a string as a float',
      { hash: HASH, minScore: '1' },
      'invalid parameter minScore: wrong data type',
    ],
    [
      'a bad enum value',
      { hash: HASH, source: 'disk' },
      'invalid parameter source: enum has invalid value',
    ],
    ['a bad sensor id', { hash: HASH, sid: 'host-1' }, 'invalid parameter sid: wrong data type'],
    [
      'a value under @Min',
      { hash: HASH, limit: 0 },
      'invalid parameter limit: must not be less than 1',
    ],
  ])('refuses %s before the handler, without retry', async (_case, data, error) => {
    const res = await t.client.send('request', { data });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: false, retry: false, data: {}, error });
    expect(calls).toHaveLength(0);
  });

  it('keeps __proto__ and constructor keys as plain data', async () => {
    const body = JSON.stringify(t.client.envelope('request', { data: {} })).replace(
      '"data":{}',
      `"data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"hash":"${HASH}"}`,
    );
    const res = await t.client.sendRaw<{ success: boolean; data: { isDto: boolean } }>(body);
    expect(res.body.success).toBe(true);
    expect(res.body.data.isDto).toBe(true);
    expect(Object.getPrototypeOf(calls[0])).toBe(LookupParams.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((LookupParams.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });
});

class Counted {
  @LcParam({ description: 'a count, plus one on the way in' })
  @IsInt()
  @Transform(({ value }) => (typeof value === 'number' ? value + 1 : value))
  count!: number;
}

const piped: { value: unknown; metatype: unknown }[] = [];

/** A global pipe that records what it is given, like any app-wide pipe would see it. */
@Injectable()
class RecordingPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.data === undefined) piped.push({ value, metatype: metadata.metatype });
    return value;
  }
}

@Injectable()
class CountedHandlers {
  @LcHandler('request', { params: Counted })
  count(@LcData() params: Counted) {
    return lcResponse({ data: { isDto: params instanceof Counted, count: params.count } });
  }
}

describe.each(ADAPTERS)(
  'DTO params next to a global ValidationPipe({ transform: true, whitelist: true }) (%s)',
  (adapter) => {
    let t: LcTestApp;
    beforeAll(async () => {
      t = await startLcApp({
        adapter,
        providers: [
          CountedHandlers,
          { provide: APP_PIPE, useValue: new ValidationPipe({ transform: true, whitelist: true }) },
          { provide: APP_PIPE, useClass: RecordingPipe },
        ],
      });
    });
    afterAll(() => t.close());

    it('validates and transforms once: the pipe passes the built instance through', async () => {
      piped.length = 0;
      const res = await t.client.send('request', { data: { count: 1, extra: 'kept out' } });
      expect(res.body).toEqual({ success: true, data: { isDto: true, count: 2 } });
      expect(piped).toHaveLength(1);
      expect(piped[0].value).toBeInstanceOf(Counted);
      expect(piped[0].metatype).toBe(Object);
    });

    it('answers a bad value with the RI string, not the pipe message', async () => {
      const res = await t.client.send('request', { data: { count: 'one' } });
      expect(res.body).toEqual({
        success: false,
        retry: false,
        data: {},
        error: 'invalid parameter count: wrong data type',
      });
    });
  },
);

@Injectable()
class SetsParamsAtInit implements OnModuleInit {
  constructor(private readonly lc: LcService) {}
  onModuleInit() {
    this.lc.setRequestParameters({ x: { type: 'str', desc: 'x' } });
  }
}

@Injectable()
class SetsParamsLater {
  constructor(private readonly lc: LcService) {}
  @LcHandler('org_install')
  install() {
    this.lc.setRequestParameters({ x: { type: 'str', desc: 'x' } });
    return true;
  }
}

class Undescribed {
  @LcParam({ description: 'fine' })
  @IsString()
  a!: string;

  @IsInt()
  b!: number;
}

@Injectable()
class UndescribedHandler {
  @LcHandler('request', { params: Undescribed })
  handle() {
    return true;
  }
}

@Injectable()
class ParamsOnInstall {
  @LcHandler('org_install' as 'request', { params: LookupParams })
  install() {
    return true;
  }
}

class Other {}

@Injectable()
class WrongDataType {
  @LcHandler('request', { params: LookupParams })
  handle(@LcData() params: Other) {
    return params !== undefined;
  }
}

async function bootError(providers: Parameters<typeof startLcApp>[0]): Promise<string> {
  try {
    const t = await startLcApp(providers);
    await t.close();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the app booted');
}

describe('declaring request parameters: boot and call-time errors', () => {
  it('refuses a params DTO together with setRequestParameters() at boot', async () => {
    expect(await bootError({ providers: [LookupHandlers, SetsParamsAtInit] })).toBe(
      "LcServiceModule: request parameters are declared twice, by the params DTO LookupParams of @LcHandler('request') on LookupHandlers.lookup and by LcService.setRequestParameters(). " +
        "Declare them once: keep the DTO of @LcHandler('request', { params }) and stop calling setRequestParameters(), or the reverse.",
    );
  });

  it('refuses setRequestParameters() at call time when a params DTO exists', async () => {
    const t = await startLcApp({ providers: [LookupHandlers, SetsParamsLater] });
    try {
      const res = await t.client.send('org_install');
      expect(res.body).toMatchObject({ success: false, retry: true });
      expect(res.body.error).toMatch(/^LcServiceModule: request parameters are declared twice/);
      const health = await t.client.send('health');
      const mtd = (health.body.data as { mtd: { request_params: object } }).mtd;
      expect(Object.keys(mtd.request_params)).toContain('hash');
    } finally {
      await t.close();
    }
  });

  it('names the handler, DTO and property without a description', async () => {
    expect(await bootError({ providers: [UndescribedHandler] })).toBe(
      "LcServiceModule: @LcHandler('request') on UndescribedHandler.handle: Undescribed.b is validated but has no @LcParam({ description }). LimaCharlie's form shows a description for every parameter: add one.",
    );
  });

  it('refuses params on another etype and a mistyped @LcData() parameter', async () => {
    expect(await bootError({ providers: [ParamsOnInstall] })).toMatch(
      /^LcServiceModule: @LcHandler\('org_install'\) on ParamsOnInstall\.install: the 'params' option only applies to @LcHandler\('request'\)/,
    );
    expect(await bootError({ providers: [WrongDataType] })).toBe(
      "LcServiceModule: @LcHandler('request') on WrongDataType.handle: its @LcData() parameter is typed Other, but the handler's DTO is LookupParams. Type the parameter as LookupParams.",
    );
  });
});
