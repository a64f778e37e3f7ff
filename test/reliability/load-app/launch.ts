import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { signBody, type LcServiceModuleOptions } from 'nestjs-lc-service';
import { distFile } from '../../helpers/dist.js';

export const LOAD_SECRET = 'load-secret';

export interface LoadApp {
  child: ChildProcess;
  url: string;
  /** Ids whose handler started, and ended, as the app reported them. */
  started: Set<number>;
  ended: Set<number>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The value of the next `EVENT <name> <value>` line. */
  next(name: string): Promise<string>;
}

/**
 * Starts the compiled load app (npm test's pretest builds it) with these module options (JSON
 * ones) and follows its EVENT lines.
 */
export async function startLoadApp(
  adapter: string,
  options: Partial<LcServiceModuleOptions> = {},
): Promise<LoadApp> {
  const child = spawn(process.execPath, [distFile('test/reliability/load-app/main.js')], {
    env: {
      ...process.env,
      ADAPTER: adapter,
      LC_SHARED_SECRET: LOAD_SECRET,
      LC_LOAD_OPTIONS: JSON.stringify(options),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = new Set<number>();
  const ended = new Set<number>();
  const waiting = new Map<string, (value: string) => void>();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const [tag, name, value] = line.split(' ');
    if (tag !== 'EVENT') return;
    if (name === 'start') started.add(Number(value));
    else if (name === 'end') ended.add(Number(value));
    waiting.get(name)?.(value);
    waiting.delete(name);
  });
  const next = (name: string): Promise<string> =>
    new Promise((resolve, reject) => {
      waiting.set(name, resolve);
      void exited.then(() => reject(new Error(`the load app exited before '${name}': ${stderr}`)));
    });
  const url = await next('listening');
  return { child, url, started, ended, exited, next };
}

/** A signed `request` the app answers after `ms`, echoing `id`. */
export function signedWork(
  id: number,
  ms: number,
  deadline = Date.now() / 1000 + 60,
): { headers: Record<string, string>; body: Buffer } {
  const body = Buffer.from(
    JSON.stringify({
      version: 1,
      etype: 'request',
      oid: '8cbe27f4-bfa1-4afb-ba19-138cd51389cd',
      jwt: 'load-jwt',
      deadline,
      data: { id, ms },
    }),
  );
  return {
    body,
    headers: { 'content-type': 'application/json', 'lc-svc-sig': signBody(LOAD_SECRET, body) },
  };
}
