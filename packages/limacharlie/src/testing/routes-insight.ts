import { gzipSync } from 'node:zlib';

import { errorReply } from './http-io.js';
import type { FakeEvent } from './insight-state.js';
import type { FakeRoute, RouteContext } from './route.js';

const UUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';
const OID = '([^/]+)';

/**
 * Insight: detections, audit logs and sensor events, served by time in cursor pages, each
 * page compressed (base64 of gzip of JSON) when `is_compressed=true`, as the API does.
 */
export const insightRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^insight/${OID}/detections$`),
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      ctx.require('insight.det.get');
      const cat = ctx.param('cat');
      const all = ctx.store.insight.detections.get(oid) ?? [];
      const matching = cat === undefined ? all : all.filter((d) => d.cat === cat);
      return cursorPage(ctx, matching, (d) => d.ts, 'detects');
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^insight/${OID}/detections/([^/]+)$`),
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      ctx.require('insight.det.get');
      const id = decodeURIComponent(ctx.match[1]);
      const found = (ctx.store.insight.detections.get(oid) ?? []).find((d) => d.detect_id === id);
      if (!found) throw errorReply(404, `RECORD_NOT_FOUND: detection ${id} not found`);
      return found;
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^insight/${OID}/audit$`),
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      ctx.require('audit.get');
      const etype = ctx.param('event_type');
      const sid = ctx.param('sid');
      const matching = (ctx.store.insight.audit.get(oid) ?? []).filter(
        (e) => (etype === undefined || e.etype === etype) && (sid === undefined || e.sid === sid),
      );
      return cursorPage(ctx, matching, (e) => e.ts, 'events');
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^insight/${OID}/${UUID}$`),
    handle: (ctx) => {
      const events = sensorEvents(ctx);
      const type = ctx.param('event_type');
      const matching =
        type === undefined ? events : events.filter((e) => e.routing.event_type === type);
      const ordered = ctx.param('is_forward') === 'false' ? [...matching].reverse() : matching;
      return cursorPage(ctx, ordered, (e) => e.routing.event_time, 'events');
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^insight/${OID}/${UUID}/overview$`),
    handle: (ctx) => {
      const [from, to] = range(ctx);
      const times = sensorEvents(ctx)
        .map((e) => e.routing.event_time)
        .filter((t) => t >= from && t <= to);
      return { overview: [...new Set(times)] };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^insight/${OID}/${UUID}/([^/]+)/children$`),
    handle: (ctx) => {
      const atom = decodeURIComponent(ctx.match[2]);
      const children = sensorEvents(ctx).filter((e) => e.routing.parent_atom === atom);
      return { events: encodeList(ctx, children) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^insight/${OID}/${UUID}/([^/]+)$`),
    handle: (ctx) => {
      const atom = decodeURIComponent(ctx.match[2]);
      const found = sensorEvents(ctx).find((e) => e.routing.this_atom === atom);
      if (!found) throw errorReply(404, `RECORD_NOT_FOUND: no event with atom ${atom}`);
      return found;
    },
  },
];

function sensorEvents(ctx: RouteContext): FakeEvent[] {
  ctx.org(ctx.match[0]);
  ctx.require('insight.evt.get');
  const sensor = ctx.sensor(ctx.match[1]);
  return ctx.store.insight.events.get(sensor.sid) ?? [];
}

/** `start`/`end` are required epoch seconds; the range is inclusive, in milliseconds. */
function range(ctx: RouteContext): [number, number] {
  const seconds = (key: string): number => {
    const value = ctx.param(key);
    if (value === undefined || !/^\d+$/.test(value)) {
      throw errorReply(400, `missing or invalid parameter: ${key} (epoch seconds)`);
    }
    return Number(value);
  };
  const start = seconds('start');
  const end = seconds('end');
  if (end < start) throw errorReply(400, 'end is before start');
  return [start * 1000, end * 1000 + 999];
}

/**
 * One page of `items` (already in serving order) within the time range. The cursor `-` starts,
 * `next_cursor` is empty on the last page; a cursor from another query is refused.
 */
function cursorPage<T>(
  ctx: RouteContext,
  items: readonly T[],
  timeOf: (item: T) => number,
  field: string,
): Record<string, unknown> {
  const [from, to] = range(ctx);
  const inRange = items.filter((item) => timeOf(item) >= from && timeOf(item) <= to);
  const limitParam = ctx.param('limit');
  const limit = limitParam === undefined ? Infinity : Number(limitParam);
  if (!(limit === Infinity || (Number.isInteger(limit) && limit > 0))) {
    throw errorReply(400, 'invalid limit');
  }
  const size = Math.min(ctx.store.insight.pageSize, limit);
  const offset = decodeCursor(ctx.param('cursor') ?? '-', from, to);
  const page = inRange.slice(offset, offset + size);
  const next = offset + page.length;
  return {
    [field]: encodeList(ctx, page),
    next_cursor: next < inRange.length && next < limit ? encodeCursor(next, from, to) : '',
  };
}

function encodeList(ctx: RouteContext, items: readonly unknown[]): unknown {
  if (ctx.param('is_compressed') !== 'true') return items;
  return gzipSync(JSON.stringify(items)).toString('base64');
}

function encodeCursor(offset: number, from: number, to: number): string {
  return Buffer.from(`${from}:${to}:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string, from: number, to: number): number {
  if (cursor === '-') return 0;
  const match = /^(\d+):(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || Number(match[1]) !== from || Number(match[2]) !== to) {
    throw errorReply(400, 'invalid cursor');
  }
  return Number(match[3]);
}
