import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LC_OPTIONS } from '../lc-service.constants.js';
import { LcConfigError } from '../options/lc-config-error.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import { insertExpressRoute, type ExpressAppLike } from './express-routes.js';
import { unsupportedAdapter } from './get-routes.js';
import { handleNodeWebhook } from './node-webhook.js';
import { serveAheadOfFramework, type NodeServerLike } from './server-fast-path.js';
import { SIGNATURE_HEADER } from '../protocol/service/signature.js';
import { LcDispatcher } from '../dispatch/lc-dispatcher.js';
import { JSON_CONTENT_TYPE, rejection } from '../call/lc-http-reply.js';

/** The slice of the Fastify API the route uses, so the package needs no fastify types. */
interface FastifyRequestLike {
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  raw: { httpVersionMajor: number };
}
interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body: string): FastifyReplyLike;
}
interface FastifyErrorLike {
  statusCode?: number;
  code?: string;
  message: string;
}
type BufferParser = (
  req: unknown,
  body: Buffer,
  done: (err: Error | null, body?: Buffer) => void,
) => void;
interface FastifyLike {
  register(plugin: (child: FastifyLike) => Promise<void>): unknown;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    type: string,
    opts: { parseAs: 'buffer'; bodyLimit: number },
    parser: BufferParser,
  ): void;
  setErrorHandler(
    handler: (err: FastifyErrorLike, req: unknown, reply: FastifyReplyLike) => void,
  ): void;
  post(
    path: string,
    handler: (req: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void>,
  ): void;
}

/** HTTP instances that already carry a webhook route, by path: a second forRoot() is a mistake. */
const mounted = new WeakMap<object, Set<string>>();

/**
 * Mounts the webhook as a plain Fastify route in its own encapsulated context, or as an Express
 * route ahead of the body parsers, and (option `fastPath`) in front of the framework on the HTTP
 * server itself. Every content type is read as raw bytes: the signature is checked over exactly
 * what was sent, before any JSON parsing, and no `rawBody` bootstrap flag is needed.
 */
@Injectable()
export class LcWebhookRoute {
  private readonly logger = new Logger('LcService');

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly dispatcher: LcDispatcher,
  ) {}

  mount(): void {
    const adapter = this.adapterHost.httpAdapter;
    // An application context without HTTP (a worker, a serverless host) dispatches by itself.
    if (adapter === undefined || adapter === null) return;
    const type = adapter.getType();
    if (type !== 'fastify' && type !== 'express') throw unsupportedAdapter(type);
    const instance = adapter.getInstance() as object;
    const { path, bodyLimit } = this.options;
    const paths = mounted.get(instance) ?? new Set<string>();
    if (paths.has(path)) {
      throw new LcConfigError(
        `LcServiceModule: a webhook route is already mounted at '${path}': LcServiceModule.forRoot() is imported twice. ` +
          'Import it once, in the root module (with isGlobal: true to use LcService everywhere).',
      );
    }
    paths.add(path);
    mounted.set(instance, paths);
    const dispatcher = this.dispatcher;
    const serveNode = (req: IncomingMessage, res: ServerResponse): void => {
      void handleNodeWebhook(req, res, dispatcher, bodyLimit, this.logger);
    };
    if (this.options.fastPath) {
      serveAheadOfFramework(adapter.getHttpServer() as NodeServerLike, path, serveNode);
    }
    if (type === 'express') {
      insertExpressRoute(instance as ExpressAppLike, 'post', path, serveNode);
      return;
    }
    const fastify = instance as FastifyLike;
    fastify.register(async (child) => {
      child.removeAllContentTypeParsers();
      child.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) =>
        done(null, body),
      );
      child.setErrorHandler((err, _req, reply) => this.onError(err, reply));
      child.post(path, async (req, reply) => {
        const body = Buffer.isBuffer(req.body) ? req.body : undefined;
        const out = await dispatcher.dispatch(body, req.headers[SIGNATURE_HEADER]);
        if (out.close === true && req.raw.httpVersionMajor < 2) reply.header('connection', 'close');
        reply.code(out.status).header('content-type', JSON_CONTENT_TYPE).send(out.body);
      });
    });
  }

  /** Body too large, aborted uploads, bad content-length: a JSON error, never a crash. */
  private onError(err: FastifyErrorLike, reply: FastifyReplyLike): void {
    const status = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
    const message =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `the body is larger than the ${this.options.bodyLimit} bytes allowed (option 'bodyLimit')`
        : status === 500
          ? 'internal error'
          : err.message;
    if (status === 500) this.logger.error(`webhook route failed: ${err.message}`);
    const out = rejection(status, message);
    reply.code(out.status).header('content-type', JSON_CONTENT_TYPE).send(out.body);
  }
}
