import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Tests that run compiled code need `npm test`'s pretest build (every package into its dist/).
 * `packageDir` is relative to the repository root: the root package by default.
 */
export function distFile(path: string, packageDir = '.'): string {
  const file = resolve(ROOT, packageDir, 'dist', path);
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: run the suite with 'npm test' (its pretest step builds every package)`,
    );
  }
  return file;
}
