/**
 * `preset: 'nestjs-lc-service'` for an app's jest config: NestJS 12 and this package are ES
 * modules, so tests load as ES modules (run jest with NODE_OPTIONS=--experimental-vm-modules).
 *
 * ts-jest compiles each test file on its own when the app's tsconfig has `isolatedModules: true`.
 * Without it, and with `module: "NodeNext"`, ts-jest falls back to a language service that
 * type-checks every file and warns TS151002 on each run; set it in tsconfig.json rather than
 * silencing the warning, and type-check with `tsc --noEmit` (the scaffold's `test` script does).
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  // NodeNext sources import `./x.js`; jest must find `./x.ts`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
