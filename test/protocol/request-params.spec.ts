import {
  checkRequestParamDefs,
  validateRequestParams,
} from '../../src/protocol/service/request-params.js';

describe('request parameters (RI dict form)', () => {
  const defs = {
    n: { type: 'int', desc: 'n', is_required: true },
    f: { type: 'float', desc: 'f' },
    b: { type: 'bool', desc: 'b' },
    s: { type: 'str', desc: 's' },
    e: { type: 'enum', desc: 'e', values: ['a', 'b'] },
    u: { type: 'uuid', desc: 'u' },
  } as const;
  const check = (data: Record<string, unknown>) => validateRequestParams(defs as never, data);

  it('accepts valid data, extra keys and nulls', () => {
    expect(
      check({
        n: 3,
        f: 1.5,
        b: false,
        s: '',
        e: 'a',
        u: '0b6e0a3c-52bb-4b3c-b1b5-14c5b1c1a1f0',
        extra: {},
      }),
    ).toBeUndefined();
    expect(check({ n: 3, f: null, e: null })).toBeUndefined();
    expect(check({ n: 2.0 })).toBeUndefined();
    expect(check({ n: 1, f: 2 })).toBeUndefined();
  });

  it.each([
    [{ n: true }, 'invalid parameter n: wrong data type'],
    [{ n: '3' }, 'invalid parameter n: wrong data type'],
    [{ n: 1, f: 'x' }, 'invalid parameter f: wrong data type'],
    [{ n: 1, b: 1 }, 'invalid parameter b: wrong data type'],
    [{ n: 1, s: 5 }, 'invalid parameter s: wrong data type'],
    [{ n: 1, e: 'c' }, 'invalid parameter e: enum has invalid value'],
    [{ n: 1, e: 1 }, 'invalid parameter e: wrong data type'],
    [{ n: 1, u: 'nope' }, 'invalid parameter u: wrong data type'],
    [{}, 'missing parameter n'],
    [{ n: null }, 'missing parameter n'],
  ])('%j → %s', (data, error) => {
    expect(check(data)).toBe(error);
  });

  it('reports the first failure: type errors before missing ones', () => {
    expect(check({ f: 'x' })).toBe('invalid parameter f: wrong data type');
  });

  it('does not treat inherited names as parameters', () => {
    expect(validateRequestParams({}, { toString: 5, __proto__: 1 })).toBeUndefined();
  });

  it.each([
    [[], /must be an object/],
    [{ a: 5 }, /'a' must be an object/],
    [{ a: { type: 'float64', desc: 'd' } }, /unknown type "float64"/],
    [{ a: { type: 'str' } }, /needs a non-empty 'desc'/],
    [{ a: { type: 'enum', desc: 'd' } }, /needs a non-empty 'values' list/],
    [{ a: { type: 'str', desc: 'd', values: ['x'] } }, /has 'values' but is not an enum/],
    [{ a: { type: 'str', desc: 'd', is_required: 'yes' } }, /'is_required' must be a boolean/],
  ])('checks definitions: %j', (defsIn, message) => {
    expect(checkRequestParamDefs(defsIn)).toMatch(message);
  });
});
