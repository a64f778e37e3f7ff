import type { Socket } from 'node:net';
import type { LcBodyLimits } from './raw-body.js';

/** Node's own default: what `keepAliveTimeout: 0` (never close) is replaced with. */
const KEEP_ALIVE_TIMEOUT_MS = 5000;

/** The slice of a Node HTTP(S) server whose limits the module sets (HTTP/2 servers lack them). */
export interface ServerWithLimits {
  headersTimeout?: number;
  requestTimeout?: number;
  keepAliveTimeout?: number;
  on(event: 'connection', listener: (socket: Socket) => void): unknown;
}

function closeIfSilent(socket: Socket): void {
  if (socket.bytesRead === 0) socket.destroy();
}

/**
 * Bounds what a client that never finishes can hold on the server, on every route: the headers
 * (`headersTimeoutMs`), the whole request on routes other than the webhook when the server has no
 * limit of its own (Fastify's default: none), keep-alive sockets left idle, and connections that
 * never send a byte, which Node's own timeouts do not cover. The webhook's body has its own timer.
 */
export function limitServer(
  server: ServerWithLimits,
  limits: Pick<LcBodyLimits, 'bodyTimeoutMs'> & { headersTimeoutMs: number },
): void {
  const { headersTimeoutMs, bodyTimeoutMs } = limits;
  if (typeof server.headersTimeout === 'number') server.headersTimeout = headersTimeoutMs;
  // Later than the webhook's own timer, whose answer is the protocol's JSON rather than Node's.
  if (server.requestTimeout === 0) server.requestTimeout = headersTimeoutMs + bodyTimeoutMs;
  if (server.keepAliveTimeout === 0) server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.on('connection', (socket) => {
    const timer = setTimeout(closeIfSilent, headersTimeoutMs, socket).unref();
    socket.once('close', () => clearTimeout(timer));
  });
}
