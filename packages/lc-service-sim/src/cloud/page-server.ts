import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PAGE_CSS, PAGE_HTML } from './page-html.js';

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

/** The emulator's web page on loopback: three assets read at start and a JSON state endpoint. */
export class PageServer {
  private server: Server | undefined;
  private port = 0;
  private assets: Assets = {};

  constructor(private readonly state: (since: number) => unknown) {}

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
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return this.reply(res, 405, 'text/plain; charset=utf-8', 'GET only\n');
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
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

  private reply(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type });
    res.end(body);
  }
}
