// SLOW (about two minutes, most of it `npm install` from npm's cache): docs/getting-started.md,
// step by step, from empty folders to a green `npm test` and a running service that answers a
// signed `health`.
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distFile, ROOT } from '../helpers/dist.js';
import { expectSuccess, freePort, sh, start, stop } from '../helpers/processes.js';

const CREATE = join(ROOT, 'packages/create-lc-service/bin/create-lc-service.js');

describe('docs/getting-started.md, followed literally (slow)', () => {
  let work: string;
  let app: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    distFile('src/index.js');
    distFile('index.js', 'packages/limacharlie');
    distFile('main.js', 'packages/lc-service-sim');
    work = await mkdtemp(join(tmpdir(), 'lc-getting-started-'));
    app = join(work, 'hash-checker');
  });
  afterAll(async () => {
    await stop(server);
    await rm(work, { recursive: true, force: true });
  });

  it('scaffolds from the tarballs, installs, passes its tests and answers a signed health', async () => {
    // "Until the packages are on npm": their tarballs, then the scaffold pointed at them.
    const tarballs = join(work, 'lc-tarballs');
    await mkdir(tarballs);
    expectSuccess(
      await sh(
        'npm',
        [
          'pack',
          '--ignore-scripts',
          '--pack-destination',
          tarballs,
          '--workspace',
          '@nestjs-lc-service/limacharlie',
          '--workspace',
          'lc-service-sim',
          '--include-workspace-root',
        ],
        ROOT,
      ),
      'npm pack',
    );
    expect((await readdir(tarballs)).sort()).toEqual([
      'lc-service-sim-0.1.0.tgz',
      'nestjs-lc-service-0.1.0.tgz',
      'nestjs-lc-service-limacharlie-0.1.0.tgz',
    ]);
    const created = await sh(process.execPath, [CREATE, 'hash-checker', '--from', tarballs], work);
    if (created.code !== 0) {
      throw new Error(
        `the scaffold's npm install failed: is the npm registry reachable, or npm's cache warm from the repository's 'npm ci'?\n${created.output.slice(-4000)}`,
      );
    }

    const tested = await sh('npm', ['test'], app);
    expectSuccess(tested, 'npm test in the new app');
    expect(tested.output).toMatch(/Tests:\s+3 passed, 3 total/);
    expect(tested.output).not.toContain('TS151002');

    const port = String(await freePort());
    const started = start('npm', ['start'], app, {
      LC_SHARED_SECRET: 'getting-started-secret',
      PORT: port,
      HOST: '127.0.0.1',
    });
    server = started.child;
    // Nest prints that it started before the socket listens; the boot summary's last line waits
    // for it.
    await started.waitFor('Try it:', 90_000);
    const health = await sh(
      'npx',
      [
        'lc-service-sim',
        'send',
        `http://127.0.0.1:${port}`,
        'health',
        '--secret',
        'getting-started-secret',
      ],
      app,
    );
    expectSuccess(health, 'lc-service-sim send health');
    expect(JSON.parse(health.output)).toMatchObject({
      success: true,
      data: {
        mtd: { callbacks: ['detection', 'get_resource', 'health', 'org_install', 'request'] },
      },
    });
    const forged = await sh(
      'npx',
      ['lc-service-sim', 'send', `http://127.0.0.1:${port}`, 'health', '--secret', 'wrong'],
      app,
    );
    expect(forged.code).toBe(2);
    await stop(server);

    // Without LC_SHARED_SECRET only development mode boots.
    const refused = await sh(process.execPath, ['dist/main.js'], app, { LC_SHARED_SECRET: '' });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(
      'LC_SHARED_SECRET is not set: set it to the secret registered',
    );
    const dev = start(process.execPath, ['dist/main.js', '--dev'], app, {
      LC_SHARED_SECRET: '',
      PORT: port,
      HOST: '127.0.0.1',
    });
    server = dev.child;
    await dev.waitFor('Try it:', 60_000);
    expect(dev.output()).toContain("development mode signs with 'dev-secret-change-me'");
    expectSuccess(
      await sh(
        'npx',
        [
          'lc-service-sim',
          'send',
          `http://127.0.0.1:${port}`,
          'health',
          '--secret',
          'dev-secret-change-me',
        ],
        app,
      ),
      'lc-service-sim send health to the development mode',
    );
  }, 300_000);

  it('--extension: the extension scaffold passes its own tests', async () => {
    const created = await sh(
      process.execPath,
      [CREATE, 'hash-ext', '--extension', '--skip-install'],
      work,
    );
    expectSuccess(created, 'create-lc-service --extension');
    const ext = join(work, 'hash-ext');
    // The same dependencies as the service's: its install is reused rather than repeated.
    await symlink(join(app, 'node_modules'), join(ext, 'node_modules'), 'dir');

    const tested = await sh('npm', ['test'], ext);

    expectSuccess(tested, 'npm test in the new extension');
    expect(tested.output).toMatch(/Tests:\s+2 passed, 2 total/);
  }, 180_000);
});
