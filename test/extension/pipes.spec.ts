import { Injectable, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Max } from 'class-validator';
import { LcAction, LcConfig, LcData, LcField } from 'nestjs-lc-service';
import { startExtApp, type LcExtTestApp } from './helpers.js';

class Config {
  @LcField({ label: 'Tag', description: 'Tag to add' })
  @IsString()
  tag!: string;
}

/** `n` is doubled once by the module; doubled again it would break its @Max. */
class Params {
  @LcField({ label: 'N', description: 'A number' })
  @Transform(({ value }: { value: unknown }) => Number(value) * 2)
  @IsInt()
  @Max(10)
  n!: number;
}

let transforms = 0;

@Injectable()
class Handlers {
  @LcAction('double', { params: Params })
  double(@LcData() p: Params, @LcConfig() c: Config) {
    transforms = p.n;
    return { n: p.n, isDto: p instanceof Params, configIsDto: c instanceof Config, tag: c.tag };
  }
}

describe.each(['fastify', 'express'] as const)('a global ValidationPipe (%s)', (adapter) => {
  let ext: LcExtTestApp;

  beforeAll(async () => {
    ext = await startExtApp({
      adapter,
      options: { config: Config },
      providers: [
        Handlers,
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ transform: true, forbidUnknownValues: true }),
        },
      ],
    });
  });
  afterAll(() => ext.close());

  it('leaves an action DTO the module validated and built alone', async () => {
    const answer = await ext.client.request('double', { n: 4 }, { config: { tag: 't' } });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ n: 8, isDto: true, configIsDto: true, tag: 't' });
    expect(transforms).toBe(8);
  });

  it('still refuses what the module refuses, with its own message', async () => {
    const answer = await ext.client.request('double', { n: 6 }, { config: { tag: 't' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: 'invalid data: n must not be greater than 10',
      retriable: false,
    });
  });
});
