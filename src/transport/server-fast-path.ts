import type { IncomingMessage, ServerResponse } from 'node:http';
import { LcConfigError } from '../options/lc-config-error.js';

type RequestListener = (this: unknown, req: IncomingMessage, res: ServerResponse) => void;

/** The slice of a Node HTTP(S) server the fast path uses. */
export interface NodeServerLike {
  listeners(event: 'request'): ((...args: never[]) => unknown)[];
  off(event: 'request', listener: RequestListener): unknown;
  on(event: 'request', listener: RequestListener): unknown;
}

const QUESTION_MARK = 0x3f;

/**
 * Exactly `path`, with or without a query string: what LimaCharlie posts to. Other spellings the
 * framework also routes there (a trailing slash or other case on Express, percent-encoding on
 * Fastify) reach its route, and are answered by the same dispatcher.
 */
function isWebhookUrl(url: string | undefined, path: string): boolean {
  if (url === undefined || !url.startsWith(path)) return false;
  return url.length === path.length || url.charCodeAt(path.length) === QUESTION_MARK;
}

/**
 * Answers POSTs to the webhook path from the server's own `request` listener, in front of the
 * framework's: a Fastify route costs its router, request and reply objects and every `onRequest`
 * hook Nest and plugins add, about as much as the module's whole dispatch of a small call. The
 * framework still gets every other request, and keeps its own webhook route for callers that do
 * not go through the server (Fastify `inject()`, supertest on the Express app).
 */
export function serveAheadOfFramework(
  server: NodeServerLike,
  path: string,
  webhook: (req: IncomingMessage, res: ServerResponse) => void,
  moduleName: string,
): void {
  const framework = server.listeners('request') as RequestListener[];
  if (framework.length === 0) {
    throw new LcConfigError(
      `${moduleName}: option 'fastPath' needs the HTTP server's request listener, and this server has none yet. ` +
        'Set fastPath: false to serve the webhook through the framework route only.',
    );
  }
  for (const listener of framework) server.off('request', listener);
  server.on('request', function lcWebhookFirst(req, res) {
    if (req.method === 'POST' && isWebhookUrl(req.url, path)) webhook(req, res);
    else for (const listener of framework) listener.call(this, req, res);
  });
}
