import { gzipSync } from 'node:zlib';

import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import type { FakeJob } from './state-jobs.js';

const OID = '([^/]+)';

/**
 * Service jobs: listed by creation time as base64 of gzip of a JSON map by job id (when
 * `is_compressed=true`, as the SDK asks), read one by one, deleted.
 */
export const jobRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^job/${OID}$`),
    handle: (ctx) => {
      const oid = ctx.org(ctx.match[0]).oid;
      ctx.require('job.get');
      const start = seconds(ctx, 'start');
      const end = seconds(ctx, 'end');
      const sid = ctx.param('sid');
      const limitText = ctx.param('limit');
      const limit = limitText === undefined ? Infinity : Number(limitText);
      if (!(limit > 0)) throw errorReply(400, 'invalid limit');
      const selected: Record<string, FakeJob> = {};
      let count = 0;
      for (const job of ctx.store.jobs.of(oid).values()) {
        if (count >= limit) break;
        if (job.start < start || job.start > end) continue;
        if (sid !== undefined && job.sid !== sid) continue;
        selected[job.job_id] = job;
        count += 1;
      }
      if (ctx.param('is_compressed') !== 'true') return { jobs: selected };
      return { jobs: gzipSync(JSON.stringify(selected)).toString('base64') };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^job/${OID}/([^/]+)$`),
    handle: (ctx) => {
      ctx.require('job.get');
      const job = existing(ctx);
      return ctx.store.jobs.read(job);
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^job/${OID}/([^/]+)$`),
    handle: (ctx) => {
      ctx.require('job.del');
      const job = existing(ctx);
      ctx.store.jobs.of(job.oid).delete(job.job_id);
      ctx.store.jobs.pending.delete(job.job_id);
      return { success: true };
    },
  },
];

function existing(ctx: RouteContext): FakeJob {
  const oid = ctx.org(ctx.match[0]).oid;
  const id = decodeURIComponent(ctx.match[1]);
  const job = ctx.store.jobs.of(oid).get(id);
  if (!job) throw errorReply(404, `RECORD_NOT_FOUND: job ${id} not found`);
  return job;
}

function seconds(ctx: RouteContext, name: string): number {
  const text = ctx.param(name);
  if (text === undefined || !/^\d+$/.test(text))
    throw errorReply(400, `missing parameter: ${name}`);
  return Number(text);
}
