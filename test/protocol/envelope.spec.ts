import { LcEnvelopeError, parseEnvelope } from '../../src/protocol/service/envelope.js';

const OID = '8cbe27f4-bfa1-4afb-ba19-138cd51389cd';
const SID = 'd3c2f7a8-1b4e-4c6d-9e0f-2a3b4c5d6e7f';

const parse = (value: unknown) =>
  parseEnvelope(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('parseEnvelope', () => {
  it('reads every field', () => {
    expect(
      parse({
        version: 1,
        etype: 'detection',
        oid: OID,
        mid: 'm',
        deadline: 12.5,
        jwt: 'j',
        data: { a: 1 },
      }),
    ).toEqual({
      version: 1,
      etype: 'detection',
      oid: OID,
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

  it('reads a decimal deadline string strictly, fractions included', () => {
    expect(parse({ etype: 'x', deadline: '1700000000.25' }).deadline).toBe(1700000000.25);
  });

  it('takes empty ids of calls sent once per service as absent', () => {
    for (const etype of ['health', 'once_per_24h']) {
      expect(parse({ etype, oid: '', mid: '', jwt: '' })).toMatchObject({
        oid: undefined,
        mid: undefined,
        jwt: undefined,
      });
    }
  });

  it('accepts any UUID oid and sensor sid, in either case, and leaves other sids alone', () => {
    const upper = OID.toUpperCase();
    expect(parse({ etype: 'detection', oid: upper }).oid).toBe(upper);
    expect(parse({ etype: 'new_sensor', data: { sid: SID } }).data).toEqual({ sid: SID });
    // A request's `sid` is what the user typed in a form: its handler decides.
    expect(parse({ etype: 'request', data: { sid: 'web-1' } }).data).toEqual({ sid: 'web-1' });
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
    ['{"etype":"x","deadline":"0x7fffffffff"}', /'deadline' must be a number/],
    ['{"etype":"x","deadline":" 99999999999 "}', /'deadline' must be a number/],
    ['{"etype":"x","deadline":"1e3"}', /'deadline' must be a number/],
    ['{"etype":"x","deadline":"-5"}', /'deadline' must be a number/],
    ['{"etype":"org_uninstall","oid":""}', /'oid' must be a UUID, got ""$/],
    ['{"etype":"__proto__","oid":""}', /'oid' must be a UUID, got ""$/],
    ['{"etype":"detection","oid":"org-1"}', /'oid' must be a UUID, got "org-1"$/],
    [`{"etype":"x","oid":"${'a'.repeat(50)}"}`, /'oid' must be a UUID, got a string of 50 /],
    ['{"etype":"health","oid":"not-a-uuid"}', /'oid' must be a UUID/],
    ['{"etype":"org_install","mid":""}', /'mid' must be a non-empty string, got ""$/],
    ['{"etype":"org_install","jwt":""}', /'jwt' must be a non-empty string, got ""$/],
    ['{"etype":"new_sensor","data":{"sid":""}}', /'data.sid' must be a UUID, got ""$/],
    ['{"etype":"sensor_per_24h","data":{"sid":"web-1"}}', /'data.sid' must be a UUID/],
    ['{"etype":"sensor_per_1h","data":{"sid":7}}', /'data.sid' must be a UUID, got number/],
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
