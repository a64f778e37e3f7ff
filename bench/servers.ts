import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { SignedCall } from './payloads.js';

/** USER_HZ, the unit of CPU times in /proc: 100 on mainstream Linux kernels. */
const CLOCK_TICKS = 100;

/**
 * The sample app, bare node:http, and for reference (BENCH_REFERENCE=1) a Nest + Fastify route
 * without the module and the sample app with each hot-path option at its other setting.
 */
export type ServerKind =
  'module' | 'baseline' | 'nest-fastify' | 'module-framework-route' | 'module-async-context';

export interface RunningServer {
  kind: ServerKind;
  url: string;
  child: ChildProcess;
}

const SAMPLE_APP = fileURLToPath(new URL('../sample-app/main.js', import.meta.url));

const ENTRY: Record<ServerKind, string> = {
  module: SAMPLE_APP,
  baseline: fileURLToPath(new URL('./baseline-server.js', import.meta.url)),
  'nest-fastify': fileURLToPath(new URL('./nest-fastify-server.js', import.meta.url)),
  'module-framework-route': SAMPLE_APP,
  'module-async-context': SAMPLE_APP,
};

/** What each kind adds to the production environment (the sample app reads these). */
const KIND_ENV: Partial<Record<ServerKind, Record<string, string>>> = {
  'module-framework-route': { LC_FAST_PATH: '0' },
  'module-async-context': { LC_ASYNC_CONTEXT: '1' },
};

/** A port free right now; the server is started on it just after. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The kinds that run the sample app, and so can run its extension sample instead. */
export const SAMPLE_KINDS: readonly ServerKind[] = [
  'module',
  'module-framework-route',
  'module-async-context',
];

/**
 * Production settings: NODE_ENV=production, no traceComms, the API pointed at a closed port.
 * `sample: 'extension'` runs the sample app's extension (`main.js extension`) in a sample kind.
 */
export function spawnServer(
  kind: ServerKind,
  port: number,
  secret: string,
  nodeArgs: string[] = [],
  sample?: 'extension',
): RunningServer {
  const args = sample !== undefined && SAMPLE_KINDS.includes(kind) ? [sample] : [];
  const child = spawn(process.execPath, [...nodeArgs, ENTRY[kind], ...args], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      LC_SHARED_SECRET: secret,
      LC_EXT_SECRET: secret,
      LC_API_URL: 'http://127.0.0.1:9',
      LC_TRACE_COMMS: '0',
      ...KIND_ENV[kind],
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') {
      process.stderr.write(`${kind} server exited (${code ?? signal}):\n${stderr}\n`);
    }
  });
  return { kind, url: `http://127.0.0.1:${port}/`, child };
}

/** One POST; resolves with the status, or 0 when the connection failed. */
export function post(url: string, call: SignedCall): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: call.headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(call.body);
  });
}

/** Polls with a signed call until it is answered 200. */
export async function waitReady(
  server: RunningServer,
  probe: SignedCall,
  timeoutMs = 20_000,
  intervalMs = 5,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.child.exitCode !== null) throw new Error(`${server.kind} server exited at start`);
    if ((await post(server.url, probe)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${server.kind} server did not answer within ${timeoutMs} ms`);
}

export function stopServer(server: RunningServer): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    server.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.child.kill('SIGTERM');
  });
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) the process has used so far, in milliseconds (Linux). */
export function cpuMs(server: RunningServer): number | undefined {
  try {
    const stat = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Resident set size now, in bytes (Linux; undefined elsewhere). */
export function rss(server: RunningServer): number | undefined {
  return server.child.pid === undefined ? undefined : statusField(server.child.pid, 'VmRSS');
}

/** Peak resident set size since the last `resetPeakRss`, in bytes (Linux; undefined elsewhere). */
export function peakRss(server: RunningServer): number | undefined {
  return server.child.pid === undefined ? undefined : statusField(server.child.pid, 'VmHWM');
}

/** Writing 5 to clear_refs resets the kernel's peak RSS mark to the current RSS. */
export function resetPeakRss(server: RunningServer): void {
  if (server.child.pid === undefined) return;
  try {
    writeFileSync(`/proc/${server.child.pid}/clear_refs`, '5');
  } catch {
    // Not Linux, or not allowed: the peak then covers the process's whole life.
  }
}
