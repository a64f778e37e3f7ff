import { Logger } from '@nestjs/common';

/** What `npm run dev` signs with: anyone who reads this file knows it. */
export const DEV_SECRET = 'dev-secret-change-me';

/**
 * The secret shared with LimaCharlie (`LC_SHARED_SECRET`). Development mode (`npm run dev`, which
 * passes `--dev`) falls back to DEV_SECRET so a fresh checkout runs without setup; a plain
 * `npm start` without the variable refuses to boot rather than accept calls anyone can sign.
 */
export function sharedSecret(env = process.env, argv = process.argv): string {
  const secret = env.LC_SHARED_SECRET;
  if (secret) return secret;
  if (argv.includes('--dev')) {
    new Logger('DevMode').warn(
      `LC_SHARED_SECRET is not set: development mode signs with '${DEV_SECRET}'. Never let LimaCharlie or the internet reach this process.`,
    );
    return DEV_SECRET;
  }
  throw new Error(
    "LC_SHARED_SECRET is not set: set it to the secret registered for this service in LimaCharlie, or run 'npm run dev' to use the development secret",
  );
}
