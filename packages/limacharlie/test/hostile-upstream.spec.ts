import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  LcApiError,
  LcAuthError,
  LimaCharlieClient,
  type LimaCharlieClientOptions,
} from '../src/index.js';
import { newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const OID = '6c7b1b4a-6f36-4c1e-9d1e-2f6c0d1a9b10';
const JWT = 'secret-token-value';
const LIMIT = 64 * 1024;
/** Far above LIMIT, far below what an unbounded read of an endless stream would reach. */
const WRITTEN_BOUND = 48 * 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Sink {
  readonly destroyed: boolean;
  write(chunk: Buffer | string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  end(): unknown;
}

/** A raw HTTP server on loopback that answers every call with `handler`, and says what it sent. */
class RawUpstream {
  handler: Handler = (_req, res) => res.end('{}');
  /** Bytes `pour` wrote since the last reset. */
  written = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((req, res) => {
      this.track(req.socket);
      this.handler(req, res);
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Only sockets that carried a request: fetch may open a spare one it never uses. */
  private track(socket: Socket): void {
    if (this.sockets.has(socket)) return;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  start(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  reset(): void {
    for (const socket of this.sockets) socket.destroy();
    this.written = 0;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Writes `chunk` over and over, at the pace the client reads, until `total` or the socket closes. */
  pour(res: Sink, chunk: Buffer, total: number): void {
    const pump = (): void => {
      while (!res.destroyed && this.written < total) {
        this.written += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }

  client(options: Partial<LimaCharlieClientOptions> = {}): LimaCharlieClient {
    return new LimaCharlieClient({
      oid: OID,
      jwt: JWT,
      apiUrl: this.url,
      maxResponseBytes: LIMIT,
      backoff: { baseMs: 1, maxMs: 5 },
      ...options,
    });
  }

  /** Resolves once every connection that carried a request has been closed. */
  async allClosed(): Promise<void> {
    while (this.sockets.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A JSON array of tiny objects, `size` bytes long once `[`/`]` are added. */
function jsonFiller(size: number): Buffer {
  return Buffer.from(`{"a":1},`.repeat(Math.ceil(size / 8)));
}

describe('LimaCharlieClient against a hostile or broken upstream', () => {
  const upstream = new RawUpstream();
  beforeAll(() => upstream.start());
  afterAll(() => upstream.stop());
  beforeEach(() => upstream.reset());

  describe('answer size', () => {
    it('fails a 2xx whose Content-Length is over maxResponseBytes without reading it', async () => {
      const size = 2 * WRITTEN_BOUND;
      let requests = 0;
      upstream.handler = (_req, res) => {
        requests++;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': size });
        upstream.pour(res, Buffer.alloc(16 * 1024, ' '), size);
      };

      const err = await rejectionOf(upstream.client().whoAmI());

      expect(err).toBeInstanceOf(LcApiError);
      expect(err).toMatchObject({ kind: 'http', status: 200, retryable: false, body: undefined });
      expect((err as Error).message).toBe(
        `LimaCharlie API GET who answered with more than ${LIMIT} bytes: raise ` +
          'limaCharlie.maxResponseBytes (maxResponseBytes of the client) if such answers are expected',
      );
      expect(requests).toBe(1);
      await upstream.allClosed();
      expect(upstream.written).toBeLessThan(WRITTEN_BOUND);
    });

    const framings: [string, Handler][] = [
      [
        'chunked',
        (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('[');
          upstream.pour(res, jsonFiller(16 * 1024), 2 * WRITTEN_BOUND);
        },
      ],
      [
        'ended by closing the connection',
        (req) => {
          const socket = req.socket;
          socket.write(
            'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n[',
          );
          upstream.pour(socket, jsonFiller(16 * 1024), 2 * WRITTEN_BOUND);
        },
      ],
    ];

    it.each(framings)(
      'stops reading a 2xx without Content-Length (%s) at maxResponseBytes',
      async (_framing, handler) => {
        upstream.handler = handler;

        const err = await rejectionOf(upstream.client().whoAmI());

        expect(err).toBeInstanceOf(LcApiError);
        expect(err).toMatchObject({ kind: 'http', status: 200, retryable: false });
        expect((err as Error).message).toContain('limaCharlie.maxResponseBytes');
        // The client dropped the connection: the upstream stopped writing long before the end.
        await upstream.allClosed();
        expect(upstream.written).toBeLessThan(WRITTEN_BOUND);
      },
    );

    it.each([0, 1.5, Number.POSITIVE_INFINITY])('refuses maxResponseBytes %p', (value) => {
      expect(() => upstream.client({ maxResponseBytes: value })).toThrow(
        'LimaCharlie maxResponseBytes must be an integer >= 1',
      );
    });

    it('accepts an answer of exactly maxResponseBytes', async () => {
      const items = LIMIT / 2 - 1;
      const body = `[${'1,'.repeat(items - 1)}1] `;
      expect(Buffer.byteLength(body)).toBe(LIMIT);
      upstream.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      };

      await expect(upstream.client().request('GET', 'who')).resolves.toHaveLength(items);
    });

    it('keeps the status meaning of an oversized error answer: a 503 is still retried', async () => {
      const statuses: number[] = [];
      upstream.handler = (_req, res) => {
        res.writeHead(503, { 'content-type': 'text/html' });
        upstream.pour(res, Buffer.alloc(16 * 1024, 'x'), 2 * WRITTEN_BOUND);
      };

      const err = await rejectionOf(
        upstream.client({ onApiCall: (e) => statuses.push(e.status) }).whoAmI(),
      );

      expect(err).toMatchObject({ kind: 'http', status: 503, retryable: true });
      expect((err as LcApiError).body).toHaveLength(LIMIT);
      expect((err as Error).message.length).toBeLessThan(1000);
      expect(statuses).toEqual([503, 503, 503]);
      await upstream.allClosed();
    });
  });

  describe('slow answers', () => {
    /** Headers at once, then one byte of a JSON body every 20 ms, never finishing. */
    function dribble(): () => number {
      let calls = 0;
      upstream.handler = (_req, res) => {
        calls++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[');
        const timer = setInterval(() => res.write('1,'), 20);
        res.on('close', () => clearInterval(timer));
      };
      return () => calls;
    }

    it('times a dribbled body out with the per-call timeout, then retries it', async () => {
      const calls = dribble();
      const started = Date.now();

      const err = await rejectionOf(upstream.client({ timeoutMs: 200, maxAttempts: 2 }).whoAmI());

      expect(err).toBeInstanceOf(LcApiError);
      expect(err).toMatchObject({ kind: 'timeout', status: 0, retryable: true });
      expect((err as Error).message).toBe('LimaCharlie API GET who timed out after 200 ms');
      expect(calls()).toBe(2);
      expect(Date.now() - started).toBeLessThan(10_000);
      await upstream.allClosed();
    });

    it('aborts a dribbled body at the deadline, however long the per-call timeout', async () => {
      const calls = dribble();
      const started = Date.now();

      const err = await rejectionOf(
        upstream.client({ timeoutMs: 60_000, signal: AbortSignal.timeout(200) }).whoAmI(),
      );

      expect(err).toMatchObject({ kind: 'deadline', status: 0 });
      expect(calls()).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      await upstream.allClosed();
    });
  });

  describe('error text', () => {
    const fake = useFakeLimaCharlie();

    it('names the permission of a 401 without blocking on a 200 KB crafted error', async () => {
      const { lc } = newOrgClient(fake());
      // Dotted words with no "permission" after them: backtracking patterns go quadratic on it.
      const crafted = 'a.'.repeat(100 * 1024);
      fake().failNext({ path: 'who', status: 401, body: { error: crafted } });
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();

      const err = await rejectionOf(lc.whoAmI());

      delay.disable();
      // Before the bounded patterns: over a minute on one synchronous regex search.
      expect(delay.max / 1e6).toBeLessThan(1000);
      expect(err).toBeInstanceOf(LcAuthError);
      expect(err).toMatchObject({ status: 401, retryable: false, permission: undefined });
      expect((err as Error).message.length).toBeLessThan(1000);
    });

    it('still names a permission the API puts in a long error', async () => {
      const { lc } = newOrgClient(fake());
      const error = `unauthorized: missing permission sensor.task ${'(details) '.repeat(5000)}`;
      fake().failNext({ path: 'who', status: 401, body: { error } });

      await expect(lc.whoAmI()).rejects.toMatchObject({ permission: 'sensor.task' });
    });
  });
});
