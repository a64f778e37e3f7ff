import type { LcTransport } from './http.js';
import { expectRecord } from './response.js';
import type { WhoAmI } from './types.js';

export async function fetchWhoAmI(transport: LcTransport): Promise<WhoAmI> {
  return expectRecord(await transport.call('who', 'GET', 'who'), 'GET', 'who') as WhoAmI;
}

/**
 * The rule py `testAuth` and go `HasPermissionForOrg` share: a user token's `user_perms[oid]`
 * when present, else the token's `perms` if the org is among its `orgs`, else nothing.
 */
export function effectivePermissions(who: WhoAmI, oid: string): Set<string> {
  const wanted = oid.toLowerCase();
  if (who.user_perms && typeof who.user_perms === 'object') {
    const key = Object.keys(who.user_perms).find((k) => k.toLowerCase() === wanted);
    if (key !== undefined) return new Set(stringList(who.user_perms[key]));
  }
  const orgs = stringList(who.orgs).map((o) => o.toLowerCase());
  return orgs.includes(wanted) ? new Set(stringList(who.perms)) : new Set();
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
