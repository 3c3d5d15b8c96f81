// `npm run test:cluster`: the tests against the local multi-node Pulsar cluster (tools/stack/cluster),
// apart from `npm test` because the cluster takes minutes to start on a small machine (docs/testing.md).
const base = require('./jest.config.js');

const integration = base.projects.find((project) => project.displayName === 'integration');

module.exports = {
  reporters: base.reporters,
  projects: [
    {
      ...integration,
      displayName: 'cluster',
      testMatch: ['<rootDir>/{apps,libs,examples,tools}/**/*.cluster-spec.ts'],
      globalSetup: '<rootDir>/tools/testing/cluster-setup.ts',
      globalTeardown: '<rootDir>/tools/testing/cluster-teardown.ts',
    },
  ],
};
