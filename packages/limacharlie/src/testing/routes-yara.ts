import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';

const OID = '([^/]+)';

/**
 * The `yara` service, reached as any service: `POST service/{oid}/yara` with form
 * `request_data` (base64 of JSON holding `action`) and `is_async`. A scan starts a job.
 */
export const yaraRoutes: FakeRoute[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^service/${OID}/yara$`),
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      const data = requestData(ctx);
      const state = ctx.store.yara;
      const rules = state.rulesOf(oid);
      const sources = state.sourcesOf(oid);
      switch (data.action) {
        case 'list_rules':
          return { rules: Object.fromEntries(rules) };
        case 'add_rule': {
          const name = text(data, 'name');
          const ruleSources = jsonList(data, 'sources', true);
          const unknown = ruleSources.find((s) => !sources.has(s));
          if (unknown !== undefined) throw errorReply(400, `unknown source: ${unknown}`);
          rules.set(name, {
            sources: ruleSources,
            tags: jsonList(data, 'tags', false),
            platforms: jsonList(data, 'platforms', false),
          });
          return {};
        }
        case 'remove_rule':
          if (!rules.delete(text(data, 'name'))) throw errorReply(404, 'RECORD_NOT_FOUND: rule');
          return {};
        case 'list_sources':
          return { sources: Object.fromEntries([...sources.keys()].map((n) => [n, { name: n }])) };
        case 'get_source': {
          const source = sources.get(text(data, 'name'));
          if (source === undefined) throw errorReply(404, 'RECORD_NOT_FOUND: source');
          return { source };
        }
        case 'add_source':
          sources.set(text(data, 'name'), text(data, 'source'));
          return {};
        case 'remove_source': {
          const name = text(data, 'name');
          const inUse = [...rules].find(([, rule]) => rule.sources.includes(name));
          if (inUse) throw errorReply(400, `source ${name} is used by rule ${inUse[0]}`);
          if (!sources.delete(name)) throw errorReply(404, 'RECORD_NOT_FOUND: source');
          return {};
        }
        case 'scan': {
          const sid = text(data, 'sid');
          ctx.sensor(sid);
          const job = ctx.store.jobs.add(oid, { sid, serviceName: 'yara', pendingReads: 1 });
          const timeout = data.timeout;
          state.scans.push({
            oid,
            sid,
            rule: text(data, 'rule'),
            ...(typeof timeout === 'string' ? { timeout } : {}),
            jobId: job.job_id,
          });
          return { job_id: job.job_id };
        }
        default:
          throw errorReply(400, `unknown action: ${String(data.action)}`);
      }
    },
  },
];

function requestData(ctx: RouteContext): Record<string, unknown> {
  if (ctx.param('is_async') === undefined) throw errorReply(400, 'missing parameter: is_async');
  const encoded = ctx.param('request_data');
  if (encoded === undefined) throw errorReply(400, 'missing parameter: request_data');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw errorReply(400, 'invalid request_data: not base64 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw errorReply(400, 'invalid request_data: not an object');
  }
  return value as Record<string, unknown>;
}

function text(data: Record<string, unknown>, key: string): string {
  const value = data[key];
  if (typeof value !== 'string' || value === '') throw errorReply(400, `missing parameter: ${key}`);
  return value;
}

/** List fields arrive as JSON text inside the JSON request, as the SDK nests them. */
function jsonList(data: Record<string, unknown>, key: string, required: boolean): string[] {
  const value = data[key];
  if (value === undefined && !required) return [];
  if (typeof value !== 'string') throw errorReply(400, `missing parameter: ${key}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw errorReply(400, `invalid ${key}: not JSON`);
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) {
    throw errorReply(400, `invalid ${key}: not a list of strings`);
  }
  return parsed;
}
