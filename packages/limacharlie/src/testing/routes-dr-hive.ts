import { createHash, randomUUID } from 'node:crypto';

import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import { FAKE_NAMESPACES } from './state.js';
import type { FakeRule } from './types.js';

/**
 * The `dr-{namespace}` hives: the same rules as `rules/{oid}` (the legacy endpoint is a view of
 * them), read and written as Hive records.
 */
export const drHiveRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: /^hive\/dr-([^/]+)\/([^/]+)\/([^/]+)\/data$/,
    handle: (ctx) => {
      const { oid, namespace, name } = target(ctx, 'list');
      const rule = ctx.store.namespaceRules(oid, namespace).get(name);
      if (!rule) throw errorReply(404, `RECORD_NOT_FOUND: ${name} in dr-${namespace}`);
      return record(rule);
    },
  },
  {
    method: 'POST',
    pattern: /^hive\/dr-([^/]+)\/([^/]+)\/([^/]+)\/data$/,
    handle: (ctx) => {
      const { oid, namespace, name } = target(ctx, 'set');
      const existing = ctx.store.namespaceRules(oid, namespace).get(name);
      const etag = ctx.param('etag');
      if (etag !== undefined && etag !== (existing ? etagOf(existing) : '')) {
        throw errorReply(409, `ETAG_MISMATCH: ${name} changed since it was read`);
      }
      const data = jsonField(ctx, 'data');
      if (
        typeof data !== 'object' ||
        data === null ||
        !('detect' in data) ||
        !('respond' in data)
      ) {
        throw errorReply(400, 'a D&R rule needs data.detect and data.respond');
      }
      const usrMtd = ctx.param('usr_mtd') === undefined ? {} : jsonField(ctx, 'usr_mtd');
      const { enabled, expiry } = usrMtd as { enabled?: unknown; expiry?: unknown };
      const expireOn = typeof expiry === 'number' ? Math.floor(expiry / 1000) : existing?.expire_on;
      ctx.store.putRule(oid, name, {
        detect: (data as { detect: unknown }).detect,
        respond: (data as { respond: unknown }).respond,
        namespace,
        enabled: typeof enabled === 'boolean' ? enabled : (existing?.is_enabled ?? true),
        ...(expireOn === undefined ? {} : { expireOn }),
      });
      return { guid: randomUUID(), hive: { name: `dr-${namespace}`, partition: oid }, name };
    },
  },
];

function target(
  ctx: RouteContext,
  op: 'list' | 'set',
): { oid: string; namespace: string; name: string } {
  const namespace = ctx.match[0];
  if (!(FAKE_NAMESPACES as readonly string[]).includes(namespace)) {
    throw errorReply(404, `hive not found: dr-${namespace}`);
  }
  const { oid } = ctx.org(ctx.match[1]);
  ctx.require(namespace === 'general' ? `dr.${op}` : `dr.${op}.${namespace}`);
  return { oid, namespace, name: decodeURIComponent(ctx.match[2]) };
}

/** The etag follows the content, so any write that changes the rule changes it. */
function etagOf(rule: FakeRule): string {
  return createHash('sha256')
    .update(JSON.stringify([rule.detect, rule.respond, rule.is_enabled, rule.expire_on ?? null]))
    .digest('hex')
    .slice(0, 32);
}

function record(rule: FakeRule): Record<string, unknown> {
  return {
    data: { detect: rule.detect, respond: rule.respond },
    usr_mtd: {
      enabled: rule.is_enabled,
      expiry: rule.expire_on === undefined ? 0 : rule.expire_on * 1000,
      tags: [],
      comment: '',
    },
    sys_mtd: { etag: etagOf(rule), last_author: 'fake' },
  };
}

function jsonField(ctx: RouteContext, key: string): unknown {
  const text = ctx.param(key);
  if (text === undefined) throw errorReply(400, `missing parameter: ${key}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw errorReply(400, `invalid JSON in ${key}`);
  }
}
