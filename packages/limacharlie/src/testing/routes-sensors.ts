import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import { compileSelector } from './selector.js';
import { sensorInfo } from './state.js';
import type { FakeSensor } from './types.js';

const DEFAULT_PAGE_SIZE = 100;
const UUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';

export const sensorListRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: /^sensors\/([^/]+)$/,
    handle: (ctx) => listSensors(ctx),
  },
];

/** The `/v1/{sid}...` catch-all: must be registered after every fixed prefix. */
export const sensorRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^${UUID}$`),
    handle: (ctx) => {
      const sensor = ctx.sensor(ctx.match[0]);
      ctx.require('sensor.get');
      return {
        info: sensorInfo(sensor),
        online: sensor.online ? { int_ip: sensor.intIp, ext_ip: sensor.extIp } : {},
        is_online: sensor.online,
      };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${UUID}$`),
    handle: (ctx) => {
      const sensor = ctx.sensor(ctx.match[0]);
      ctx.require('sensor.task');
      const tasks = ctx.params('tasks');
      if (tasks.length === 0) throw errorReply(400, 'missing parameter: tasks');
      const investigationId = ctx.param('investigation_id');
      ctx.recordTask({
        oid: sensor.oid,
        sid: sensor.sid,
        tasks,
        ...(investigationId === undefined ? {} : { investigationId }),
        timestamp: Date.now(),
      });
      return {};
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${UUID}/tags$`),
    handle: (ctx) => {
      const sensor = ctx.sensor(ctx.match[0]);
      ctx.require('sensor.get');
      const tags: Record<string, unknown[]> = {};
      for (const [tag, info] of ctx.store.liveTags(sensor)) {
        tags[tag] = [sensor.sid, tag, info.addedBy, Math.floor(info.addedAt / 1000)];
      }
      return { tags: { [sensor.sid]: tags } };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${UUID}/tags$`),
    handle: (ctx) => {
      const sensor = ctx.sensor(ctx.match[0]);
      ctx.require('sensor.tag');
      const tags = ctx.params('tags');
      if (tags.length === 0) throw errorReply(400, 'missing parameter: tags');
      const ttl = ctx.param('ttl');
      if (ttl !== undefined && !/^\d+$/.test(ttl)) throw errorReply(400, 'invalid ttl');
      const now = Date.now();
      for (const tag of tags) {
        sensor.tags.set(tag, {
          addedBy: ctx.token.ident,
          addedAt: now,
          ...(ttl === undefined ? {} : { expiresAt: now + Number(ttl) * 1000 }),
        });
      }
      return {};
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^${UUID}/tags$`),
    handle: (ctx) => {
      const sensor = ctx.sensor(ctx.match[0]);
      ctx.require('sensor.tag');
      const single = ctx.param('tag');
      const joined = ctx.param('tags');
      const tags = single !== undefined ? [single] : (joined?.split(',') ?? []);
      if (tags.length === 0) throw errorReply(400, 'missing parameter: tag');
      for (const tag of tags) sensor.tags.delete(tag);
      return {};
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${UUID}/isolation$`),
    handle: (ctx) => setIsolation(ctx, true),
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^${UUID}/isolation$`),
    handle: (ctx) => setIsolation(ctx, false),
  },
];

function setIsolation(ctx: RouteContext, isolated: boolean): unknown {
  const sensor = ctx.sensor(ctx.match[0]);
  ctx.require('sensor.task');
  sensor.isolated = isolated;
  return {};
}

/** `selector` is evaluated in the subset `compileSelector` knows; others answer 400. */
function listSensors(ctx: RouteContext): unknown {
  ctx.org(ctx.match[0]);
  ctx.require('sensor.list');
  const limitParam = ctx.param('limit');
  const limit = limitParam === undefined ? DEFAULT_PAGE_SIZE : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1) throw errorReply(400, 'invalid limit');
  const offset = decodeToken(ctx.param('continuation_token'));

  const selector = ctx.param('selector');
  const selected = selector === undefined ? undefined : compileSelector(selector);
  const matching = ctx.store
    .sensorsOf(ctx.token.oid)
    .filter(
      (s) =>
        matchesFilters(ctx, s) &&
        (selected === undefined || selected(s, [...ctx.store.liveTags(s).keys()])),
    );
  const page = matching.slice(offset, offset + limit);
  const next = offset + limit;
  const body: Record<string, unknown> = { sensors: page.map(sensorInfo) };
  if (next < matching.length) body.continuation_token = encodeToken(next);
  else if (ctx.lastPageToken === 'null') body.continuation_token = null;
  else if (ctx.lastPageToken === 'empty') body.continuation_token = '';
  return body;
}

function matchesFilters(ctx: RouteContext, sensor: FakeSensor): boolean {
  if (ctx.param('is_online_only') === 'true' && !sensor.online) return false;
  const prefix = ctx.param('with_hostname_prefix');
  if (prefix !== undefined && !sensor.hostname.startsWith(prefix)) return false;
  const ip = ctx.param('with_ip');
  if (ip !== undefined && sensor.intIp !== ip && sensor.extIp !== ip) return false;
  return true;
}

function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw errorReply(400, 'invalid continuation_token');
  return Number(match[1]);
}
