import type { AbstractHttpAdapter } from '@nestjs/core';
import { LcConfigError } from '../options/lc-config-error.js';
import { insertExpressRoute, type ExpressAppLike } from './express-routes.js';
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

/** GET paths already mounted per HTTP instance: a second forRoot() is a mistake. */
const mounted = new WeakMap<object, Set<string>>();

function claimPaths(instance: object, routes: readonly LcGetRoute[]): void {
  const paths = mounted.get(instance) ?? new Set<string>();
  for (const { path } of routes) {
    if (paths.has(path)) {
      throw new LcConfigError(
        `LcServiceModule: GET '${path}' is already mounted: LcServiceModule.forRoot() is imported twice. ` +
          'Import it once, in the root module (with isGlobal: true to use LcService everywhere).',
      );
    }
    paths.add(path);
  }
  mounted.set(instance, paths);
}

const INTERNAL_ERROR: LcPlainReply = {
  status: 500,
  contentType: 'text/plain; charset=utf-8',
  body: 'internal error',
};

async function answer(route: LcGetRoute): Promise<LcPlainReply> {
  try {
    return await route.reply();
  } catch {
    return INTERNAL_ERROR;
  }
}

/**
 * Mounts routes on the HTTP server itself, outside Nest's router: global guards, prefixes and
 * versioning are for the app's own API and must not hide a probe from Kubernetes.
 */
export function mountGetRoutes(adapter: AbstractHttpAdapter, routes: readonly LcGetRoute[]): void {
  const type = adapter.getType();
  claimPaths(adapter.getInstance<object>(), routes);
  if (type === 'fastify') {
    const fastify = adapter.getInstance<FastifyGetLike>();
    for (const route of routes) {
      fastify.get(route.path, async (req, reply) => {
        const out = await answer(route);
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
  if (type === 'express') {
    const app = adapter.getInstance<ExpressAppLike>();
    for (const route of routes) {
      insertExpressRoute(app, 'get', route.path, (_req, res) => {
        void answer(route).then((out) =>
          writeReply(res, out.status, out.contentType, out.body, out.close === true),
        );
      });
    }
    return;
  }
  throw unsupportedAdapter(type);
}

export function unsupportedAdapter(type: string): LcConfigError {
  return new LcConfigError(
    `LcServiceModule: the HTTP adapter is '${type}'. Use @nestjs/platform-fastify (new FastifyAdapter()) or @nestjs/platform-express.`,
  );
}
