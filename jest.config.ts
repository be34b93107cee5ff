import type { Config } from 'jest';

// One config, three layers told apart by file suffix (see ARCHITECTURE.md):
// *.spec.ts unit, *.int-spec.ts real SQLite/Redis/HTTP, *.e2e-spec.ts the app over HTTP.
const config: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': '@swc/jest', '/node_modules/content-disposition/.+\\.js$': '@swc/jest' },
  // content-disposition 3 (via @fastify/static, which serves /docs) is ESM only: Node's
  // require(esm) loads it, Jest's CommonJS runtime needs it compiled.
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: { '^@ledgerdesk/([^/]+)(.*)$': '<rootDir>/libs/$1/src$2' },
  testTimeout: 30_000,
  maxWorkers: 2,
};

export default config;
