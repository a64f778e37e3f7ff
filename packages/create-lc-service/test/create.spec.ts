import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../../test/helpers/dist.js';

const BIN = join(ROOT, 'packages/create-lc-service/bin/create-lc-service.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command as a user runs it, without the environment of this test run. */
function create(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

async function tarballs(names: string[]): Promise<string> {
  const dir = await mkdtemp(join(work, 'tarballs-'));
  for (const name of names) await writeFile(join(dir, name), '');
  return dir;
}

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'create-lc-service-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('create-lc-service', () => {
  it('writes a service app: ES module, NodeNext, the preset, scripts, and its name everywhere', async () => {
    const run = await create(['hash-checker', '--skip-install'], work);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('npm install');
    const dir = join(work, 'hash-checker');
    expect(await files(dir)).toEqual([
      '.gitignore',
      'README.md',
      'jest.config.js',
      'package.json',
      'src/app.module.ts',
      'src/detections.ts',
      'src/lookup.dto.ts',
      'src/main.ts',
      'src/secret.ts',
      'test/detections.spec.ts',
      'tsconfig.build.json',
      'tsconfig.json',
    ]);
    const manifest = await readJson(join(dir, 'package.json'));
    expect(manifest).toMatchObject({
      name: 'hash-checker',
      type: 'module',
      scripts: {
        build: 'tsc -p tsconfig.build.json',
        test: 'tsc --noEmit && NODE_OPTIONS=--experimental-vm-modules jest',
      },
      dependencies: { 'nestjs-lc-service': '^0.1.0' },
      devDependencies: { 'lc-service-sim': '^0.1.0' },
    });
    expect(manifest.devDependencies.typescript).toMatch(/^5\.\d+\.\d+$/);
    expect(manifest.dependencies['@nestjs-lc-service/limacharlie']).toBeUndefined();
    const tsconfig = await readJson(join(dir, 'tsconfig.json'));
    expect(tsconfig.compilerOptions).toMatchObject({
      module: 'NodeNext',
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      isolatedModules: true,
    });
    expect(await readFile(join(dir, 'jest.config.js'), 'utf8')).toContain(
      "preset: 'nestjs-lc-service'",
    );
    for (const file of await files(dir)) {
      expect(await readFile(join(dir, file), 'utf8')).not.toContain('__SERVICE_NAME__');
    }
    expect(await readFile(join(dir, 'src/app.module.ts'), 'utf8')).toContain(
      "serviceName: 'hash-checker'",
    );
  });

  it('--extension writes an LcExtensionModule app with a config DTO and an action', async () => {
    const run = await create(['ext-tagger', '--extension', '--skip-install'], work);

    expect(run.code).toBe(0);
    const dir = join(work, 'ext-tagger');
    expect(await files(dir)).toEqual(
      expect.arrayContaining(['src/config.dto.ts', 'src/tagger.ts', 'test/tagger.spec.ts']),
    );
    expect(existsSync(join(dir, 'src/detections.ts'))).toBe(false);
    const appModule = await readFile(join(dir, 'src/app.module.ts'), 'utf8');
    expect(appModule).toContain('LcExtensionModule.forRoot');
    expect(appModule).toContain("name: 'ext-tagger'");
  });

  it('--from points the packages of this repository at their tarballs', async () => {
    const from = await tarballs([
      'nestjs-lc-service-0.1.0.tgz',
      'nestjs-lc-service-limacharlie-0.1.0.tgz',
      'lc-service-sim-0.1.0.tgz',
      'unrelated-1.0.0.tgz',
    ]);

    const run = await create(['local-app', '--from', from, '--skip-install'], work);

    expect(run.code).toBe(0);
    const manifest = await readJson(join(work, 'local-app', 'package.json'));
    expect(manifest.dependencies).toMatchObject({
      'nestjs-lc-service': `file:${join(from, 'nestjs-lc-service-0.1.0.tgz')}`,
      '@nestjs-lc-service/limacharlie': `file:${join(from, 'nestjs-lc-service-limacharlie-0.1.0.tgz')}`,
    });
    expect(manifest.devDependencies['lc-service-sim']).toBe(
      `file:${join(from, 'lc-service-sim-0.1.0.tgz')}`,
    );
  });

  it('CREATE_LC_SERVICE_FROM is the default of --from; a missing tarball is named, nothing written', async () => {
    const from = await tarballs(['nestjs-lc-service-0.1.0.tgz', 'lc-service-sim-0.1.0.tgz']);

    const run = await create(['partial'], work, { CREATE_LC_SERVICE_FROM: from });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `--from ${from}: expected one tarball of @nestjs-lc-service/limacharlie`,
    );
    expect(run.stderr).toContain('npm pack');
    expect(existsSync(join(work, 'partial'))).toBe(false);
  });

  it('refuses a non-empty directory, a bad name, and a missing directory argument', async () => {
    await mkdir(join(work, 'taken'));
    await writeFile(join(work, 'taken', 'keep.txt'), 'mine');

    const taken = await create(['taken', '--skip-install'], work);
    const badName = await create(['My Service', '--skip-install'], work);
    const none = await create([], work);
    const unknown = await create(['x', '--frmo', 'y'], work);

    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('is not empty: choose a new directory');
    expect(await readdir(join(work, 'taken'))).toEqual(['keep.txt']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain("'My Service' is not a valid package name");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('expected one directory');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--frmo'");
    expect((await create(['--help'], work)).stdout).toContain('--extension');
  });

  it('depends on the versions this repository tests with', async () => {
    const versions = join(ROOT, 'packages/create-lc-service/lib/versions.js');
    const { DEPENDENCIES, DEV_DEPENDENCIES } = (await import(versions)) as Record<
      string,
      Record<string, string>
    >;
    const root = await readJson(join(ROOT, 'package.json'));
    const tested = { ...root.dependencies, ...root.devDependencies };

    for (const [name, range] of Object.entries({ ...DEPENDENCIES, ...DEV_DEPENDENCIES })) {
      const installed = (await readJson(join(ROOT, 'node_modules', name, 'package.json'))).version;
      if (name === 'typescript') expect(range).toBe(installed);
      else expect([name, range]).toEqual([name, `^${installed}`]);
      if (name in tested && name !== 'typescript')
        expect([name, range]).toEqual([name, tested[name]]);
    }
  });
});
