// Two projects: unit specs need no services; integration specs run against the real local stack.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
// Examples first: the generic rule would look for them under libs/.
const moduleNameMapper = {
  '^@gyre/example-fraud-loop$': '<rootDir>/examples/fraud-loop/src',
  '^@gyre/(.*)$': '<rootDir>/libs/$1/src',
};
// hyparquet ships ES modules only: transform it (and only it) from node_modules to CommonJS.
const esmOnly = ['hyparquet', 'hyparquet-writer'];
const shared = {
  rootDir: __dirname,
  transform: { '^.+\\.(ts|js)$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper,
  testEnvironment: 'node',
};

module.exports = {
  reporters: ['default', '<rootDir>/tools/testing/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,examples,tools,deploy}/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,examples,tools}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/tools/testing/global-setup.ts',
      globalTeardown: '<rootDir>/tools/testing/global-teardown.ts',
      setupFilesAfterEnv: [
        '<rootDir>/tools/testing/integration-timeout.ts',
        '<rootDir>/tools/testing/test-log-setup.ts',
      ],
    },
  ],
};
