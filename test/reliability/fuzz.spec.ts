import { Agent } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FakeLimaCharlie } from 'nestjs-lc-service/testing';
import { SECRET, startLcApp, type LcTestApp } from '../helpers/lc-app.js';
import { SAMPLE_SECRET, startSampleApp, type SampleRun } from '../helpers/sample-app.js';
import { FuzzHandlers } from './fuzz-app.js';
import {
  envelope,
  envelopeCases,
  fuzzCases,
  FUZZ_JWT,
  POLLUTION_MARKERS,
  Rng,
  signedCase,
  type Expected,
  type FuzzCase,
} from './fuzz-cases.js';
import { post, rawExchange, requestHead, type Answer } from './http-send.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240501);
const BODY_LIMIT = 2 * 1024 * 1024;
const CONCURRENCY = 16;
/** Heap the app may keep after 10,000 calls and a full GC (caches warm, nothing per call). */
const HEAP_GROWTH_LIMIT = 48 * 1024 * 1024;

const STATUSES: Record<Expected, number[]> = {
  protocol: [200],
  rejected: [400],
  unauthorized: [401],
  'too-large': [413],
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) =>
    Object.getOwnPropertyNames(p).sort().join(','),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why an answer is wrong for its case, or undefined when it is right. */
function problemWith(c: FuzzCase, answer: Answer, secret: string): string | undefined {
  if (answer.status === 0) return 'no HTTP answer';
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  if (answer.body.includes(secret)) return 'the answer contains the secret';
  if (answer.body.includes(FUZZ_JWT)) return 'the answer contains the JWT';
  if (/\n\s+at .+\(.+:\d+:\d+\)/.test(answer.body)) return 'the answer contains a stack trace';
  const wanted = STATUSES[c.expected];
  if (!wanted.includes(answer.status)) {
    return `HTTP ${answer.status}, expected ${wanted.join(' or ')} (${c.expected})`;
  }
  if (answer.contentType?.startsWith('application/json') !== true) {
    return `content-type ${answer.contentType}`;
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return 'the answer is not JSON';
  }
  if (!isObject(body) || typeof body.success !== 'boolean') return 'no boolean success';
  if (body.error !== undefined && typeof body.error !== 'string') return 'error is not a string';
  if (answer.status !== 200) {
    if (body.success || body.retry !== false || typeof body.error !== 'string') {
      return 'a rejection must be {success:false, retry:false, error}';
    }
    return undefined;
  }
  if (!isObject(body.data)) return 'data is not an object';
  if (!body.success && typeof body.retry !== 'boolean') return 'a failure without a retry flag';
  return undefined;
}

function describeCase(c: FuzzCase, answer: Answer, problem: string): string {
  const sent = c.body.subarray(0, 160).toString('utf8');
  const type = c.headers['content-type'] ?? '(none)';
  return `${c.kind}: ${problem}\n  sent ${c.body.length} B as ${type.slice(0, 60)}: ${sent}\n  got: ${answer.body.slice(0, 200)}`;
}

interface Tally {
  sent: number;
  byKind: Record<string, number>;
  problems: string[];
}

