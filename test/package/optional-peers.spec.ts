import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { distFile } from '../helpers/dist.js';

const run = promisify(execFile);

/**
 * A module resolution hook that records every bare specifier a program imports, in a file: the
 * hooks run on their own thread from Node 24 on, where what they write to stdout may be lost.
 */
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (!specifier.startsWith('.') && !specifier.startsWith('file:') && !specifier.startsWith('node:')) {
    appendFileSync(process.env.LC_IMPORT_LOG, 'IMPORT ' + specifier + '\\n');
  }
  return next(specifier, context);
}
`;

/**
 * The packages each of `entries` (files of dist/) loads, imported one after the other in a fresh
 * Node process: a package an entry shares with an earlier one is listed under the earlier one.
 */
async function packagesLoadedBy(...entries: string[]): Promise<string[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'lc-peers-'));
  try {
    const hooks = join(dir, 'hooks.mjs');
    const main = join(dir, 'main.mjs');
    const log = join(dir, 'imports.log');
    await writeFile(hooks, HOOKS);
    await writeFile(log, '');
    await writeFile(
      main,
      `import { register } from 'node:module';\n` +
        `import { appendFileSync } from 'node:fs';\n` +
        `register(${JSON.stringify(pathToFileURL(hooks).href)});\n` +
        entries
          .map((entry) => `await import(${JSON.stringify(pathToFileURL(distFile(entry)).href)});\n`)
          .join(`appendFileSync(process.env.LC_IMPORT_LOG, 'NEXT\\n');\n`),
    );
    await run(process.execPath, [main], {
      env: { ...process.env, NODE_OPTIONS: '', LC_IMPORT_LOG: log },
    });
    const recorded = await readFile(log, 'utf8');
    return recorded.split('NEXT\n').map((part) =>
      part
        .split('\n')
        .filter((line) => line.startsWith('IMPORT '))
        .map((line) => line.slice('IMPORT '.length)),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('optional peer dependencies', () => {
  it('nestjs-lc-service loads neither @nestjs/terminus nor @opentelemetry/api; /terminus loads terminus', async () => {
    const [root, terminus] = await packagesLoadedBy('src/index.js', 'src/terminus/index.js');
    expect(root).toContain('@nestjs/core');
    const optional = (p: string) =>
      p.startsWith('@nestjs/terminus') || p.startsWith('@opentelemetry/');
    expect(root.filter(optional)).toEqual([]);
    expect(terminus).toContain('@nestjs/terminus');
  });
});
