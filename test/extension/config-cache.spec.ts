import { Injectable } from '@nestjs/common';
import { IsString, ValidateBy } from 'class-validator';
import { LcAction, LcConfig, LcConfigValidator, LcField } from 'nestjs-lc-service';
import { startExtApp, type LcExtTestApp } from './helpers.js';

/** How many times the config's validators ran, and what they refuse. */
const seen = { runs: 0, refused: new Set<string>() };

class Config {
  @LcField({ label: 'Tag', description: 'Tag to add' })
  @IsString()
  @ValidateBy({
    name: 'notRefused',
    validator: {
      validate: (value: unknown) => {
        seen.runs++;
        return !seen.refused.has(String(value));
      },
      defaultMessage: () => 'tag is refused',
    },
  })
  tag!: string;
}

@Injectable()
class Handlers {
  @LcAction('tag')
  tag(@LcConfig() config: Config) {
    const before = config.tag;
    // A handler writing to its config must not change what the next call gets.
    config.tag = 'changed by a handler';
    return { tag: before, isDto: config instanceof Config };
  }

  @LcAction('fields')
  fields(@LcConfig() config: Config) {
    return { fields: Object.keys(config) };
  }

  @LcConfigValidator()
  validate() {}
}

describe('the config DTO of an Extension call', () => {
  let ext: LcExtTestApp;

  beforeAll(async () => {
    ext = await startExtApp({ options: { config: Config }, providers: [Handlers] });
  });
  afterAll(() => ext.close());
  beforeEach(() => {
    seen.runs = 0;
    seen.refused.clear();
  });

  it('is validated once per distinct config, each call getting its own instance', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await ext.client.request('tag', {}, { config: { tag: 'a' } });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({ tag: 'a', isDto: true });
    }
    expect(seen.runs).toBe(1);
    await ext.client.request('tag', {}, { config: { tag: 'b' } });
    expect(seen.runs).toBe(2);
  });

  it('is validated afresh by conf_validation, and a refused config is never kept', async () => {
    await ext.client.request('tag', {}, { config: { tag: 'c' } });
    const runs = seen.runs;
    seen.refused.add('c');
    const validation = await ext.client.validateConfig({ tag: 'c' });
    expect(validation.status).toBe(400);
    expect(validation.body).toMatchObject({ error: 'invalid config: tag is refused' });
    // A refused value is checked twice: once to find that it fails, once more by class-validator
    // for its message.
    expect(seen.runs).toBe(runs + 2);
    expect((await ext.client.request('tag', {}, { config: { tag: 'c' } })).status).toBe(400);
    expect(seen.runs).toBe(runs + 4);

    seen.refused.add('d');
    for (let i = 0; i < 2; i++) {
      const answer = await ext.client.request('tag', {}, { config: { tag: 'd' } });
      expect(answer.status).toBe(400);
    }
    expect(seen.runs).toBe(runs + 8);
  });

  it("takes an org's config from memory only when every field is the same", async () => {
    const oid = '3d3f7c0e-8d8b-4c7e-9d4e-6f1a2b3c4d5e';
    const send = (config: Record<string, unknown>) =>
      ext.client.request('tag', {}, { config, oid });
    expect((await send({ tag: 'e' })).status).toBe(200);
    expect((await send({ tag: 'e' })).status).toBe(200);
    expect(seen.runs).toBe(1);
    // Another value, another type, a field more: each is another config, validated.
    seen.refused.add('f');
    expect((await send({ tag: 'f' })).status).toBe(400);
    expect((await send({ tag: 1 })).status).toBe(400);
    expect((await send({ tag: 'e', extra: true })).status).toBe(200);
    expect((await send({ tag: 'e', extra: false })).status).toBe(200);
    const fields = (config: Record<string, unknown>) =>
      ext.client.request('fields', {}, { config, oid });
    expect((await fields({ tag: 'e' })).body.data).toEqual({ fields: ['tag'] });
    expect((await fields({ tag: 'e', extra: 1 })).body.data).toEqual({ fields: ['tag', 'extra'] });
    // A nested field is compared through its JSON, as any config is.
    expect((await send({ tag: 'e', extra: { on: true } })).status).toBe(200);
    expect((await send({ tag: 'e', extra: { on: false } })).status).toBe(200);
    const runs = seen.runs;
    expect((await send({ tag: 'e' })).body.data).toEqual({ tag: 'e', isDto: true });
    expect(seen.runs).toBe(runs);
    // What conf_validation refuses is refused to the org that had it remembered, too.
    seen.refused.add('e');
    expect((await ext.client.validateConfig({ tag: 'e' }, { oid })).status).toBe(400);
    expect((await send({ tag: 'e' })).status).toBe(400);
  });
});