async function fire(cases: Iterable<FuzzCase>, url: string, secret = SECRET): Promise<Tally> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const iterator = cases[Symbol.iterator]();
  const tally: Tally = { sent: 0, byKind: {}, problems: [] };
  const worker = async (): Promise<void> => {
    for (let next = iterator.next(); next.done !== true; next = iterator.next()) {
      const c = next.value;
      const answer = await post(agent, url, c.headers, c.body);
      tally.sent++;
      tally.byKind[c.kind] = (tally.byKind[c.kind] ?? 0) + 1;
      const problem = problemWith(c, answer, secret);
      if (problem !== undefined && tally.problems.length < 20) {
        tally.problems.push(describeCase(c, answer, problem));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  return tally;
}

/**
 * The full 10,000 go to Fastify with the defaults, what the sample app and the benchmark run;
 * Express, and Fastify's own route (`fastPath: false`), share everything after the body is read,
 * so a smaller run with every kind covers what differs.
 */
const SETUPS = [
  { adapter: 'fastify', fastPath: true, scale: 1 },
  { adapter: 'express', fastPath: true, scale: 0.3 },
  { adapter: 'fastify', fastPath: false, scale: 0.3 },
] as const;

describe.each(SETUPS)('fuzzing the webhook ($adapter, fastPath: $fastPath)', (setup) => {
  const { adapter, fastPath, scale } = setup;
  const fake = new FakeLimaCharlie();
  let t: LcTestApp;
  let port: number;

  beforeAll(async () => {
    await fake.start();
    t = await startLcApp({
      adapter,
      providers: [FuzzHandlers],
      options: {
        bodyLimit: BODY_LIMIT,
        fastPath,
        // Its lifecycle calls run the rule step, outside the handlers: where an empty oid got 500.
        interactive: true,
        limaCharlie: { apiUrl: fake.url, timeoutMs: 2000, maxAttempts: 1 },
      },
    });
    port = Number(new URL(t.url).port);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('answers generated bad requests in their expected class, without a 5xx, a leak, pollution or growth', async () => {
    const plan = { secret: SECRET, bodyLimit: BODY_LIMIT };
    const prototypes = prototypeSnapshot();
    // Warm-up: caches, JIT and connection pools settle before the heap is measured.
    const warm = await fire(fuzzCases({ ...plan, seed: SEED + 1, scale: 0.05 }), t.url);
    expect(warm.problems).toEqual([]);
    const heapBefore = heapAfterGc();

    const run = await fire(fuzzCases({ ...plan, seed: SEED, scale }), t.url);

    expect(run.problems).toEqual([]);
    expect(run.sent).toBeGreaterThanOrEqual(scale * 10_000);
    expect(Object.keys(run.byKind).sort()).toEqual([
      'bad-ids',
      'bad-signature',
      'broken-json',
      'content-type',
      'deep-nesting',
      'huge-string',
      'invalid-utf8',
      'over-limit',
      'proto-keys',
      'wrong-type',
    ]);
    expect(prototypeSnapshot()).toEqual(prototypes);
    for (const marker of POLLUTION_MARKERS) {
      expect(({} as Record<string, unknown>)[marker]).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>)[marker]).toBeUndefined();
    }
    expect(heapAfterGc() - heapBefore).toBeLessThan(HEAP_GROWTH_LIMIT);

    const health = await t.client.send('health');
    expect(health.status).toBe(200);
    expect(health.body.data).toMatchObject({ calls_in_progress: 1 });
  }, 120_000);

  it('answers slow, truncated and mis-sized bodies without a 5xx, and keeps serving', async () => {
    const rng = new Rng(SEED);
    const exchanges = Array.from({ length: 40 }, (_, i) => {
      const c = signedCase('slow', SECRET, Buffer.from(JSON.stringify(envelope(rng, 'detection'))));
      const head = requestHead({ ...c.headers, 'content-length': String(c.body.length) });
      const cut = 1 + rng.int(c.body.length - 1);
      switch (i % 4) {
        case 0: {
          // A slow client: the body in 8 pieces, 15 ms apart.
          const size = Math.ceil(c.body.length / 8);
          const pieces = Array.from({ length: 8 }, (_, k) =>
            c.body.subarray(k * size, (k + 1) * size),
          );
          return rawExchange(port, [head, ...pieces], { gapMs: 15 }).then((x) => ({
            i,
            x,
            want: [200],
          }));
        }
        case 1:
          // Truncated: fewer bytes than announced, then the client half-closes.
          return rawExchange(port, [head, c.body.subarray(0, cut)], { endAfter: true }).then(
            (x) => ({ i, x, want: [0, 400] }),
          );
        case 2: {
          // Content-Length shorter than the body: a truncated signed body (401), then garbage that
          // Node's parser answers 400 and closes on, possibly before the 401 is written.
          const short = requestHead({ ...c.headers, 'content-length': String(cut) });
          return rawExchange(port, [Buffer.concat([short, c.body])], { endAfter: true }).then(
            (x) => ({ i, x, want: [401, 400] }),
          );
        }
        default: {
          // Chunked, over the limit, never finishing its last chunk.
          const chunked = requestHead({ ...c.headers, 'transfer-encoding': 'chunked' });
          const chunk = Buffer.from(
            `${(BODY_LIMIT + 1).toString(16)}\r\n${'x'.repeat(BODY_LIMIT + 1)}`,
          );
          return rawExchange(port, [chunked, chunk]).then((x) => ({ i, x, want: [413] }));
        }
      }
    });
    const results = await Promise.all(exchanges);
    const wrong = results
      .filter(({ x, want }) => !want.includes(x.status))
      .map(
        ({ i, x, want }) =>
          `#${i}: got ${x.status}, wanted one of ${want.join('/')}: ${x.text.slice(0, 300)}`,
      );
    expect(wrong).toEqual([]);
    const health = await t.client.send('health');
    expect(health.status).toBe(200);
  });
});

describe('fuzzing the interactive sample app with bad envelopes', () => {
  let run: SampleRun;

  beforeAll(async () => {
    run = await startSampleApp();
  });
  afterAll(() => run.stop());

  it('answers each in its expected class, without a 5xx or a leak', async () => {
    const url = await run.app.getUrl();
    const plan = { secret: SAMPLE_SECRET, bodyLimit: BODY_LIMIT, seed: SEED, scale: 0.1 };
    const tally = await fire(envelopeCases(plan), url, SAMPLE_SECRET);
    expect(tally.problems).toEqual([]);
    expect(Object.keys(tally.byKind).sort()).toEqual(['bad-ids', 'wrong-type']);
  }, 60_000);
});
