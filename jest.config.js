const swcOptions = require('./test/support/swc.options');

// swc rather than ts-jest: the same output for this code base at a fraction of the transform
// time (types are checked by `npm run typecheck`, not by the tests).
const transform = {
  '^.+\\.ts$': ['@swc/jest', swcOptions],
};
const shared = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  // Two cores: one worker per core. Most specs wait on I/O (fsync, sockets, child processes).
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/support/process-build.setup.mjs',
  globalTeardown: '<rootDir>/test/support/process-build.teardown.mjs',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'sqlite',
      roots: ['<rootDir>/src', '<rootDir>/test'],
      testMatch: ['**/*.spec.ts', '**/*.api-spec.ts', '**/*.e2e-spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e-esdb',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/e2e-esdb.setup.js'],
    },
    {
      ...shared,
      displayName: 'e2e-esdb-plain',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/e2e-esdb-plain.setup.js'],
    },
  ],
};
