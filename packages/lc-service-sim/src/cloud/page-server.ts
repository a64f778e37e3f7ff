import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isRecord } from '../is-record.js';
import { PAGE_CSS, PAGE_HTML } from './page-html.js';

/** Sends an extension request the page asked for; answers with an HTTP status and JSON. */
export type PageRequestHandler = (
  action: string,
  params: Record<string, unknown>,
) => Promise<{ status: number; body: Record<string, unknown> }>;

const MAX_REQUEST_BYTES = 64 * 1024;

/**
 * The package build compiles page/page-script.ts for the browser into dist/page. This module runs
 * from src/cloud (tests) and dist/cloud (built), both two levels below the package root.
 */
const PAGE_SCRIPT_FILE = fileURLToPath(new URL('../../dist/page/page-script.js', import.meta.url));

/**
 * No inline script or style, no other origin: even if service-provided text reached the DOM as
 * markup (the page only ever sets textContent), nothing in it could run or load.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

type Assets = Record<string, { type: string; body: string }>;

async function loadAssets(): Promise<Assets> {
  const script = await readFile(PAGE_SCRIPT_FILE, 'utf8').catch((err: unknown) => {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `the page script ${PAGE_SCRIPT_FILE} cannot be read (${reason}): build lc-service-sim with 'npm run build'`,
    );
  });
  return {
    '/': { type: 'text/html; charset=utf-8', body: PAGE_HTML },
    '/app.js': { type: 'text/javascript; charset=utf-8', body: script },
    '/app.css': { type: 'text/css; charset=utf-8', body: PAGE_CSS },
  };
}

/**
 * The emulator's web page on loopback: three assets read at start, a JSON state endpoint, and
 * for an extension run the endpoint the page sends requests through.
 */
export class PageServer {
  private server: Server | undefined;
  private port = 0;
  private assets: Assets = {};

  constructor(
    private readonly state: (since: number) => unknown,
    private readonly onRequest: PageRequestHandler,
  ) {}

  async start(port: number): Promise<void> {
    this.assets = await loadAssets();
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  get url(): string {
    if (this.server === undefined) throw new Error('the page server is not started');
    return `http://127.0.0.1:${this.port}/`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // Only loopback names: a page on another site cannot rebind its DNS name to read this one.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${this.port}` && host !== `localhost:${this.port}`) {
      return this.reply(res, 421, 'text/plain; charset=utf-8', 'unexpected Host header\n');
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (req.method === 'POST' && url.pathname === '/api/request') {
      return void this.pageRequest(req, res, host);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return this.reply(res, 405, 'text/plain; charset=utf-8', 'GET only\n');
    }
    if (url.pathname === '/api/state') {
      const since = Number(url.searchParams.get('since') ?? '0');
      const body = JSON.stringify(this.state(Number.isInteger(since) && since > 0 ? since : 0));
      return this.reply(res, 200, 'application/json; charset=utf-8', body);
    }
    if (url.pathname === '/favicon.ico') return this.reply(res, 204, 'image/x-icon', '');
    const asset = Object.hasOwn(this.assets, url.pathname) ? this.assets[url.pathname] : undefined;
    if (asset === undefined)
      return this.reply(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    this.reply(res, 200, asset.type, asset.body);
  }

  /**
   * `POST /api/request` `{action, params}` from the page itself only: its Origin must be this
   * page and the body JSON, which a form or a page on another site cannot send without a
   * preflight this server never answers.
   */
  private async pageRequest(
    req: IncomingMessage,
    res: ServerResponse,
    host: string,
  ): Promise<void> {
    const json = 'application/json; charset=utf-8';
    const fail = (status: number, error: string) =>
      this.reply(res, status, json, JSON.stringify({ error }));
    if (req.headers.origin !== `http://${host}`) {
      req.resume();
      return fail(403, 'requests are accepted from this page only');
    }
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      req.resume();
      return fail(415, 'the body must be application/json');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_REQUEST_BYTES)
          return fail(413, `the body is over ${MAX_REQUEST_BYTES} bytes`);
        chunks.push(chunk as Buffer);
      }
    } catch {
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return fail(400, 'the body is not JSON');
    }
    if (!isRecord(body) || typeof body.action !== 'string' || !isRecord(body.params ?? {})) {
      return fail(400, 'expected {"action": string, "params": object}');
    }
    try {
      const result = await this.onRequest(
        body.action,
        (body.params ?? {}) as Record<string, unknown>,
      );
      this.reply(res, result.status, json, JSON.stringify(result.body));
    } catch (err) {
      fail(500, err instanceof Error ? err.message : String(err));
    }
  }

  private reply(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type });
    res.end(body);
  }
}
