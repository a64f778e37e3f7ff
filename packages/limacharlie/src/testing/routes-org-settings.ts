import { errorReply } from './http-io.js';
import type { FakeRoute } from './route.js';
import { FAKE_SEARCH_PREFIX } from './routes-search.js';
import { FAKE_REPLAY_PREFIX } from './routes-collection.js';

const OID = '([^/]+)';

/** Event types of the fake ontology, with the platforms that emit them. */
const EVENT_TYPES: Record<string, string[]> = {
  NEW_PROCESS: ['windows', 'linux', 'macos'],
  TERMINATE_PROCESS: ['windows', 'linux', 'macos'],
  DNS_REQUEST: ['windows', 'linux', 'macos'],
  NETWORK_CONNECTIONS: ['windows', 'linux', 'macos'],
  FILE_CREATE: ['windows', 'macos'],
  REGISTRY_WRITE: ['windows'],
};

/** Org settings: service URLs (public), config values, errors, schemas and the event types. */
export const orgSettingRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^orgs/${OID}/url$`),
    public: true,
    handle: (ctx) => {
      const oid = decodeURIComponent(ctx.match[0]);
      if (!ctx.store.orgs.has(oid)) throw errorReply(404, `RECORD_NOT_FOUND: org ${oid}`);
      const host = ctx.host;
      return {
        url: {
          lc: host,
          lc_wss: host,
          edr: host,
          logs: host,
          artifacts: host,
          replay: `${ctx.baseUrl}${FAKE_REPLAY_PREFIX}`,
          live: host,
          hooks: host,
          // With its scheme: the fake speaks plain http, and py only adds https:// when none is given.
          search: `${ctx.baseUrl}${FAKE_SEARCH_PREFIX}`,
          region_code: 'fake',
        },
        certs: {},
        site_name: 'fake',
      };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^configs/${OID}/([^/]+)$`),
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('org.conf.get');
      const value = org.configs.get(decodeURIComponent(ctx.match[1]));
      return value === undefined ? {} : { value };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^configs/${OID}/([^/]+)$`),
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('org.conf.set');
      const value = ctx.param('value');
      if (value === undefined) throw errorReply(400, 'missing parameter: value');
      org.configs.set(decodeURIComponent(ctx.match[1]), value);
      return { success: true };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^errors/${OID}$`),
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('org.get');
      return { errors: Object.fromEntries(org.errors) };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^errors/${OID}/([^/]+)$`),
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('org.get');
      const component = decodeURIComponent(ctx.match[1]);
      if (!org.errors.delete(component)) {
        throw errorReply(404, `RECORD_NOT_FOUND: no error for ${component}`);
      }
      return {};
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^orgs/${OID}/schema$`),
    handle: (ctx) => {
      ctx.org(ctx.match[0]);
      ctx.require('org.get');
      const platform = ctx.param('platform');
      const names = Object.entries(EVENT_TYPES)
        .filter(([, platforms]) => platform === undefined || platforms.includes(platform))
        .map(([name]) => `evt:${name}`);
      return { event_types: names };
    },
  },
  {
    method: 'GET',
    pattern: /^events$/,
    handle: () => ({ events: Object.keys(EVENT_TYPES) }),
  },
];
