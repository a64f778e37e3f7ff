import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LcTestClient } from 'nestjs-lc-service/testing';
import { ROOT } from '../helpers/dist.js';

const run = promisify(execFile);

// `nest add` installs the package, then runs the schematics command @nestjs/cli depends on in the
// app's folder; these tests do the same. (The devkit's SchematicTestRunner cannot load in jest's
// ESM mode: the devkit require()s the ES module magic-string.)
const SCHEMATICS_BIN = [
  'node_modules/@angular-devkit/schematics-cli/bin/schematics.js',
  'node_modules/@nestjs/cli/node_modules/@angular-devkit/schematics-cli/bin/schematics.js',
]
  .map((path) => join(ROOT, path))
  .find((path) => existsSync(path));

// What `nest new` writes for Nest 12 (an ES module app: relative imports name the .js file).
const NEST_NEW_APP_MODULE = `import { Module } from '@nestjs/common';
import { AppController } from './app.controller.js';
import { AppService } from './app.service.js';

@Module({
  imports: [],
  controllers: [AppController],
  providers: [AppService],
})
export class AppModule {}
`;

const APP_SERVICE = `import { Injectable } from '@nestjs/common';

@Injectable()
export class AppService {
  getHello(): string {
    return 'Hello World!';
  }
}
`;

const APP_CONTROLLER = `import { Controller, Get } from '@nestjs/common';
import { AppService } from './app.service.js';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get()
  getHello(): string {
    return this.appService.getHello();
  }
}
`;

const NEST_NEW_APP = {
  'package.json': JSON.stringify({ name: 'my-nest-app', type: 'module' }),
  'src/app.module.ts': NEST_NEW_APP_MODULE,
  'src/app.service.ts': APP_SERVICE,
  'src/app.controller.ts': APP_CONTROLLER,
};

let dirs: string[] = [];

/** An app folder inside the repository (so its imports resolve) with this package "installed". */
async function appFolder(files: Record<string, string>): Promise<string> {
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, '.tmp', 'nest-add-'));
  dirs.push(dir);
  await mkdir(join(dir, 'node_modules'));
  await symlink(ROOT, join(dir, 'node_modules', 'nestjs-lc-service'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** `nest add nestjs-lc-service` after the install: what the Nest CLI runs. */
async function nestAdd(dir: string, sourceRoot = 'src', extra: string[] = []): Promise<string> {
  if (SCHEMATICS_BIN === undefined) {
    throw new Error(
      '@angular-devkit/schematics-cli is missing: it comes with @nestjs/cli; run npm ci',
    );
  }
  const { stdout } = await run(
    process.execPath,
    [SCHEMATICS_BIN, 'nestjs-lc-service:nest-add', `--source-root=${sourceRoot}`, ...extra],
    { cwd: dir, timeout: 60_000 },
  );
  return stdout;
}

const read = (dir: string, path: string) => readFile(join(dir, path), 'utf8');

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

describe('nest add nestjs-lc-service (the nest-add schematic)', () => {
  it('wires LcServiceModule into a `nest new` app, which then answers signed calls', async () => {
    const dir = await appFolder(NEST_NEW_APP);

    const out = await nestAdd(dir);

    expect(out).toContain('Set LC_SHARED_SECRET');
    const appModule = await read(dir, 'src/app.module.ts');
    expect(appModule).toContain("import { LcServiceModule } from 'nestjs-lc-service';");
    expect(appModule).toContain("import { LcHandlers } from './lc-handlers.js';");
    expect(appModule).toMatch(/imports: \[\s*LcServiceModule\.forRoot\(\{/);
    expect(appModule).toContain("serviceName: 'my-nest-app'");
    expect(appModule).toContain('providers: [LcHandlers, AppService]');

    const previousSecret = process.env.LC_SHARED_SECRET;
    process.env.LC_SHARED_SECRET = 'nest-add-secret';
    try {
      const { AppModule } = (await import(join(dir, 'src', 'app.module.ts'))) as {
        AppModule: new () => unknown;
      };
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
      await app.listen(0, '127.0.0.1');
      try {
        const oid = '11111111-2222-4333-8444-555555555555';
        const lc = await LcTestClient.forApp(app, { secret: 'nest-add-secret', oid });
        const reply = await lc.send('org_install');
        expect(reply.body).toEqual({ success: true, data: { installed: oid } });
        expect(await (await fetch(await app.getUrl())).text()).toBe('Hello World!');
      } finally {
        await app.close();
      }
    } finally {
      if (previousSecret === undefined) delete process.env.LC_SHARED_SECRET;
      else process.env.LC_SHARED_SECRET = previousSecret;
    }
  }, 120_000);

  it('changes nothing when run again', async () => {
    const dir = await appFolder(NEST_NEW_APP);
    await nestAdd(dir);
    const first = [await read(dir, 'src/app.module.ts'), await read(dir, 'src/lc-handlers.ts')];

    const out = await nestAdd(dir);

    expect(out).toContain('already imports LcServiceModule');
    expect([await read(dir, 'src/app.module.ts'), await read(dir, 'src/lc-handlers.ts')]).toEqual(
      first,
    );
  });

  it('keeps an existing handler file and imports; follows extensionless imports', async () => {
    const dir = await appFolder({
      'apps/api/src/app.module.ts': `import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppService } from './app.service';

@Module({
  imports: [ConfigModule.forRoot()],
  providers: [AppService],
})
export class AppModule {}
`,
      'apps/api/src/lc-handlers.ts': '// mine\n',
    });

    await nestAdd(dir, 'apps/api/src', ['--service-name=hashes']);

    const updated = await read(dir, 'apps/api/src/app.module.ts');
    expect(updated).toContain("import { LcHandlers } from './lc-handlers';");
    expect(updated).toMatch(
      /imports: \[\s*LcServiceModule\.forRoot\([\s\S]*?\),\s*ConfigModule\.forRoot\(\)\]/,
    );
    expect(updated).toContain("serviceName: 'hashes'");
    expect(updated).toContain('providers: [LcHandlers, AppService]');
    expect(await read(dir, 'apps/api/src/lc-handlers.ts')).toBe('// mine\n');
  });

  it('adds the imports and providers keys a module lacks', async () => {
    const dir = await appFolder({
      'src/app.module.ts':
        "import { Module } from '@nestjs/common';\n\n@Module({})\nexport class AppModule {}\n",
    });

    await nestAdd(dir);

    const updated = await read(dir, 'src/app.module.ts');
    expect(updated).toMatch(/imports: \[LcServiceModule\.forRoot\(/);
    expect(updated).toContain('providers: [LcHandlers],');
    expect(updated).toContain("serviceName: 'my-service'");
  });

  it('names the missing file and how to fix it when there is no app.module.ts', async () => {
    const dir = await appFolder({ 'package.json': '{}' });

    await expect(nestAdd(dir, 'lib')).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'nest add nestjs-lc-service: lib/app.module.ts not found; set sourceRoot in nest-cli.json',
      ),
    });
  });
});
