import type { ServerResponse } from 'node:http';

import { errorReply, send } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import { FAKE_STORAGE_PREFIX, type FakePayloadsState } from './state-payloads.js';

const OID = '([^/]+)';

/**
 * Payloads: the API hands out signed storage URLs (`get_url`, `put_url`) that the fake serves
 * itself under `/storage/`, without a JWT, as cloud storage does.
 */
export const payloadRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^payload/${OID}$`),
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      ctx.require('payload.ctrl');
      const payloads: Record<string, unknown> = {};
      for (const p of ctx.store.payloads.of(oid).values()) {
        payloads[p.name] = { name: p.name, size: p.content.length, by: p.by, created: p.created };
      }
      return { payloads };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^payload/${OID}/([^/]+)$`),
    handle: (ctx) => {
      const { oid, name } = target(ctx);
      ctx.require('payload.use');
      if (!ctx.store.payloads.of(oid).has(name)) {
        throw errorReply(404, `RECORD_NOT_FOUND: payload ${name} not found`);
      }
      const author = ctx.token.ident;
      return {
        get_url: ctx.store.payloads.sign(ctx.baseUrl, { oid, name, method: 'GET', author }),
      };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^payload/${OID}/([^/]+)$`),
    handle: (ctx) => {
      const { oid, name } = target(ctx);
      ctx.require('payload.ctrl');
      const author = ctx.token.ident;
      return {
        put_url: ctx.store.payloads.sign(ctx.baseUrl, { oid, name, method: 'PUT', author }),
      };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^payload/${OID}/([^/]+)$`),
    handle: (ctx) => {
      const { oid, name } = target(ctx);
      ctx.require('payload.ctrl');
      if (!ctx.store.payloads.of(oid).delete(name)) {
        throw errorReply(404, `RECORD_NOT_FOUND: payload ${name} not found`);
      }
      return { success: true };
    },
  },
];

/** Serves a signed storage URL: the payload's bytes for GET, stores the body for PUT. */
export function serveStorage(
  state: FakePayloadsState,
  pathname: string,
  method: string,
  body: Buffer,
  res: ServerResponse,
): void {
  const token = pathname.slice(FAKE_STORAGE_PREFIX.length);
  const grant = state.redeem(token, method);
  if (grant === 403) {
    send(res, 403, '<Error><Code>SignatureDoesNotMatch</Code></Error>');
    return;
  }
  if (grant.method === 'PUT') {
    state.put(grant.oid, grant.name, Buffer.from(body), grant.author);
    res.writeHead(200, { 'content-length': '0' });
    res.end();
    return;
  }
  const payload = state.of(grant.oid).get(grant.name);
  if (!payload) {
    send(res, 404, '<Error><Code>NoSuchKey</Code></Error>');
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(payload.content.length),
  });
  res.end(payload.content);
}

function target(ctx: RouteContext): { oid: string; name: string } {
  return { oid: ctx.org(ctx.match[0]).oid, name: decodeURIComponent(ctx.match[1]) };
}
