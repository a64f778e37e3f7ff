import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Commands that install from npm: served from the cache the repository's `npm ci` warmed, and
 * bounded so that an unreachable registry fails the test with a message instead of hanging it.
 */
export const NPM_ENV = {
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_fetch_retries: '1',
  npm_config_fetch_timeout: '20000',
};

export interface Run {
  code: number;
  output: string;
}

export function sh(
  file: string,
  args: string[],
  cwd: string,
  env = {},
  timeout = 120_000,
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { cwd, env: { ...process.env, ...NPM_ENV, ...env }, timeout, maxBuffer: 1 << 26 },
      (error, stdout, stderr) =>
        done({
          code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          output: `${stdout}${stderr}`,
        }),
    );
  });
}

export function expectSuccess(run: Run, what: string): void {
  if (run.code !== 0)
    throw new Error(`${what} failed (exit ${run.code}):\n${run.output.slice(-4000)}`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** A long-running command in its own process group, so stopping it stops npm's children too. */
export function start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...NPM_ENV, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const waitFor = (text: string, timeoutMs: number) =>
    new Promise<void>((done, fail) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        if (output.includes(text)) done();
        else if (child.exitCode !== null || Date.now() > deadline)
          fail(new Error(`'${command} ${args.join(' ')}' never printed '${text}':\n${output}`));
        else setTimeout(check, 100);
      };
      check();
    });
  return { child, waitFor, output: () => output };
}

export function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.pid === undefined) {
    return Promise.resolve();
  }
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  process.kill(-child.pid, 'SIGTERM');
  return exited;
}
