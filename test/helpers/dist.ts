import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** Tests that run compiled code need `npm test`'s pretest build (tsc into dist/). */
export function distFile(path: string): string {
  const file = resolve(ROOT, 'dist', path);
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: run the suite with 'npm test' (its pretest step compiles into dist/)`,
    );
  }
  return file;
}
