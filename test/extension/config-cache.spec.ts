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
});
