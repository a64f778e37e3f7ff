import { gunzipSync } from 'node:zlib';

import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import type { FakeExtension, FakeExtensionRequest } from './types.js';

export const extensionRoutes: FakeRoute[] = [
  {
    method: 'POST',
    pattern: /^extension\/request\/([^/]+)$/,
    handle: (ctx) => {
      const extension = extensionOf(ctx, ctx.match[0]);
      const oid = ctx.param('oid');
      if (!oid) throw errorReply(400, 'missing parameter: oid');
      ctx.org(oid);
      ctx.require('ext.request');
      if (!ctx.store.services.subscriptionsOf(oid).has(extension.name)) {
        throw errorReply(403, `org not subscribed to extension ${extension.name}`);
      }
      const action = ctx.param('action');
      if (!action) throw errorReply(400, 'missing parameter: action');
      const impersonatorJwt = ctx.param('impersonator_jwt');
      const request: FakeExtensionRequest = {
        oid,
        name: extension.name,
        action,
        data: requestData(ctx),
        ...(impersonatorJwt === undefined ? {} : { impersonatorJwt }),
        timestamp: Date.now(),
      };
      ctx.store.services.extensionRequests.push(request);
      if (!extension.handle) return { data: {} };
      try {
        return { data: extension.handle(request) ?? {} };
      } catch (err) {
        throw errorReply(500, err instanceof Error ? err.message : String(err));
      }
    },
  },
  {
    method: 'GET',
    pattern: /^orgs\/([^/]+)\/subscriptions$/,
    handle: (ctx) => {
      const { oid } = ctx.org(ctx.match[0]);
      ctx.require('org.get');
      return [...ctx.store.services.subscriptionsOf(oid)].map(([name, since]) => ({
        name,
        subscribed_at: since,
      }));
    },
  },
  {
    method: 'POST',
    pattern: /^orgs\/([^/]+)\/subscription\/extension\/([^/]+)$/,
    handle: (ctx) => {
      const { oid } = ctx.org(ctx.match[0]);
      ctx.require('billing.ctrl');
      const extension = extensionOf(ctx, ctx.match[1]);
      const subs = ctx.store.services.subscriptionsOf(oid);
      if (subs.has(extension.name)) {
        throw errorReply(409, `already subscribed to extension ${extension.name}`);
      }
      subs.set(extension.name, Math.floor(Date.now() / 1000));
      return {};
    },
  },
  {
    method: 'DELETE',
    pattern: /^orgs\/([^/]+)\/subscription\/extension\/([^/]+)$/,
    handle: (ctx) => {
      const { oid } = ctx.org(ctx.match[0]);
      ctx.require('billing.ctrl');
      const extension = extensionOf(ctx, ctx.match[1]);
      if (!ctx.store.services.subscriptionsOf(oid).delete(extension.name)) {
        throw errorReply(404, `not subscribed to extension ${extension.name}`);
      }
      return {};
    },
  },
  {
    method: 'GET',
    pattern: /^extension\/schema\/([^/]+)$/,
    handle: (ctx) => {
      const oid = ctx.param('oid');
      if (!oid) throw errorReply(400, 'missing parameter: oid');
      ctx.org(oid);
      return structuredClone(extensionOf(ctx, ctx.match[0]).schema);
    },
  },
];

function extensionOf(ctx: RouteContext, encodedName: string): FakeExtension {
  const name = decodeURIComponent(encodedName);
  const extension = ctx.store.services.extensions.get(name);
  if (!extension) throw errorReply(404, `extension not found: ${name}`);
  return extension;
}

/** py sends `gzdata` (base64 of gzipped JSON); a plain `data` JSON field is accepted too. */
function requestData(ctx: RouteContext): unknown {
  const gzdata = ctx.param('gzdata');
  const text = gzdata === undefined ? ctx.param('data') : decompress(gzdata);
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw errorReply(400, 'invalid JSON in request data');
  }
}

function decompress(gzdata: string): string {
  try {
    return gunzipSync(Buffer.from(gzdata, 'base64')).toString('utf8');
  } catch {
    throw errorReply(400, 'gzdata is not base64 of gzip data');
  }
}
