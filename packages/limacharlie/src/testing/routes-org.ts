import type { FakeRoute } from './route.js';

const OID = '([^/]+)';

export const orgRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: /^who$/,
    handle: (ctx) => ({
      orgs: [ctx.token.oid],
      perms: [...ctx.token.perms],
      ident: ctx.token.ident,
    }),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^orgs/${OID}$`),
    handle: (ctx) => {
      const org = ctx.org(ctx.match[0]);
      ctx.require('org.get');
      let rules = 0;
      for (const namespace of org.rules.values()) rules += namespace.size;
      return {
        oid: org.oid,
        name: org.name,
        sensor_version: '4.33.0',
        n_outputs: org.outputs.size,
        n_installation_keys: 0,
        n_rules: rules,
        sensor_quota: 1000,
      };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^online/${OID}$`),
    handle: (ctx) => {
      ctx.org(ctx.match[0]);
      ctx.require('sensor.get');
      const out: Record<string, boolean> = {};
      const asked = ctx.params('sids');
      // Without `sids` the API answers for every sensor of the org.
      const sids = asked.length > 0 ? asked : ctx.store.sensorsOf(ctx.token.oid).map((s) => s.sid);
      for (const sid of sids) {
        const sensor = ctx.store.sensors.get(sid);
        out[sid] = sensor?.oid === ctx.token.oid && sensor.online;
      }
      return out;
    },
  },
];
