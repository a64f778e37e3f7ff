import { LcEnvelopeError, parseEnvelope } from '../../src/protocol/service/envelope.js';

const parse = (value: unknown) =>
  parseEnvelope(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('parseEnvelope', () => {
  it('reads every field', () => {
    expect(
      parse({
        version: 1,
        etype: 'detection',
        oid: 'o',
        mid: 'm',
        deadline: 12.5,
        jwt: 'j',
        data: { a: 1 },
      }),
    ).toEqual({
      version: 1,
      etype: 'detection',
      oid: 'o',
      mid: 'm',
      deadline: 12.5,
      jwt: 'j',
      data: { a: 1 },
    });
  });

  it('defaults version to 1 and data to {}, and treats null fields as absent', () => {
    expect(
      parse({ etype: 'health', oid: null, jwt: null, mid: null, deadline: null, data: null }),
    ).toEqual({
      version: 1,
      etype: 'health',
      oid: undefined,
      mid: undefined,
      deadline: undefined,
      jwt: undefined,
      data: {},
    });
  });

  it('reads a numeric-string deadline as epoch seconds', () => {
    expect(parse({ etype: 'x', deadline: '1700000000' }).deadline).toBe(1700000000);
  });

  it('keeps version > 1 for the dispatcher to refuse', () => {
    expect(parse({ etype: 'x', version: 2 }).version).toBe(2);
  });

  it.each([
    ['', /body is empty/],
    ['nope', /invalid JSON body/],
    ['null', /expected a JSON object, got null/],
    ['{"etype":""}', /'etype' must be a non-empty string/],
    ['{"etype":"x","data":true}', /'data' must be an object, got boolean/],
    ['{"etype":"x","deadline":"1e999"}', /'deadline' must be a number/],
    ['{"etype":"x","deadline":"  "}', /'deadline' must be a number/],
  ])('refuses %j', (body, message) => {
    expect(() => parse(body)).toThrow(LcEnvelopeError);
    expect(() => parse(body)).toThrow(message);
  });

  it('decodes invalid UTF-8 with replacement characters instead of throwing', () => {
    const raw = Buffer.concat([
      Buffer.from('{"etype":"x","data":{"s":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}'),
    ]);
    expect(parseEnvelope(raw).data).toEqual({ s: '\ufffd\ufffd' });
  });
});
