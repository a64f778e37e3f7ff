import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import type { FakeInsightObject } from './types.js';

const OBJECT_TYPES = new Set([
  'user',
  'domain',
  'ip',
  'file_hash',
  'file_path',
  'file_name',
  'service_name',
  'package_name',
]);
const BUCKETS = [
  ['last_1_days', 1],
  ['last_7_days', 7],
  ['last_30_days', 30],
  ['last_365_days', 365],
] as const;
const DAY_SECONDS = 86_400;
const DEFAULT_LOCATIONS = 100;

export const insightObjectRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: /^insight\/([^/]+)$/,
    handle: (ctx) => {
      const { oid } = ctx.org(ctx.match[0]);
      ctx.require('insight.list');
      const enabled = !ctx.store.services.insightDisabled.has(oid);
      return { insight_bucket: enabled ? `lc-insight-${oid.slice(0, 8)}` : '' };
    },
  },
  {
    method: 'GET',
    pattern: /^insight\/([^/]+)\/objects\/([^/]+)$/,
    handle: (ctx) => {
      const objects = insightOf(ctx);
      const type = decodeURIComponent(ctx.match[1]);
      checkType(type);
      const name = ctx.param('name');
      if (!name) throw errorReply(400, 'missing parameter: name');
      const info = infoOf(ctx);
      const matcher = nameMatcher(
        name,
        ctx.param('case_sensitive') !== 'false',
        ctx.param('with_wildcards') === 'true',
      );
      const seen = objects.filter((o) => o.type === type && matcher(o.name));
      if (info === 'locations') {
        return { type, name, locations: locations(seen, limitOf(ctx)) };
      }
      const answer: Record<string, unknown> = { type, name, from_cache: false };
      for (const [bucket, days] of BUCKETS) {
        const recent = within(seen, days);
        if (ctx.param('per_object') === 'true') {
          const perObject: Record<string, number> = {};
          for (const o of recent) perObject[o.name] = sensorCount(recent, o.name);
          answer[bucket] = perObject;
        } else {
          answer[bucket] = new Set(recent.map((o) => o.sid)).size;
        }
      }
      return answer;
    },
  },
  {
    method: 'POST',
    pattern: /^insight\/([^/]+)\/objects$/,
    handle: (ctx) => {
      const objects = insightOf(ctx);
      const info = infoOf(ctx);
      let wanted: unknown;
      try {
        wanted = JSON.parse(ctx.param('objects') ?? '') as unknown;
      } catch {
        throw errorReply(400, 'invalid JSON in objects');
      }
      if (typeof wanted !== 'object' || wanted === null || Array.isArray(wanted)) {
        throw errorReply(400, 'objects must map an object type to a list of names');
      }
      const caseSensitive = ctx.param('case_sensitive') !== 'false';
      const answer: Record<string, Record<string, Record<string, unknown>>> = {};
      for (const [bucket] of BUCKETS) answer[bucket] = {};
      if (info === 'locations') answer.locations = {};
      for (const [type, names] of Object.entries(wanted as Record<string, unknown>)) {
        checkType(type);
        if (!Array.isArray(names)) throw errorReply(400, `objects.${type} must be a list`);
        for (const name of names as unknown[]) {
          if (typeof name !== 'string') throw errorReply(400, `objects.${type} must hold strings`);
          const matcher = nameMatcher(name, caseSensitive, false);
          const seen = objects.filter((o) => o.type === type && matcher(o.name));
          for (const [bucket, days] of BUCKETS) {
            answer[bucket][type] ??= {};
            answer[bucket][type][name] = new Set(within(seen, days).map((o) => o.sid)).size;
          }
          if (info === 'locations') {
            answer.locations[type] ??= {};
            answer.locations[type][name] = Object.keys(locations(seen, limitOf(ctx)));
          }
        }
      }
      return answer;
    },
  },
];

function insightOf(ctx: RouteContext): FakeInsightObject[] {
  const { oid } = ctx.org(ctx.match[0]);
  ctx.require('insight.stat');
  if (ctx.store.services.insightDisabled.has(oid)) {
    throw errorReply(400, 'insight is not enabled for this organization');
  }
  return ctx.store.services.insightObjects.get(oid) ?? [];
}

function checkType(type: string): void {
  if (!OBJECT_TYPES.has(type)) throw errorReply(400, `invalid object type: ${type}`);
}

function infoOf(ctx: RouteContext): string {
  const info = ctx.param('info') ?? 'summary';
  if (info !== 'summary' && info !== 'locations') {
    throw errorReply(400, `invalid information type: ${info}`);
  }
  return info;
}

function limitOf(ctx: RouteContext): number {
  const limit = ctx.param('limit');
  if (limit === undefined) return DEFAULT_LOCATIONS;
  if (!/^\d+$/.test(limit)) throw errorReply(400, 'invalid limit');
  return Number(limit);
}

/** `%` is the Insight wildcard; everything else matches literally. */
function nameMatcher(
  pattern: string,
  caseSensitive: boolean,
  wildcards: boolean,
): (name: string) => boolean {
  const source = pattern
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join(wildcards ? '.*' : '%');
  const regex = new RegExp(`^${source}$`, caseSensitive ? '' : 'i');
  return (name) => regex.test(name);
}

function within(seen: FakeInsightObject[], days: number): FakeInsightObject[] {
  const since = Date.now() / 1000 - days * DAY_SECONDS;
  return seen.filter((o) => (o.ts ?? 0) >= since);
}

function sensorCount(seen: FakeInsightObject[], name: string): number {
  return new Set(seen.filter((o) => o.name === name).map((o) => o.sid)).size;
}

function locations(
  seen: FakeInsightObject[],
  limit: number,
): Record<string, { first_ts: number; last_ts: number; hostname?: string }> {
  const out: Record<string, { first_ts: number; last_ts: number; hostname?: string }> = {};
  for (const o of seen) {
    const ts = o.ts ?? 0;
    const prior = out[o.sid];
    if (prior) {
      prior.first_ts = Math.min(prior.first_ts, ts);
      prior.last_ts = Math.max(prior.last_ts, ts);
    } else if (Object.keys(out).length < limit) {
      out[o.sid] = { first_ts: ts, last_ts: ts, ...(o.hostname ? { hostname: o.hostname } : {}) };
    }
  }
  return out;
}
