import { randomUUID } from 'node:crypto';
import { startFakeApi, type FakeApi } from './fake-api.js';

export interface OrgAccess {
  oid: string;
  /** Absent when neither --jwt nor --api was given. */
  jwt?: string;
  /** The API emulated for this command (with --api), to stop and report on. */
  fake?: FakeApi;
}

export const NO_JWT_NOTE =
  "lc-service-sim: no --jwt: the call carries no JWT, so the handler's LimaCharlie client cannot work; give --api http://127.0.0.1:<port> (your service's LC_API_URL) for an emulated API and a JWT it accepts, or --jwt\n";

/**
 * The org a call carries: `--jwt` as given, or with `--api` an API emulated on that port for the
 * command's length, whose org and JWT the call then carries, so the service's client works.
 */
export async function orgAccess(values: {
  oid?: string;
  jwt?: string;
  api?: string;
  sid?: string;
}): Promise<OrgAccess> {
  if (values.api !== undefined && values.jwt !== undefined) {
    throw new Error('use either --api (an emulated API and its JWT) or --jwt, not both');
  }
  if (values.api !== undefined) {
    const fake = await startFakeApi(values.api, values.oid, values.sid);
    return { oid: fake.oid, jwt: fake.jwt, fake };
  }
  return {
    oid: values.oid ?? randomUUID(),
    ...(values.jwt === undefined ? {} : { jwt: values.jwt }),
  };
}

/** What the service did with the emulated API, after the answer. */
export function apiCallsText(fake: FakeApi): string {
  const calls = fake.calls();
  return calls.length === 0
    ? 'the service made no call to the emulated API\n'
    : `the service called the emulated API ${calls.length} time${calls.length === 1 ? '' : 's'}:\n${calls.map((c) => `  ${c}\n`).join('')}`;
}
