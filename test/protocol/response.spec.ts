import { lcResponse, toWire } from '../../src/protocol/service/response.js';
import {
  answerGetResource,
  encodeResource,
  resourceReferencePrefix,
} from '../../src/protocol/service/resources.js';

describe('responses', () => {
  it('follows the RI wire shape', () => {
    expect(toWire(lcResponse())).toEqual({ success: true, data: {} });
    expect(toWire(lcResponse({ success: false }))).toEqual({
      success: false,
      retry: false,
      data: {},
    });
    expect(toWire(lcResponse({ success: true, retry: true }))).toEqual({ success: true, data: {} });
    expect(toWire(lcResponse({ error: 'e', jobs: [] }))).toEqual({
      success: true,
      data: {},
      error: 'e',
    });
  });

  it('never shares the default data object between responses (RI defect: mutable default)', () => {
    const first = lcResponse();
    first.data.poisoned = true;
    expect(lcResponse().data).toEqual({});
  });
});

describe('resources', () => {
  const PREFIX = resourceReferencePrefix('svc');
  const store = new Map([
    ['a', encodeResource('lookup', 'text')],
    ['b', encodeResource('detection', Buffer.from([1, 2]))],
  ]);

  it('hashes the raw bytes with sha256 and encodes them in base64', () => {
    expect(encodeResource('c', 'text')).toEqual({
      hash: '982d9e3eb996f559e633f4d194def3761d909f5a3b647d1a851fead67c32c9d1',
      res_cat: 'c',
      res_data: 'dGV4dA==',
    });
  });

  it('answers single and batch requests', () => {
    expect(answerGetResource(store, { resource: 'a' }, PREFIX)).toEqual({
      success: true,
      data: { hash: store.get('a')!.hash, res_cat: 'lookup' },
    });
    expect(
      answerGetResource(store, { resource: ['a', 'b'], is_include_data: true }, PREFIX),
    ).toEqual({
      success: true,
      data: { resources: { a: store.get('a'), b: store.get('b') } },
    });
  });

  it('refuses an is_include_data that is not a boolean, naming both meanings', () => {
    expect(answerGetResource(store, { resource: 'a', is_include_data: 'yes' }, PREFIX)).toEqual({
      success: false,
      retry: false,
      data: {},
      error:
        'invalid parameter is_include_data: expected true (hash, category and content) or false (hash and category)',
    });
  });

  it('refuses a list with a non-string', () => {
    expect(answerGetResource(store, { resource: ['a', 1] }, PREFIX)).toMatchObject({
      success: false,
      retry: false,
    });
  });
});
