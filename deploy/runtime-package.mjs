#!/usr/bin/env node
// Writes into <outdir> what the sample's container installs, the way a service of its own is
// installed: this repository's packages as `npm pack` tarballs, the packages the sample imports
// at run time, and a lockfile, so that `npm ci --omit=dev` there brings everything and only that.
// Run after `npm run build`, from anywhere: node deploy/runtime-package.mjs <outdir>
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

// The library takes these as peers and the root lists them as dev dependencies (it lets a
// service choose them), so the sample's own install names them, as a service's package.json would.
const SAMPLE_RUNTIME_PACKAGES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-fastify',
  'class-transformer',
  'class-validator',
  // LC_METRICS=1 (deploy/kubernetes) loads it.
  'prom-client',
  'reflect-metadata',
  'rxjs',
];

function fail(message) {
  console.error(`runtime-package: ${message}`);
  process.exit(2);
}

const outdir = process.argv[2];
if (outdir === undefined || process.argv.length > 3) {
  fail('usage: node deploy/runtime-package.mjs <outdir> (after npm run build)');
}
const out = resolve(outdir);
mkdirSync(out, { recursive: true });

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
const dependencies = {};
for (const name of SAMPLE_RUNTIME_PACKAGES) {
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (version === undefined) {
    fail(`${name} is not in package-lock.json: run 'npm install' at the repository root`);
  }
  dependencies[name] = version;
}

// --ignore-scripts: prepack would build again; the caller has just built.
const packed = JSON.parse(
  execFileSync(
    'npm',
    [
      'pack',
      '--ignore-scripts',
      '--json',
      '--pack-destination',
      out,
      '--workspace',
      '@nestjs-lc-service/limacharlie',
      '--include-workspace-root',
    ],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ),
);
for (const { name, filename } of packed) {
  // Relative, so the folder installs wherever it is copied. The client is listed as well: npm
  // would otherwise look the library's dependency on it up on the registry.
  dependencies[name] = `file:./${filename}`;
}

const manifest = {
  name: 'lc-service-sample',
  version: '0.0.0',
  private: true,
  type: 'module',
  dependencies: Object.fromEntries(
    Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)),
  ),
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], {
  cwd: out,
  stdio: ['ignore', 'ignore', 'inherit'],
});
