import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEPENDENCIES, DEV_DEPENDENCIES, PACKAGE_VERSION } from './versions.js';

const TEMPLATE = resolve(import.meta.dirname, '..', 'template');

export const USAGE = `Usage: create-lc-service <directory> [options]

Writes a NestJS LimaCharlie service (or extension) with a test, then runs npm install.

Options:
  --extension      an Extension (LcExtensionModule) instead of a Service (LcServiceModule)
  --from <dir>     take nestjs-lc-service, @nestjs-lc-service/limacharlie and lc-service-sim
                   from the npm pack tarballs in <dir> (default: $CREATE_LC_SERVICE_FROM)
  --skip-install   write the files only
  -h, --help       this text
`;

/** The tarballs of this project's packages that --from must find, by package name. */
const TARBALLS = {
  'nestjs-lc-service': /^nestjs-lc-service-\d[^/]*\.tgz$/,
  '@nestjs-lc-service/limacharlie': /^nestjs-lc-service-limacharlie-\d[^/]*\.tgz$/,
  'lc-service-sim': /^lc-service-sim-\d[^/]*\.tgz$/,
};

/** A mistake of the command line or the target: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

/**
 * @param {string[]} argv the arguments after the command
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ dir: string, name: string, kind: 'service' | 'extension', from?: string, install: boolean } | undefined}
 *   undefined for --help
 */
export function parseOptions(argv, env) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        extension: { type: 'boolean' },
        from: { type: 'string' },
        'skip-install': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals.length !== 1) {
    throw new UsageError('expected one directory, e.g. create-lc-service my-service');
  }
  const dir = resolve(positionals[0]);
  const name = basename(dir);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || name.length > 214) {
    throw new UsageError(
      `'${name}' is not a valid package name: use lowercase letters, digits, '-', '.' or '_'`,
    );
  }
  const from = values.from ?? (env.CREATE_LC_SERVICE_FROM || undefined);
  return {
    dir,
    name,
    kind: values.extension ? 'extension' : 'service',
    from: from === undefined ? undefined : resolve(from),
    install: !values['skip-install'],
  };
}

/**
 * `file:` specs for this project's packages, found in a folder of `npm pack` tarballs.
 * @param {string} from
 * @returns {Record<string, string>}
 */
export function localPackages(from) {
  if (!existsSync(from)) throw new UsageError(`--from ${from}: no such directory`);
  const files = readdirSync(from);
  /** @type {Record<string, string>} */
  const specs = {};
  for (const [name, pattern] of Object.entries(TARBALLS)) {
    const found = files.filter((file) => pattern.test(file));
    if (found.length !== 1) {
      throw new UsageError(
        `--from ${from}: expected one tarball of ${name} (${pattern.source}), found ${found.length === 0 ? 'none' : found.join(', ')}; make them in the nestjs-lc-service repository with 'npm run build && npm pack --ignore-scripts --workspace @nestjs-lc-service/limacharlie --workspace lc-service-sim --include-workspace-root'`,
      );
    }
    specs[name] = `file:${join(from, found[0])}`;
  }
  return specs;
}

/**
 * @param {{ name: string, from?: string }} options
 * @returns {object} the new app's package.json
 */
export function packageJson({ name, from }) {
  const local = from === undefined ? undefined : localPackages(from);
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=22.13.0' },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      start: 'npm run build && node dist/main.js',
      dev: 'npm run build && node dist/main.js --dev',
      test: 'tsc --noEmit && NODE_OPTIONS=--experimental-vm-modules jest',
    },
    dependencies: sortKeys({
      ...DEPENDENCIES,
      'nestjs-lc-service': local?.['nestjs-lc-service'] ?? `^${PACKAGE_VERSION}`,
      // Not on the registry either: without it, npm would look the tarball's dependency up there.
      ...(local && { '@nestjs-lc-service/limacharlie': local['@nestjs-lc-service/limacharlie'] }),
    }),
    devDependencies: sortKeys({
      ...DEV_DEPENDENCIES,
      'lc-service-sim': local?.['lc-service-sim'] ?? `^${PACKAGE_VERSION}`,
    }),
  };
}

/** @param {Record<string, string>} record */
function sortKeys(record) {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Writes the app into options.dir (which must not exist or be empty).
 * @param {{ dir: string, name: string, kind: 'service' | 'extension', from?: string }} options
 */
export function writeApp(options) {
  const { dir, name, kind } = options;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UsageError(`${dir} is not empty: choose a new directory`);
  }
  const manifest = packageJson(options);
  mkdirSync(dir, { recursive: true });
  cpSync(join(TEMPLATE, 'common'), dir, { recursive: true });
  cpSync(join(TEMPLATE, kind), dir, { recursive: true });
  // npm pack leaves .gitignore files out of a package, so the template carries it unprefixed.
  renameSync(join(dir, 'gitignore'), join(dir, '.gitignore'));
  for (const file of listFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    if (text.includes('__SERVICE_NAME__')) {
      writeFileSync(file, text.replaceAll('__SERVICE_NAME__', name));
    }
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** @param {string} dir @returns {string[]} */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * The command: returns the exit code.
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 */
export function main(argv, env) {
  let options;
  try {
    options = parseOptions(argv, env);
    if (options === undefined) {
      process.stdout.write(USAGE);
      return 0;
    }
    writeApp(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`create-lc-service: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const near = relative(process.cwd(), options.dir);
  const where = near === '' ? '.' : near.startsWith('..') ? options.dir : near;
  process.stdout.write(`Wrote a LimaCharlie ${options.kind} in ${where}\n`);
  if (options.install) {
    const windows = process.platform === 'win32';
    const npm = spawnSync(windows ? 'npm.cmd' : 'npm', ['install'], {
      cwd: options.dir,
      stdio: 'inherit',
      shell: windows,
    });
    if (npm.status !== 0) {
      process.stderr.write(
        `create-lc-service: npm install failed in ${where}; fix what it printed above, then run npm install there\n`,
      );
      return 1;
    }
  }
  process.stdout.write(
    `\nNext:\n  cd ${where}\n${options.install ? '' : '  npm install\n'}  npm test      # the tests, against a fake LimaCharlie\n  npm run dev   # the ${options.kind} on port 8080 with the development secret\n`,
  );
  return 0;
}
