import {
  LimaCharlieClient,
  type ApiCallEvent,
  type LimaCharlieClientOptions,
} from '../src/index.js';
import { FakeLimaCharlie, type FakeCall } from '../src/testing/index.js';

/** Starts a fake for a whole suite and resets it before each test. */
export function useFakeLimaCharlie(): () => FakeLimaCharlie {
  const fake = new FakeLimaCharlie();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());
  return () => fake;
}

export interface TestClient {
  lc: LimaCharlieClient;
  oid: string;
  jwt: string;
  events: ApiCallEvent[];
}

/** A fresh org on the fake and a client for it whose retries wait ~1 ms instead of seconds. */
export function newOrgClient(
  fake: FakeLimaCharlie,
  options: Partial<LimaCharlieClientOptions> & { perms?: string[] } = {},
): TestClient {
  const { perms, ...clientOptions } = options;
  const { oid, jwt } = fake.addOrg(perms ? { perms } : {});
  const events: ApiCallEvent[] = [];
  const lc = new LimaCharlieClient({
    oid,
    jwt,
    apiUrl: fake.url,
    backoff: { baseMs: 1, maxMs: 20 },
    onApiCall: (event) => events.push(event),
    ...clientOptions,
  });
  return { lc, oid, jwt, events };
}

export function lastCall(fake: FakeLimaCharlie): FakeCall {
  const call = fake.calls.at(-1);
  if (!call) throw new Error('the fake received no call');
  return call;
}

/** Calls that change state: what a no-op sync must not make. */
export function writeCalls(fake: FakeLimaCharlie): FakeCall[] {
  return fake.calls.filter((c) => c.method !== 'GET');
}

/** Resolves with the rejection of `promise`, failing the test if it fulfils. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}
