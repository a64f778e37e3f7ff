import type { AbstractHttpAdapter } from '@nestjs/core';
import { LcConfigError } from '../options/lc-config-error.js';
import { insertExpressRoute, type ExpressAppLike } from './express-routes.js';
import { refuseRouteClash } from './framework-routes.js';
import { writeReply } from './raw-body.js';

/** What an operations route answers: probes and metrics. */
export interface LcPlainReply {
  status: number;
  contentType: string;
  body: string;
  /** Send `Connection: close` (the replica is draining). */
  close?: boolean;
}

/** An unsigned GET route outside the protocol (probes, metrics). */
export interface LcGetRoute {
  path: string;
  reply(): LcPlainReply | Promise<LcPlainReply>;
  /**
   * Another module of the app (a Service and an Extension module side by side) may mount the
   * same path: the route then answers for all of them, with the first answer that is not a 200.
   */
  joinable?: boolean;
  /** The option that chose the path, and how to resolve a clash with a route of the app. */
  option: string;
  fix: string;
  /**
   * What the route serves (a metrics registry): another module's route serving the same thing at
   * the same path already answers for both.
   */
  serves?: object;
}

interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body: string): FastifyReplyLike;
}
interface FastifyRequestLike {
  raw: { httpVersionMajor: number };
}
interface FastifyGetLike {
  get(
    path: string,
    handler: (req: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void>,
  ): unknown;
}

/** GET routes already mounted per HTTP instance, by path: each path's routes answer together. */
const mounted = new WeakMap<object, Map<string, LcGetRoute[]>>();

/** The routes to mount now; a joinable route on a joinable path joins the one mounted there. */
function claimPaths(
  instance: object,
  routes: readonly LcGetRoute[],
  moduleName: string,
): LcGetRoute[][] {
  const paths = mounted.get(instance) ?? new Map<string, LcGetRoute[]>();
  const fresh: LcGetRoute[][] = [];
  for (const route of routes) {
    const existing = paths.get(route.path);
    if (existing === undefined) {
      const joined = [route];
      paths.set(route.path, joined);
      fresh.push(joined);
    } else if (route.joinable === true && existing.every((r) => r.joinable === true)) {
      existing.push(route);
    } else if (route.serves === undefined || existing[0].serves !== route.serves) {
      throw new LcConfigError(
        `${moduleName}: GET '${route.path}' is already mounted: a module with this route is imported twice, ` +
          'or two modules were given the same metrics path. Import each module once, in the root module, and give ' +
          "each module its own metrics path, or both the same 'metrics.registry' to serve them together.",
      );
    }
  }
  mounted.set(instance, paths);
  return fresh;
}

const INTERNAL_ERROR: LcPlainReply = {
  status: 500,
  contentType: 'text/plain; charset=utf-8',
  body: 'internal error',
};

async function answer(routes: readonly LcGetRoute[]): Promise<LcPlainReply> {
  try {
    let out = await routes[0].reply();
    for (let i = 1; i < routes.length && out.status === 200; i++) out = await routes[i].reply();
    return out;
  } catch {
    return INTERNAL_ERROR;
  }
}

/**
 * Mounts routes on the HTTP server itself, outside Nest's router: global guards, prefixes and
 * versioning are for the app's own API and must not hide a probe from Kubernetes.
 */
export function mountGetRoutes(
  adapter: AbstractHttpAdapter,
  routes: readonly LcGetRoute[],
  moduleName: string,
): void {
  const type = adapter.getType();
  if (type !== 'fastify' && type !== 'express') throw unsupportedAdapter(type, moduleName);
  const instance = adapter.getInstance<object>();
  const fresh = claimPaths(instance, routes, moduleName);
  for (const [{ path, option, fix }] of fresh) {
    refuseRouteClash(moduleName, type, instance, 'GET', path, option, fix);
  }
  if (type === 'fastify') {
    const fastify = adapter.getInstance<FastifyGetLike>();
    for (const joined of fresh) {
      fastify.get(joined[0].path, async (req, reply) => {
        const out = await answer(joined);
        if (out.close === true && req.raw.httpVersionMajor < 2) reply.header('connection', 'close');
        reply
          .code(out.status)
          .header('content-type', out.contentType)
          .header('cache-control', 'no-store')
          .send(out.body);
      });
    }
    return;
  }
  const app = adapter.getInstance<ExpressAppLike>();
  for (const joined of fresh) {
    insertExpressRoute(
      app,
      'get',
      joined[0].path,
      (_req, res) => {
        void answer(joined).then((out) =>
          writeReply(res, out.status, out.contentType, out.body, out.close === true),
        );
      },
      moduleName,
    );
  }
}

export function unsupportedAdapter(type: string, moduleName: string): LcConfigError {
  return new LcConfigError(
    `${moduleName}: the HTTP adapter is '${type}'. Use @nestjs/platform-fastify (new FastifyAdapter()) or @nestjs/platform-express.`,
  );
}
