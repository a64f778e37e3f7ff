import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { signBody } from 'nestjs-lc-service';
import { describeOrSkip } from '../helpers/skip.js';
import { post, rawExchange, requestHead } from './http-send.js';
import { LOAD_SECRET, startLoadApp, type LoadApp } from './load-app/launch.js';

const MIB = 1024 * 1024;
/**
 * The attack (30 connections each declaring 50 MiB and sending all but the last byte,
 * against a 512 MiB replica) scaled down to keep the suite fast: 8 MiB bodies and a 20 MiB
 * allowance, the default's 2.5 bodies of room. Unbounded, the 30 bodies are 240 MiB; bounded, two
 * are read and the others refused, and a small call still fits.
 */
const BODY = 8 * MIB;
const ATTACKERS = 30;
const LIMITS = {
  bodyLimit: BODY,
  maxPendingBodyBytes: 2.5 * BODY,
  bodyTimeoutMs: 1500,
  headersTimeoutMs: 1000,
};
/** RSS the app may gain while the attack lasts: the allowance plus generous slack. */
const RSS_GROWTH_LIMIT = 100 * MIB;

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}

function signedHealth(): { headers: Record<string, string>; body: Buffer } {
  const body = Buffer.from(
    JSON.stringify({
      version: 1,
      etype: 'health',
      oid: '8cbe27f4-bfa1-4afb-ba19-138cd51389cd',
      jwt: 'load-jwt',
      deadline: Date.now() / 1000 + 60,
      data: {},
    }),
  );
  return {
    body,
    headers: { 'content-type': 'application/json', 'lc-svc-sig': signBody(LOAD_SECRET, body) },
  };
}

/** A connection that declares `BODY` bytes, sends all but the last one, and holds. */
function holdBody(port: number, filler: Buffer): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(requestHead({ 'content-length': String(BODY), 'lc-svc-sig': '0'.repeat(64) }));
  socket.write(filler);
  return socket;
}

const onLinux = describeOrSkip(
  process.platform === 'linux'
    ? undefined
    : 'reads RSS from /proc/<pid>/status, which only Linux has',
);

for (const adapter of ['fastify', 'express']) {
  onLinux(`bodies not yet verified, on a real process (${adapter})`, () => {
    let app: LoadApp;
    let port: number;

    beforeAll(async () => {
      app = await startLoadApp(adapter, LIMITS);
      port = Number(new URL(app.url).port);
    });
    afterAll(async () => {
      app.child.kill('SIGKILL');
      await app.exited;
    });

    it('keeps 30 held bodies within maxPendingBodyBytes and still answers a signed health', async () => {
      const before = rssOf(app.child.pid!);
      const filler = Buffer.alloc(BODY - 1, 'x');
      const sockets = Array.from({ length: ATTACKERS }, () => holdBody(port, filler));
      let peak = before;
      const sample = setInterval(() => (peak = Math.max(peak, rssOf(app.child.pid!))), 50);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const agent = new Agent({ keepAlive: false });
        const health = signedHealth();
        const sent = Date.now();
        const answer = await post(agent, app.url, health.headers, health.body, 10_000);
        const took = Date.now() - sent;
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body)).toMatchObject({ success: true });
        // Starved, the call waits for its own body timeout (1.5 s) and more; a busy machine adds less.
        expect(took).toBeLessThan(5000);
      } finally {
        clearInterval(sample);
        for (const socket of sockets) socket.destroy();
      }
      expect(peak - before).toBeLessThan(RSS_GROWTH_LIMIT);
    }, 30_000);

    it('cuts a dribbled body with 408 and closes the connection', async () => {
      const body = signedHealth().body;
      const head = requestHead({
        'content-length': String(body.length),
        'lc-svc-sig': '0'.repeat(64),
      });
      const bytes = Array.from({ length: body.length }, (_, i) => body.subarray(i, i + 1));
      const started = Date.now();
      const x = await rawExchange(port, [head, ...bytes], { gapMs: 100, waitMs: 15_000 });
      expect(x.status).toBe(408);
      expect(x.text).toMatch(/\r\nconnection: close\r\n/i);
      expect(JSON.parse(x.text.slice(x.text.indexOf('\r\n\r\n') + 4))).toMatchObject({
        success: false,
        retry: true,
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    }, 20_000);

    it('closes a connection that never sends a byte', async () => {
      const x = await rawExchange(port, [], { waitMs: 15_000 });
      expect(x.closedByServer).toBe(true);
      expect(x.text).toBe('');
    }, 20_000);
  });
}
