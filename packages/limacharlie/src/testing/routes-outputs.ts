import { errorReply } from './http-io.js';
import type { FakeRoute } from './route.js';

export const outputRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: /^outputs\/([^/]+)$/,
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('output.list');
      return { [org.oid]: Object.fromEntries(org.outputs) };
    },
  },
  {
    method: 'POST',
    pattern: /^outputs\/([^/]+)$/,
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('output.set');
      const name = ctx.param('name');
      const module = ctx.param('module');
      const type = ctx.param('type');
      if (!name || !module || !type) {
        throw errorReply(400, 'missing parameter: name, module and type are required');
      }
      // Echo the fields as posted; `for` repeats the stream the way go's mock names it.
      const record: Record<string, unknown> = { ...ctx.form, for: type };
      org.outputs.set(name, record);
      return record;
    },
  },
  {
    method: 'DELETE',
    pattern: /^outputs\/([^/]+)$/,
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('output.del');
      const name = ctx.param('name');
      if (!name || !org.outputs.delete(name)) {
        throw errorReply(404, `RECORD_NOT_FOUND: output ${name ?? ''} not found`);
      }
      return {};
    },
  },
];
