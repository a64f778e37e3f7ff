import type { IncomingMessage, ServerResponse } from 'node:http';
import { LcConfigError } from '../options/lc-config-error.js';

export type ExpressHandler = (req: IncomingMessage, res: ServerResponse) => void;

interface ExpressLayerLike {
  handle?: { name?: string };
}

/** The slice of an Express 5 application the module uses, so it needs no express types. */
export interface ExpressAppLike {
  router?: { stack?: ExpressLayerLike[] };
  get(path: string, handler: ExpressHandler): unknown;
  post(path: string, handler: ExpressHandler): unknown;
}

/** Function names of body-parser's middlewares (Nest's ExpressAdapter looks for them the same way). */
const BODY_PARSERS = new Set(['jsonParser', 'urlencodedParser', 'rawParser', 'textParser']);

/**
 * Adds a route ahead of every body parser. Nest's ExpressAdapter registers `express.json()` in
 * `app.init()`, before module init hooks run: a route appended after it would get a body already
 * parsed and its bytes gone, and the signature is over those bytes. Moving the route's layer in
 * front of the first parser keeps the middlewares the app registered before Nest's parsers (CORS,
 * security headers...) ahead of it, as they would be for any route.
 */
export function insertExpressRoute(
  app: ExpressAppLike,
  method: 'get' | 'post',
  path: string,
  handler: ExpressHandler,
  moduleName: string,
): void {
  app[method](path, handler);
  const stack = app.router?.stack;
  if (!Array.isArray(stack) || stack.length === 0) {
    throw new LcConfigError(
      `${moduleName}: the Express application has no router stack (Express 5 is required, as @nestjs/platform-express 12 ships).`,
    );
  }
  const layer = stack.pop()!;
  const firstParser = stack.findIndex((l) => BODY_PARSERS.has(l.handle?.name ?? ''));
  stack.splice(firstParser === -1 ? stack.length : firstParser, 0, layer);
}
