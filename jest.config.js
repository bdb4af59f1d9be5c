/**
 * Jest with @swc/jest: Nest 12 is published as ES modules, which Jest's CommonJS runtime cannot
 * load on Node 20, so node_modules are compiled too (transformIgnorePatterns: []).
 * Without DATABASE_URL every test shares one embedded PostgreSQL, so the suite runs in band.
 */
const swc = require('./test/support/swc-options');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', swc] },
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
  maxWorkers: process.env.DATABASE_URL ? 2 : 1,
  // In band on the embedded database, something left after the last test (not found yet: no
  // socket stays open) keeps the process alive once every test has passed; end it so that
  // `npm test` returns. With DATABASE_URL the workers exit on their own.
  forceExit: !process.env.DATABASE_URL,
  reporters: ['default', '<rootDir>/test/support/tally-reporter.js'],
};
