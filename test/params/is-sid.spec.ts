import 'reflect-metadata';
import { validate } from 'class-validator';
import { IsSid, isSid } from 'nestjs-lc-service';
import { IS_SID } from '../../src/params/is-sid.decorator.js';
import { validateRequestParams } from '../../src/protocol/service/request-params.js';

class Target {
  @IsSid()
  sid!: unknown;
}

describe('IsSid', () => {
  it.each([
    ['0b7c1e4d-2f3a-4b5c-8d9e-0f1a2b3c4d5e', true],
    ['0B7C1E4D-2F3A-4B5C-8D9E-0F1A2B3C4D5E', true],
    ['c232ab00-9414-11ec-b3c8-9f6bdeced846', true],
    ['00000000-0000-0000-0000-000000000000', true],
    ['0b7c1e4d2f3a4b5c8d9e0f1a2b3c4d5e', false],
    ['web-1', false],
    [42, false],
    [null, false],
  ])('judges %p like the sid type of setRequestParameters()', (value, ok) => {
    expect(isSid(value)).toBe(ok);
    const riError = validateRequestParams({ sid: { type: 'sid', desc: 'd' } }, { sid: value });
    expect(riError === undefined).toBe(ok || value === null);
  });

  it('reports the isSid constraint with a readable message in plain class-validator use', async () => {
    const target = Object.assign(new Target(), { sid: 'web-1' });
    const [error] = await validate(target);
    expect(error.constraints).toEqual({ [IS_SID]: 'sid must be a sensor id (a UUID)' });
  });
});
