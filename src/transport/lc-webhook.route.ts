import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LC_MODULE, LC_OPTIONS, type LcModuleIdentity } from '../lc-service.constants.js';
import { LcConfigError } from '../options/lc-config-error.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import { insertExpressRoute, type ExpressAppLike } from './express-routes.js';
import { refuseRouteClash } from './framework-routes.js';
import { unsupportedAdapter } from './get-routes.js';
import { LcWebhookTransport, writeNodeReply } from './node-webhook.js';
import { serveAheadOfFramework, type NodeServerLike } from './server-fast-path.js';
import { limitServer, type ServerWithLimits } from './server-limits.js';
import { LcDispatcher } from '../dispatch/lc-dispatcher.js';
import { JSON_CONTENT_TYPE, type LcHttpReply } from '../call/lc-http-reply.js';
import { LcLogger } from '../logging/lc-logger.js';

/** The slice of the Fastify API the route uses, so the package needs no fastify types. */
interface FastifyRequestLike {
  raw: IncomingMessage;
}
interface FastifyReplyLike {
  request: FastifyRequestLike;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body: string): FastifyReplyLike;
}
interface FastifyErrorLike {
  statusCode?: number;
  message: string;
}
interface FastifyLike {
  register(plugin: (child: FastifyLike) => Promise<void>): unknown;
  setErrorHandler(
    handler: (err: FastifyErrorLike, req: unknown, reply: FastifyReplyLike) => void,
  ): void;
  route(route: {
    method: 'POST';
    url: string;
    onRequest: (req: FastifyRequestLike, reply: FastifyReplyLike, done: () => void) => void;
    handler: () => void;
  }): void;
}

/** The answer through Fastify's reply, so the app's `onSend` and `onResponse` hooks see it. */
function writeFastifyReply(reply: FastifyReplyLike, out: LcHttpReply): void {
  // HTTP/2 has no Connection header; its streams do not hold the server.
  if (out.close === true && reply.request.raw.httpVersionMajor < 2) {
    reply.header('connection', 'close');
  }
  reply
    .code(out.status)
    .header('content-type', JSON_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .send(out.body);
}

/** The onRequest hook answers every call; Fastify still wants a handler for the route. */
function answeredInOnRequest(): void {}

/** HTTP instances that already carry a webhook route, by path: a second forRoot() is a mistake. */
const mounted = new WeakMap<object, Set<string>>();

/**
 * Mounts the webhook as a Fastify route in its own encapsulated context, or as an Express route
 * ahead of the body parsers, and (option `fastPath`) in front of the framework on the HTTP server
 * itself. Every entry reads the raw body with the same bounded reader and writes the same answer:
 * the signature is checked over exactly what was sent, before any JSON parsing, whatever the
 * content type, and no `rawBody` bootstrap flag is needed.
 */
@Injectable()
export class LcWebhookRoute {
  private readonly logger = new LcLogger('LcService');

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    @Inject(LC_MODULE) private readonly module: LcModuleIdentity,
    private readonly adapterHost: HttpAdapterHost,
    private readonly dispatcher: LcDispatcher,
  ) {}

  mount(): void {
    const adapter = this.adapterHost.httpAdapter;
    // An application context without HTTP (a worker, a serverless host) dispatches by itself.
    if (adapter === undefined || adapter === null) return;
    const type = adapter.getType();
    if (type !== 'fastify' && type !== 'express')
      throw unsupportedAdapter(type, this.options.module);
    const instance = adapter.getInstance() as object;
    const { path } = this.options;
    const paths = mounted.get(instance) ?? new Set<string>();
    if (paths.has(path)) {
      throw new LcConfigError(
        `${this.module.name}: a webhook route is already mounted at '${path}': ${this.module.name}.forRoot() is imported twice, ` +
          "or another module was given the same 'path'. Import each module once, in the root module, each on its own path.",
      );
    }
    refuseRouteClash(
      this.options.module,
      type,
      instance,
      'POST',
      path,
      'path',
      `Give the webhook another path (path: '/lc', and register that URL in LimaCharlie), or move the app's route.`,
    );
    paths.add(path);
    mounted.set(instance, paths);
    const transport = new LcWebhookTransport(this.dispatcher, this.options, this.logger);
    const serveNode = (req: IncomingMessage, res: ServerResponse): void => {
      transport.handle(req, res, writeNodeReply);
    };
    const server: unknown = adapter.getHttpServer();
    limitServer(server as ServerWithLimits, this.options);
    if (this.options.fastPath)
      serveAheadOfFramework(server as NodeServerLike, path, serveNode, this.options.module);
    if (type === 'express') {
      insertExpressRoute(instance as ExpressAppLike, 'post', path, serveNode, this.options.module);
      return;
    }
    const fastify = instance as FastifyLike;
    fastify.register(async (child) => {
      child.setErrorHandler((err, _req, reply) => this.onError(err, reply));
      child.route({
        method: 'POST',
        url: path,
        // Ahead of Fastify's body parsing, which buffers by its own rules and answers 415 to a
        // malformed Content-Type; the app's own onRequest hooks have run. Not calling `done`
        // ends Fastify's lifecycle here: the reply is sent.
        onRequest: (req, reply) => transport.handle(req.raw, reply, writeFastifyReply),
        handler: answeredInOnRequest,
      });
    });
  }

  /** An error from the app's hooks on the webhook route: a JSON error, never a crash. */
  private onError(err: FastifyErrorLike, reply: FastifyReplyLike): void {
    const status = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
    if (status === 500) this.logger.error(`webhook route failed: ${err.message}`);
    const error = status === 500 ? 'internal error' : err.message;
    writeFastifyReply(reply, this.dispatcher.refusal(status, error, false));
  }
}
