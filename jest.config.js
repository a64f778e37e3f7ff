/** ESM jest: NestJS 12 ships ESM only, so tests run under --experimental-vm-modules. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test', '<rootDir>/packages'],
  testMatch: ['**/*.spec.ts'],
  // The scaffold's templates hold the tests of the apps it writes, not of this repository.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/packages/create-lc-service/template/'],
  moduleNameMapper: {
    '^nestjs-lc-service$': '<rootDir>/src/index.ts',
    '^nestjs-lc-service/testing$': '<rootDir>/src/testing/index.ts',
    '^nestjs-lc-service/protocol$': '<rootDir>/src/protocol/index.ts',
    '^nestjs-lc-service/terminus$': '<rootDir>/src/terminus/index.ts',
    '^@nestjs-lc-service/limacharlie$': '<rootDir>/packages/limacharlie/src/index.ts',
    '^@nestjs-lc-service/limacharlie/testing$':
      '<rootDir>/packages/limacharlie/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/jest.summary-reporter.js'],
};
