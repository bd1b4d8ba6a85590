// Two projects: `unit` (pure domain logic, no infrastructure) and `integration` (real Postgres and a real
// Kafka broker, started once by test/support/global-setup.ts).
const moduleNameMapper = {
  '^@mash/schema$': '<rootDir>/schema/src/index.ts',
  '^@mash/service-kit$': '<rootDir>/subgraphs/service-kit/src/index.ts',
  '^@mash/kafka$': '<rootDir>/connectors/kafka/src/index.ts',
  '^@mash/connectors$': '<rootDir>/connectors/index.ts',
  '^@mash/(agencies|contacts|cases|escalations)$': '<rootDir>/subgraphs/$1/src/index.ts',
  '^@mash/gateway$': '<rootDir>/gateway/src/index.ts',
  // Test helpers, fixtures and builders: `@test/support/...` rather than `../../../test/support/...`.
  '^@test/(.*)$': '<rootDir>/test/$1',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }],
  // jose 6 ships ES modules only: Node 20.19+ loads them with require(esm), jest's CommonJS runtime does not.
  '/node_modules/jose/.+\\.js$': [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true }, diagnostics: false },
  ],
};
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleNameMapper,
  transform,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
module.exports = {
  // Integration and end-to-end tests start real services; jest reads testTimeout only at the top level.
  testTimeout: 120000,
  // Two test files at a time, whatever the cores: the integration tests mostly wait on the broker, the database and
  // the services they start, so two overlap well even on two cores (the whole run in about 270-290 s instead of 505
  // on a 2-core VM). Not more: each starts a platform with its own connection pools on the one Postgres server
  // (max_connections 100 by default) and the one broker.
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.test\\.ts$', '/test/e2e/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
