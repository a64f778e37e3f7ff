import { existsSync } from 'node:fs';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { signBody } from 'nestjs-lc-service/protocol';
import { distFile, ROOT as root } from '../helpers/dist.js';

const run = promisify(execFile);

/** The versions this repository tests with, so the install is served from npm's cache. */
async function installedVersion(name: string): Promise<string> {
  const manifest = await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

const APP_TS = `
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LcHandler, LcOid, LcServiceModule, lcResponse } from 'nestjs-lc-service';
import { LcTestClient } from 'nestjs-lc-service/testing';

@Injectable()
class Handlers {
  @LcHandler('org_install')
  install(@LcOid() oid: string) {
    return lcResponse({ data: { installedIn: oid } });
  }
}

@Module({
  imports: [LcServiceModule.forRoot({ serviceName: 'fresh-app', secret: 'fresh-secret' })],
  providers: [Handlers],
})
class AppModule {}

const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
const client = new LcTestClient({ url: await app.getUrl(), secret: 'fresh-secret' });
const reply = await client.send('org_install', { oid: '11111111-2222-4333-8444-555555555555' });
console.log('REPLY ' + JSON.stringify(reply.body));
console.log('URL ' + (await app.getUrl()));
`;

describe('npm pack → a fresh Nest app installs and uses the package', () => {
  let dir: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lc-fresh-app-'));
  });
  afterAll(async () => {
    server?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('packs, installs, type-checks and answers a signed call', async () => {
    distFile('src/index.js');
    distFile('index.js', 'packages/limacharlie');
    // The client package is a dependency of the root one and is not on the registry here: pack both.
    for (const workspace of [[], ['--workspace', '@nestjs-lc-service/limacharlie']]) {
      await run(
        'npm',
        ['pack', ...workspace, '--ignore-scripts', '--pack-destination', dir, '--silent'],
        { cwd: root, maxBuffer: 1 << 24 },
      );
    }
    const tarballs = (await readdir(dir)).filter((f) => f.endsWith('.tgz'));
    const tarball = tarballs.find((f) => f.startsWith('nestjs-lc-service-0'));
    const clientTarball = tarballs.find((f) => f.startsWith('nestjs-lc-service-limacharlie-'));
    expect(tarball).toBeDefined();
    expect(clientTarball).toBeDefined();

    const deps: Record<string, string> = {
      'nestjs-lc-service': `file:./${tarball}`,
      '@nestjs-lc-service/limacharlie': `file:./${clientTarball}`,
    };
    for (const name of [
      '@nestjs/common',
      '@nestjs/core',
      '@nestjs/platform-fastify',
      'reflect-metadata',
      'rxjs',
    ]) {
      deps[name] = await installedVersion(name);
    }
    const devDeps = {
      typescript: await installedVersion('typescript'),
      '@types/node': await installedVersion('@types/node'),
    };
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'fresh-app',
        private: true,
        type: 'module',
        dependencies: deps,
        devDependencies: devDeps,
      }),
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: true,
          types: ['node'],
          outDir: 'out',
        },
        files: ['app.ts'],
      }),
    );
    await writeFile(join(dir, 'app.ts'), APP_TS);
    await run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
      ],
      {
        cwd: dir,
        maxBuffer: 1 << 24,
      },
    );
    const installed = JSON.parse(
      await readFile(join(dir, 'node_modules/nestjs-lc-service/package.json'), 'utf8'),
    ) as {
      name: string;
    };
    expect(installed.name).toBe('nestjs-lc-service');

    await run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: dir });
    // The published types stand on their own: checked with skipLibCheck off, and without the
    // optional peer prom-client, whose types must not leak into them.
    expect(existsSync(join(dir, 'node_modules/prom-client'))).toBe(false);
    await run(
      join(dir, 'node_modules/.bin/tsc'),
      ['-p', 'tsconfig.json', '--noEmit', '--skipLibCheck', 'false'],
      { cwd: dir },
    );

    server = spawn(process.execPath, ['out/app.js'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise<void>((resolveDone, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer from the fresh app:\n${out}`)),
        20_000,
      );
      const check = () => {
        if (out.includes('URL ')) {
          clearTimeout(timer);
          resolveDone();
        } else if (server!.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`the fresh app exited:\n${out}`));
        } else setTimeout(check, 50);
      };
      check();
    });
    expect(out).toContain(
      'REPLY {"success":true,"data":{"installedIn":"11111111-2222-4333-8444-555555555555"}}',
    );

    const url = /URL (\S+)/.exec(out)![1];
    const body = JSON.stringify({ etype: 'health', version: 1 });
    const unsigned = await fetch(url, { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    const health = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'lc-svc-sig': signBody('fresh-secret', body) },
    });
    expect(await health.json()).toMatchObject({
      success: true,
      data: { mtd: { callbacks: ['get_resource', 'health', 'org_install'] } },
    });
  }, 180_000);
});

/** The packed files of one package, by path inside the package. */
async function packedFiles(dir: string, workspace: string[]): Promise<Map<string, string>> {
  const { stdout } = await run(
    'npm',
    ['pack', ...workspace, '--ignore-scripts', '--pack-destination', dir, '--json'],
    { cwd: root, maxBuffer: 1 << 24 },
  );
  const [{ filename }] = JSON.parse(stdout) as { filename: string }[];
  const out = join(dir, filename.replace(/\.tgz$/, ''));
  await mkdir(out, { recursive: true });
  await run('tar', ['-xzf', join(dir, filename), '-C', out]);
  const files = new Map<string, string>();
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(join(out, 'package', at), { withFileTypes: true })) {
      const path = at === '' ? entry.name : `${at}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else files.set(path, await readFile(join(out, 'package', path), 'utf8'));
    }
  };
  await walk('');
  return files;
}

/** Every source map reference and map source that names a file the package does not ship. */
function danglingMapReferences(files: Map<string, string>): string[] {
  const dangling: string[] = [];
  const resolveIn = (from: string, ref: string) =>
    posix.normalize(posix.join(posix.dirname(from), ref));
  for (const [path, text] of files) {
    if (/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(path)) {
      for (const [, ref] of text.matchAll(/[#@] sourceMappingURL=(\S+)/g)) {
        if (ref.startsWith('data:')) continue;
        const target = resolveIn(path, ref);
        if (!files.has(target)) dangling.push(`${path} → ${target}`);
      }
    }
    if (path.endsWith('.map')) {
      const map = JSON.parse(text) as { sources?: string[]; sourceRoot?: string };
      for (const source of map.sources ?? []) {
        const target = resolveIn(path, posix.join(map.sourceRoot ?? '', source));
        if (!files.has(target)) dangling.push(`${path} → ${target}`);
      }
    }
  }
  return dangling;
}

describe('npm pack → stack traces and go-to-definition stay inside the package', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lc-pack-maps-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['nestjs-lc-service', '.', []],
    [
      '@nestjs-lc-service/limacharlie',
      'packages/limacharlie',
      ['--workspace', '@nestjs-lc-service/limacharlie'],
    ],
  ])(
    '%s ships no source map reference to a file it does not ship',
    async (_name, packageDir, workspace) => {
      distFile(packageDir === '.' ? 'src/index.js' : 'index.js', packageDir);
      const files = await packedFiles(dir, workspace);
      expect([...files.keys()].some((path) => dirname(path).startsWith('dist'))).toBe(true);
      expect(danglingMapReferences(files)).toEqual([]);
    },
    60_000,
  );
});
