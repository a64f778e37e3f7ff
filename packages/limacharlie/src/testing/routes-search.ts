import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import type { FakeSearchQuery } from './state-services.js';
import type { FakeSearchEvent } from './types.js';

/** The org's LCQL host lives under this prefix of the fake (`url.search` of `orgs/{oid}/url`). */
export const FAKE_SEARCH_PREFIX = '/lcql';

/** What the fake charges per event scanned, to give `estimatedPrice` a realistic shape. */
const PRICE_PER_EVENT = 0.000_01;

interface SearchRequest {
  oid: string;
  query: string;
  start: number;
  end: number;
}

/** A parsed `[time |] sensors | event types [| path op 'value']` query. */
interface ParsedQuery {
  eventTypes: Set<string> | undefined;
  filter: ((event: FakeSearchEvent) => boolean) | undefined;
}

export const searchRoutes: FakeRoute[] = [
  {
    method: 'POST',
    host: 'search',
    pattern: /^search\/validate$/,
    handle: (ctx) => {
      const request = searchRequest(ctx);
      const parsed = parseQuery(request.query);
      if (typeof parsed === 'string') return { error: parsed };
      const scanned = inRange(ctx, request).length;
      return {
        query: request.query,
        stats: { eventsScanned: scanned },
        estimatedPrice: { amount: scanned * PRICE_PER_EVENT, currency: 'USD' },
      };
    },
  },
  {
    method: 'POST',
    host: 'search',
    pattern: /^search$/,
    handle: (ctx) => {
      const request = searchRequest(ctx);
      const parsed = parseQuery(request.query);
      if (typeof parsed === 'string') throw errorReply(400, parsed);
      const rows = inRange(ctx, request).filter(
        (e) =>
          (!parsed.eventTypes || parsed.eventTypes.has(e.routing.event_type)) &&
          (!parsed.filter || parsed.filter(e)),
      );
      return { queryId: ctx.store.services.startSearch(request.oid, rows) };
    },
  },
  {
    method: 'GET',
    host: 'search',
    pattern: /^search\/([^/]+)$/,
    handle: (ctx) => {
      const search = queryOf(ctx);
      const token = ctx.param('token');
      const page = token === undefined ? 0 : pageOf(token, search);
      if (page !== search.servedPage) {
        search.servedPage = page;
        search.pendingPolls = search.pendingPerPage;
      }
      if (search.pendingPolls > 0) {
        search.pendingPolls -= 1;
        return { results: [], completed: false, nextPollInMs: 10 };
      }
      const result: Record<string, unknown> = {
        type: 'events',
        rows: search.pages[page],
        stats: { page, rows: search.pages[page].length },
      };
      if (page + 1 < search.pages.length) {
        result.nextToken = Buffer.from(`page:${page + 1}`).toString('base64url');
      }
      return { results: [result], completed: true };
    },
  },
  {
    method: 'DELETE',
    host: 'search',
    pattern: /^search\/([^/]+)$/,
    handle: (ctx) => {
      queryOf(ctx);
      ctx.store.services.searches.delete(ctx.match[0]);
      return {};
    },
  },
];

function searchRequest(ctx: RouteContext): SearchRequest {
  let body: unknown;
  try {
    body = JSON.parse(ctx.body) as unknown;
  } catch {
    throw errorReply(400, 'the search body must be JSON');
  }
  if (typeof body !== 'object' || body === null) throw errorReply(400, 'invalid search body');
  const { oid, query, startTime, endTime } = body as Record<string, unknown>;
  if (typeof oid !== 'string') throw errorReply(400, 'missing oid');
  ctx.org(oid);
  ctx.require('insight.evt.get');
  if (typeof query !== 'string') throw errorReply(400, 'missing query');
  // The API takes the times as decimal strings of epoch seconds.
  if (typeof startTime !== 'string' || !/^\d+$/.test(startTime)) {
    throw errorReply(400, 'startTime must be a string of epoch seconds');
  }
  if (typeof endTime !== 'string' || !/^\d+$/.test(endTime)) {
    throw errorReply(400, 'endTime must be a string of epoch seconds');
  }
  return { oid, query, start: Number(startTime), end: Number(endTime) };
}

function inRange(ctx: RouteContext, request: SearchRequest): FakeSearchEvent[] {
  const events = ctx.store.services.searchEvents.get(request.oid) ?? [];
  const from = request.start * 1000;
  const to = request.end * 1000;
  return events.filter((e) => e.routing.event_time >= from && e.routing.event_time <= to);
}

/** Returns the parsed query, or the error the API would give. */
function parseQuery(query: string): ParsedQuery | string {
  const parts = query.split('|').map((p) => p.trim());
  if (parts.length > 0 && /^-\d+[smhd]$/.test(parts[0])) parts.shift();
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    return `invalid query: expected "sensors | event types [| filter]", got ${JSON.stringify(query)}`;
  }
  const types = parts[1] === '*' ? undefined : new Set(parts[1].split(/\s+/));
  if (parts.length === 2) return { eventTypes: types, filter: undefined };
  const filter = /^(event|routing)\/([\w/]+)\s+(==|contains)\s+'([^']*)'$/.exec(parts[2]);
  if (!filter) return `invalid query: unsupported filter ${JSON.stringify(parts[2])}`;
  const [, root, path, op, value] = filter;
  return {
    eventTypes: types,
    filter: (e) => {
      let node: unknown = root === 'event' ? e.event : e.routing;
      for (const key of path.split('/')) {
        node =
          typeof node === 'object' && node !== null
            ? (node as Record<string, unknown>)[key]
            : undefined;
      }
      if (typeof node !== 'string') return false;
      return op === '==' ? node === value : node.includes(value);
    },
  };
}

function queryOf(ctx: RouteContext): FakeSearchQuery {
  const search = ctx.store.services.searches.get(ctx.match[0]);
  if (!search) throw errorReply(404, `unknown query: ${ctx.match[0]}`);
  ctx.org(search.oid);
  return search;
}

function pageOf(token: string, search: FakeSearchQuery): number {
  const match = /^page:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  const page = match ? Number(match[1]) : -1;
  if (page < 0 || page >= search.pages.length) throw errorReply(400, 'invalid token');
  return page;
}
