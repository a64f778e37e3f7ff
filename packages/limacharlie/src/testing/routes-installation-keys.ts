import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';

const OID = '([^/]+)';

/** Installation keys: listed under the oid, created from a form, deleted by form `iid`. */
export const installationKeyRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^installationkeys/${OID}$`),
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      ctx.require('ikey.list');
      return { [oid]: Object.fromEntries(ctx.store.installationKeys.of(oid)) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^installationkeys/${OID}/([^/]+)$`),
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      ctx.require('ikey.list');
      const iid = decodeURIComponent(ctx.match[1]);
      const key = ctx.store.installationKeys.of(oid).get(iid);
      if (!key) throw errorReply(404, `RECORD_NOT_FOUND: installation key ${iid} not found`);
      return key;
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^installationkeys/${OID}$`),
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      ctx.require('ikey.set');
      const desc = ctx.param('desc');
      if (desc === undefined) throw errorReply(400, 'missing parameter: desc');
      const tags = (ctx.param('tags') ?? '').split(',').filter((t) => t !== '');
      const key = ctx.store.installationKeys.add(oid, {
        desc,
        tags,
        usePublicRootCa: flag(ctx, 'use_public_root_ca'),
      });
      return { iid: key.iid };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^installationkeys/${OID}$`),
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      ctx.require('ikey.del');
      const iid = ctx.param('iid');
      if (iid === undefined) throw errorReply(400, 'missing parameter: iid');
      if (!ctx.store.installationKeys.of(oid).delete(iid)) {
        throw errorReply(404, `RECORD_NOT_FOUND: installation key ${iid} not found`);
      }
      return { success: true };
    },
  },
];

function flag(ctx: RouteContext, name: string): boolean {
  const value = ctx.param(name);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw errorReply(400, `invalid ${name}: ${value}`);
}
