import { randomUUID } from 'node:crypto';

import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import { FAKE_NAMESPACES } from './state.js';

export const ruleRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: /^rules\/([^/]+)$/,
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      const namespace = namespaceOf(ctx);
      ctx.require(permission('list', namespace));
      return Object.fromEntries(ctx.store.namespaceRules(oid, namespace));
    },
  },
  {
    method: 'POST',
    pattern: /^rules\/([^/]+)$/,
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      const namespace = namespaceOf(ctx);
      ctx.require(permission('set', namespace));
      const name = required(ctx, 'name');
      const detect = jsonField(ctx, 'detection');
      const respond = jsonField(ctx, 'response');
      const expireOn = ctx.param('expire_on');
      if (expireOn !== undefined && !/^\d+$/.test(expireOn)) {
        throw errorReply(400, 'invalid expire_on');
      }
      if (
        ctx.store.namespaceRules(oid, namespace).has(name) &&
        ctx.param('is_replace') !== 'true'
      ) {
        throw errorReply(409, `RECORD_ALREADY_EXISTS: rule ${name} already exists`);
      }
      ctx.store.putRule(oid, name, {
        detect,
        respond,
        namespace,
        enabled: ctx.param('is_enabled') !== 'false',
        ...(expireOn === undefined ? {} : { expireOn: Number(expireOn) }),
      });
      return { guid: randomUUID(), hive: { name: `dr-${namespace}`, partition: oid }, name };
    },
  },
  {
    method: 'DELETE',
    pattern: /^rules\/([^/]+)$/,
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      const namespace = namespaceOf(ctx);
      ctx.require(permission('del', namespace));
      const name = required(ctx, 'name');
      if (!ctx.store.namespaceRules(oid, namespace).delete(name)) {
        throw errorReply(404, `RECORD_NOT_FOUND: rule ${name} not found in ${namespace}`);
      }
      return {};
    },
  },
];

function namespaceOf(ctx: RouteContext): string {
  const namespace = ctx.param('namespace') ?? 'general';
  if (!(FAKE_NAMESPACES as readonly string[]).includes(namespace)) {
    throw errorReply(400, `invalid namespace: ${namespace}`);
  }
  return namespace;
}

function permission(op: 'list' | 'set' | 'del', namespace: string): string {
  return namespace === 'general' ? `dr.${op}` : `dr.${op}.${namespace}`;
}

function required(ctx: RouteContext, key: string): string {
  const value = ctx.param(key);
  if (value === undefined || value === '') throw errorReply(400, `missing parameter: ${key}`);
  return value;
}

function jsonField(ctx: RouteContext, key: string): unknown {
  const text = required(ctx, key);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw errorReply(400, `invalid JSON in ${key}`);
  }
}
