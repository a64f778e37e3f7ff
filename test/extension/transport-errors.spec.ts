import { Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { post, rawExchange, requestHead } from '../reliability/http-send.js';
import { startExtApp, type LcExtTestApp } from './helpers.js';

const EXT_VERSION = 20221218;
const LIMITS = { bodyLimit: 1024, maxPendingBodyBytes: 1024, bodyTimeoutMs: 300 };

function bodyOf(text: string): unknown {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
}

/** Answers refused before the body is read still speak the Extension protocol, on every entry. */
describe.each([
  ['fastify', true],
  ['express', true],
  ['fastify', false],
  ['express', false],
] as const)('Extension errors before the body is read (%s, fastPath %s)', (adapter, fastPath) => {
  let ext: LcExtTestApp;
  let port: number;

  beforeAll(async () => {
    ext = await startExtApp({ adapter, options: { ...LIMITS, fastPath } });
    port = Number(new URL(ext.url).port);
  });
  afterAll(() => ext.close());

  it('a body over bodyLimit: 413, not retriable, in the Response shape', async () => {
    const agent = new Agent({ keepAlive: false });
    const big = Buffer.alloc(LIMITS.bodyLimit + 1, 'x');
    const answer = await post(agent, ext.url, { 'lc-ext-sig': '0'.repeat(64) }, big);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error: expect.stringMatching(/option 'bodyLimit'/),
      retriable: false,
      version: EXT_VERSION,
    });
  });

  it('a body too slow to arrive: retriable, so a 5xx, in the Response shape', async () => {
    const head = requestHead({ 'content-length': '100', 'lc-ext-sig': '0'.repeat(64) });
    const x = await rawExchange(port, [head, Buffer.from('{"heart')], { waitMs: 10_000 });
    expect(x.status).toBe(503);
    expect(x.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(bodyOf(x.text)).toEqual({
      error: expect.stringMatching(/option 'bodyTimeoutMs'/),
      retriable: true,
      version: EXT_VERSION,
    });
  });

  it('a body over the pending-bytes budget: 503, retriable, in the Response shape', async () => {
    let held: Socket | undefined;
    try {
      held = connect(port, '127.0.0.1');
      held.on('error', () => undefined);
      held.write(requestHead({ 'content-length': '1000', 'lc-ext-sig': '0'.repeat(64) }));
      held.write('{');
      // The held body's reservation is taken once its head has been parsed.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const head = requestHead({ 'content-length': '100', 'lc-ext-sig': '0'.repeat(64) });
      const x = await rawExchange(port, [head], { waitMs: 10_000 });
      expect(x.status).toBe(503);
      expect(bodyOf(x.text)).toEqual({
        error: expect.stringMatching(/option 'maxPendingBodyBytes'/),
        retriable: true,
        version: EXT_VERSION,
      });
    } finally {
      held?.destroy();
    }
  });
});
