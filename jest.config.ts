import type { Config } from 'jest';

// One config, three layers told apart by file suffix (see ARCHITECTURE.md):
// *.spec.ts unit, *.int-spec.ts real SQLite/Redis/HTTP, *.e2e-spec.ts the app over HTTP.
const config: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': '@swc/jest' },
  moduleNameMapper: { '^@ledgerdesk/([^/]+)(.*)$': '<rootDir>/libs/$1/src$2' },
  testTimeout: 30_000,
  maxWorkers: 2,
};

export default config;
