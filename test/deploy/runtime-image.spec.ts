// SLOW (about half a minute, most of it `npm pack` and `npm ci` from npm's cache): deploy/Dockerfile
// run as written, without a Docker engine. Its build stage is this repository (installed and built
// by `npm test`'s pretest), so only the build stage's other RUN steps run here; the runtime stage
// runs step by step in an empty folder, then its CMD starts and answers signed calls.
import { type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { LcExtTestClient, LcTestClient } from 'nestjs-lc-service/testing';
import { distFile, ROOT } from '../helpers/dist.js';
import { expectSuccess, freePort, sh, start, stop } from '../helpers/processes.js';

interface Instruction {
  op: string;
  args: string;
}

/** The stages after each FROM, as instructions: continued lines joined, comments dropped. */
function stagesOf(dockerfile: string): Instruction[][] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (op === 'FROM') stages.push([]);
    else stages.at(-1)?.push({ op, args });
  }
  return stages;
}

interface Image {
  dir: string;
  env: Record<string, string>;
  cmd: string[];
}

/**
 * Runs the stages in `work`: the build stage's /app is the repository, its other absolute paths
 * are folders under work/build, and the image's WORKDIR is a folder under work/image.
 */
async function runStages(dockerfile: string, work: string): Promise<Image> {
  const [build, runtime] = stagesOf(dockerfile);
  const buildPath = (path: string) =>
    path === '/app' || path.startsWith('/app/')
      ? join(ROOT, path.slice('/app'.length))
      : join(work, 'build', path);
  const installHint =
    "is the npm registry reachable, or npm's cache warm from the repository's 'npm ci'?";

  for (const { op, args } of build) {
    // The repository's own install and build stand for these; its files for the COPY steps.
    if (op !== 'RUN' || args === 'npm ci' || args === 'npm run build') continue;
    const command = args
      .split(/\s+/)
      .map((word) => (word.startsWith('/') ? buildPath(word) : word))
      .join(' ');
    expectSuccess(
      await sh('sh', ['-c', command], ROOT),
      `build stage 'RUN ${args}' (${installHint})`,
    );
  }

  const image: Image = { dir: '', env: {}, cmd: [] };
  const copy = async (sources: string[], dest: string) => {
    const target = resolve(image.dir, dest);
    for (const source of sources) {
      const isFile = (await stat(source)).isFile();
      const into = isFile && (dest.endsWith('/') || dest === '.');
      const to = into ? join(target, basename(source)) : target;
      await mkdir(dirname(to), { recursive: true });
      await cp(source, to, { recursive: true });
    }
  };
  for (const { op, args } of runtime) {
    const words = args.split(/\s+/);
    if (op === 'WORKDIR') {
      image.dir = join(work, 'image', args);
      await mkdir(image.dir, { recursive: true });
    } else if (op === 'ENV') {
      for (const pair of words) {
        const [name, value] = pair.split('=');
        image.env[name] = value;
      }
    } else if (op === 'COPY' && words[0] === '--from=build') {
      await copy(words.slice(1, -1).map(buildPath), words.at(-1)!);
    } else if (op === 'COPY') {
      await copy(
        words.slice(0, -1).map((source) => join(ROOT, source)),
        words.at(-1)!,
      );
    } else if (op === 'RUN') {
      const run = await sh('sh', ['-c', args], image.dir, image.env);
      expectSuccess(run, `runtime stage 'RUN ${args}' (${installHint})`);
    } else if (op === 'CMD') {
      image.cmd = JSON.parse(args) as string[];
    } else if (op !== 'USER' && op !== 'EXPOSE') {
      throw new Error(`deploy/Dockerfile: this test does not know '${op}'; teach runStages it`);
    }
  }
  return image;
}

describe('deploy/Dockerfile, its stages run without Docker (slow)', () => {
  let work: string;
  let image: Image;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    distFile('sample-app/main.js');
    distFile('index.js', 'packages/limacharlie');
    work = await mkdtemp(join(tmpdir(), 'lc-runtime-image-'));
    image = await runStages(await readFile(join(ROOT, 'deploy/Dockerfile'), 'utf8'), work);
  }, 240_000);
  afterEach(async () => {
    await stop(server);
    server = undefined;
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function boot(env: Record<string, string>): Promise<string> {
    const port = await freePort();
    const [command, ...args] = image.cmd;
    const started = start(command, args, image.dir, {
      ...image.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    server = started.child;
    // Nest's 'successfully started' comes before the socket listens; the boot summary's
    // 'Try it' line comes once it does.
    await started.waitFor('Try it: ', 60_000);
    return `http://127.0.0.1:${port}`;
  }

  it('the service answers a signed health, its liveness probe and /metrics', async () => {
    const url = await boot({ LC_SHARED_SECRET: 'image-secret', LC_METRICS: '1' });

    const health = await new LcTestClient({ url, secret: 'image-secret' }).send('health');
    expect(health).toMatchObject({ status: 200, body: { success: true } });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('process_cpu_user_seconds_total');
  });

  it('LC_SAMPLE=extension answers a signed heartbeat', async () => {
    const url = await boot({ LC_SAMPLE: 'extension', LC_EXT_SECRET: 'image-ext-secret' });

    const heartbeat = await new LcExtTestClient({ url, secret: 'image-ext-secret' }).heartbeat();
    expect(heartbeat).toMatchObject({ status: 200, body: { error: '' } });
  });
});
