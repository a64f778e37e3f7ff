import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { distFile } from '../helpers/dist.js';

const run = promisify(execFile);

/** A module resolution hook that records every bare specifier a program imports. */
const HOOKS = `
export async function resolve(specifier, context, next) {
  if (!specifier.startsWith('.') && !specifier.startsWith('file:') && !specifier.startsWith('node:')) {
    process.stdout.write('IMPORT ' + specifier + '\\n');
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
    await writeFile(hooks, HOOKS);
    await writeFile(
      main,
      `import { register } from 'node:module';\n` +
        `register(${JSON.stringify(pathToFileURL(hooks).href)});\n` +
        entries
          .map((entry) => `await import(${JSON.stringify(pathToFileURL(distFile(entry)).href)});\n`)
          .join(`process.stdout.write('NEXT\\n');\n`),
    );
    const { stdout } = await run(process.execPath, [main], {
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    return stdout.split('NEXT\n').map((part) =>
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
