import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import type { FakeSensor } from './types.js';

const OID = '([^/]+)';
const UUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';

/** Org-wide tag and hostname look-ups. */
export const tagRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^tags/${OID}$`),
    handle: (ctx) => {
      ctx.org(ctx.match[0]);
      ctx.require('sensor.list');
      const tags = new Set<string>();
      for (const sensor of ctx.store.sensorsOf(ctx.token.oid)) {
        for (const tag of ctx.store.liveTags(sensor).keys()) tags.add(tag);
      }
      return { tags: [...tags].sort() };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^tags/${OID}/([^/]+)$`),
    handle: (ctx) => {
      ctx.org(ctx.match[0]);
      ctx.require('sensor.list');
      const tag = decodeURIComponent(ctx.match[1]);
      const out: Record<string, unknown> = {};
      for (const sensor of ctx.store.sensorsOf(ctx.token.oid)) {
        const info = ctx.store.liveTags(sensor).get(tag);
        if (info) {
          out[sensor.sid] = {
            tag,
            by: info.addedBy,
            added: Math.floor(info.addedAt / 1000),
            hostname: sensor.hostname,
          };
        }
      }
      return out;
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^hostnames/${OID}$`),
    handle: (ctx) => {
      ctx.org(ctx.match[0]);
      ctx.require('sensor.list');
      const prefix = ctx.param('hostname');
      if (prefix === undefined || prefix === '')
        throw errorReply(400, 'missing parameter: hostname');
      const asDict = ctx.param('as_dict') === 'true';
      const found = ctx.store
        .sensorsOf(ctx.token.oid)
        .filter((s) => s.hostname.startsWith(prefix))
        .map((s) => (asDict ? { sid: s.sid, hostname: s.hostname } : [s.sid, s.hostname]));
      return { sid: found };
    },
  },
];

/** Seal and delete: `{sid}/...` routes, registered with the other sensor ones. */
export const sensorLifecycleRoutes: FakeRoute[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^${UUID}/seal$`),
    handle: (ctx) => setSealed(ctx, true),
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^${UUID}/seal$`),
    handle: (ctx) => setSealed(ctx, false),
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^${UUID}$`),
    handle: (ctx) => {
      const sensor: FakeSensor = ctx.sensor(ctx.match[0]);
      ctx.require('sensor.del');
      ctx.store.sensors.delete(sensor.sid);
      return {};
    },
  },
];

function setSealed(ctx: RouteContext, sealed: boolean): unknown {
  const sensor = ctx.sensor(ctx.match[0]);
  ctx.require('sensor.task');
  sensor.sealed = sealed;
  return {};
}
