import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';

const OID = '([^/]+)';

/** The org's replay host lives under this prefix of the fake (`url.replay` of `orgs/{oid}/url`). */
export const FAKE_REPLAY_PREFIX = '/replay';

function jsonBody(ctx: RouteContext): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.body);
  } catch {
    throw errorReply(400, 'body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw errorReply(400, 'body is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw errorReply(400, `${field} must be a list of strings`);
  }
  return value;
}

function requiredName(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw errorReply(400, 'missing name');
  return value;
}

/** Filters the services accept on every rule, kept only when sent. */
function filters(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (data.tags !== undefined) out.tags = stringList(data.tags, 'tags');
  if (data.platforms !== undefined) out.platforms = stringList(data.platforms, 'platforms');
  return out;
}

/** `request_data` is base64 of a JSON object, as Organization.service_request encodes it. */
function serviceData(ctx: RouteContext): Record<string, unknown> {
  const encoded = ctx.param('request_data');
  if (encoded === undefined) throw errorReply(400, 'missing request_data');
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw errorReply(400, 'request_data is not base64 JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw errorReply(400, 'request_data is not a JSON object');
  }
  return data as Record<string, unknown>;
}

function removeFrom(rules: Map<string, unknown>, name: unknown): Record<string, unknown> {
  if (!rules.delete(requiredName(name))) {
    throw errorReply(404, `RECORD_NOT_FOUND: rule ${String(name)}`);
  }
  return {};
}

function loggingService(ctx: RouteContext, data: Record<string, unknown>): unknown {
  const rules = ctx.store.collection.rulesOf(ctx.token.oid).logging;
  switch (data.action) {
    case 'list_rules':
      return Object.fromEntries(rules);
    case 'add_rule': {
      const rule: Record<string, unknown> = {
        patterns: stringList(data.patterns, 'patterns'),
        ...filters(data),
        days_retention: data.days_retention === undefined ? 30 : Number(data.days_retention),
        is_delete_after: data.is_delete_after === 'true',
      };
      rules.set(requiredName(data.name), rule);
      return {};
    }
    case 'remove_rule':
      return removeFrom(rules, data.name);
    default:
      throw errorReply(400, `unknown action: ${String(data.action)}`);
  }
}

function integrityService(ctx: RouteContext, data: Record<string, unknown>): unknown {
  const rules = ctx.store.collection.rulesOf(ctx.token.oid).integrity;
  switch (data.action) {
    case 'list_rules':
      return Object.fromEntries(rules);
    case 'add_rule':
      rules.set(requiredName(data.name), {
        patterns: stringList(data.patterns, 'patterns'),
        ...filters(data),
      });
      return {};
    case 'remove_rule':
      return removeFrom(rules, data.name);
    default:
      throw errorReply(400, `unknown action: ${String(data.action)}`);
  }
}

function exfilService(ctx: RouteContext, data: Record<string, unknown>): unknown {
  const rules = ctx.store.collection.rulesOf(ctx.token.oid);
  switch (data.action) {
    case 'list_rules':
      return {
        events: Object.fromEntries(rules.exfilEvents),
        watch: Object.fromEntries(rules.exfilWatches),
      };
    case 'add_event_rule':
      rules.exfilEvents.set(requiredName(data.name), {
        events: stringList(data.events, 'events'),
        ...filters(data),
      });
      return {};
    case 'add_watch':
      for (const field of ['event', 'value', 'operator']) {
        if (typeof data[field] !== 'string') throw errorReply(400, `missing ${field}`);
      }
      rules.exfilWatches.set(requiredName(data.name), {
        event: data.event,
        value: data.value,
        operator: data.operator,
        path: stringList(data.path, 'path'),
        ...filters(data),
      });
      return {};
    case 'remove_event_rule':
      return removeFrom(rules.exfilEvents, data.name);
    case 'remove_watch':
      return removeFrom(rules.exfilWatches, data.name);
    default:
      throw errorReply(400, `unknown action: ${String(data.action)}`);
  }
}

const SERVICES: Record<string, (ctx: RouteContext, data: Record<string, unknown>) => unknown> = {
  logging: loggingService,
  integrity: integrityService,
  exfil: exfilService,
};

/** Artifacts and their rules, and the logging, integrity and exfil rule services. */
export const collectionRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^insight/${OID}/artifacts$`),
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('insight.list');
      const state = ctx.store.collection;
      const sid = ctx.param('sid');
      const cursor = ctx.param('cursor');
      let offset = 0;
      let start = 0;
      let end = Number.MAX_SAFE_INTEGER;
      // The cursor carries the range of the first page, as the API's opaque cursors do.
      if (cursor !== undefined) {
        const parts = /^(\d+):(\d+):(\d+)$/.exec(cursor);
        if (!parts) throw errorReply(400, 'invalid cursor');
        [offset, start, end] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
      } else {
        start = Number(ctx.param('start'));
        end = Number(ctx.param('end'));
        if (!Number.isInteger(start) || !Number.isInteger(end)) {
          throw errorReply(400, 'start and end are required without a cursor');
        }
      }
      const matching = (state.artifacts.get(org.oid) ?? []).filter(
        (a) => a.ts >= start && a.ts <= end && (sid === undefined || a.sid === sid),
      );
      const page = matching.slice(offset, offset + state.artifactPageSize);
      const next = offset + page.length;
      return {
        artifacts: page.map(({ data: _data, ...meta }) => meta),
        ...(next < matching.length ? { next_cursor: `${next}:${start}:${end}` } : {}),
      };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^insight/${OID}/artifacts/originals/([^/]+)$`),
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('insight.list');
      const id = decodeURIComponent(ctx.match[1]);
      const artifact = (ctx.store.collection.artifacts.get(org.oid) ?? []).find((a) => a.id === id);
      if (!artifact) throw errorReply(404, `RECORD_NOT_FOUND: artifact ${id}`);
      return { payload: Buffer.from(artifact.data).toString('base64') };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^insight/${OID}/artifacts/rules$`),
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('artifact.get');
      return Object.fromEntries(ctx.store.collection.rulesOf(org.oid).artifact);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^insight/${OID}/artifacts/rules$`),
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('artifact.set');
      const body = jsonBody(ctx);
      const rule: Record<string, unknown> = {
        platforms: stringList(body.platforms, 'platforms'),
        patterns: stringList(body.patterns, 'patterns'),
        is_delete_after: body.is_delete_after === true,
        days_retention: typeof body.days_retention === 'number' ? body.days_retention : 30,
        ...(body.tags === undefined ? {} : { tags: stringList(body.tags, 'tags') }),
      };
      ctx.store.collection.rulesOf(org.oid).artifact.set(requiredName(body.name), rule);
      return {};
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^insight/${OID}/artifacts/rules$`),
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('artifact.del');
      return removeFrom(ctx.store.collection.rulesOf(org.oid).artifact, ctx.param('name'));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^service/${OID}/(logging|integrity|exfil)$`),
    handle: (ctx) => {
      ctx.org(ctx.match[0]);
      ctx.require('replicant.task');
      return SERVICES[ctx.match[1]](ctx, serviceData(ctx));
    },
  },
];
