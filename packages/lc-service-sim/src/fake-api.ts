import { FakeLimaCharlie } from '@nestjs-lc-service/limacharlie/testing';

/** A LimaCharlie API emulated for the length of one command, and the org it knows. */
export interface FakeApi {
  oid: string;
  jwt: string;
  /** `METHOD /path` of each call the service made to it, in order. */
  calls(): string[];
  stop(): Promise<void>;
}

/**
 * Serves a fake LimaCharlie API on the loopback port of `apiUrl` (the service's LC_API_URL), with
 * one org (`oid` when given) and one sensor (`sid` when given), so the JWT the call carries gives
 * the service a client that works.
 */
export async function startFakeApi(apiUrl: string, oid?: string, sid?: string): Promise<FakeApi> {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new Error(`--api is not a URL: ${apiUrl}`);
  }
  if (
    url.protocol !== 'http:' ||
    !['127.0.0.1', 'localhost'].includes(url.hostname) ||
    url.port === ''
  ) {
    throw new Error(
      `--api must be http://127.0.0.1:<port> (the LC_API_URL your service uses), got ${apiUrl}`,
    );
  }
  const fake = new FakeLimaCharlie({ port: Number(url.port) });
  try {
    await fake.start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `--api: port ${url.port} on 127.0.0.1 is in use (a 'cloud' emulator already serves its own API there: stop it, or use another port and LC_API_URL)`,
      );
    }
    throw err;
  }
  const org = fake.addOrg({ name: 'sim-org', ...(oid === undefined ? {} : { oid }) });
  fake.addSensor(org.oid, { hostname: 'sim-host-1', ...(sid === undefined ? {} : { sid }) });
  return {
    oid: org.oid,
    jwt: org.jwt,
    calls: () => fake.calls.map((c) => `${c.method} ${c.path}`),
    stop: () => fake.stop(),
  };
}
