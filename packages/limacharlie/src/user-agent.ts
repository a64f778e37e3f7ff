import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@nestjs-lc-service/limacharlie';
/** The product LimaCharlie sees; released in step with this package, so it carries its version. */
const PRODUCT = 'nestjs-lc-service';

/** Walks up from this file because it runs from `src/` under jest and from `dist/` when built. */
function findPackageVersion(startDir: string): string | undefined {
  let dir = startDir;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg: unknown = JSON.parse(readFileSync(candidate, 'utf8'));
      if (typeof pkg === 'object' && pkg !== null) {
        const { name, version } = pkg as { name?: unknown; version?: unknown };
        if (name === PACKAGE_NAME && typeof version === 'string') return version;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const version = findPackageVersion(dirname(fileURLToPath(import.meta.url)));

/** A bundler may drop package.json; the name alone still identifies the caller to LimaCharlie. */
export const USER_AGENT = version ? `${PRODUCT}/${version}` : PRODUCT;
