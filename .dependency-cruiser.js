// The architecture as rules: apps -> domain libs -> adapters, never back up; the Pulsar client stands alone.
const adapters = '^libs/(pulsar|pulsar-admin|storage|database|config|logging)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'type-only imports vanish at run time, so a cycle made only of them is allowed',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    { name: 'libs-never-import-apps', severity: 'error', from: { path: '^libs/' }, to: { path: '^apps/' } },
    {
      name: 'apps-are-independent',
      severity: 'error',
      from: { path: '^apps/api/' },
      to: { path: '^apps/workers/' },
    },
    {
      name: 'workers-are-independent',
      severity: 'error',
      from: { path: '^apps/workers/' },
      to: { path: '^apps/api/' },
    },
    {
      name: 'the-platform-does-not-know-its-examples',
      comment: 'examples/ plug into the apps from their own entry points; apps and libs never import them',
      severity: 'error',
      from: { path: '^(apps|libs)/' },
      to: { path: '^examples/' },
    },
    {
      name: 'examples-compose-the-app-factories-only',
      comment: 'an example builds the generic apps through their factories, never their internals',
      severity: 'error',
      from: { path: '^examples/', pathNot: '/test/' },
      to: { path: '^apps/', pathNot: '^apps/(api/src/api-app|workers/src/workers-app)\\.ts$' },
    },
    {
      name: 'pulsar-client-stands-alone',
      comment: 'libs/pulsar mirrors pulsar-client and imports nothing of Gyre',
      severity: 'error',
      from: { path: '^libs/pulsar/', pathNot: '/test/|\\.(int-)?spec\\.ts$' },
      to: { path: '^(libs/(?!pulsar/)|apps/|tools/)' },
    },
    {
      name: 'json-spans-stands-alone',
      comment:
        'libs/json-spans is pure byte scanning, shared by the API and the CLI: it imports nothing of Gyre',
      severity: 'error',
      from: { path: '^libs/json-spans/' },
      to: { path: '^(libs/(?!json-spans/)|apps/|tools/)' },
    },
    {
      name: 'cli-talks-to-the-api-only',
      comment: 'apps/cli uses the REST API, not the domain: of Gyre it imports only the JSON span scanner',
      severity: 'error',
      from: { path: '^apps/cli/', pathNot: '/test/|\\.(int-)?spec\\.ts$' },
      to: { path: '^(libs/(?!json-spans/)|apps/(?!cli/))' },
    },
    {
      name: 'adapters-do-not-import-domain',
      severity: 'error',
      from: { path: adapters, pathNot: '\\.(int-)?spec\\.ts$|/test/' },
      to: { path: '^libs/', pathNot: [adapters, '^libs/health/'] },
    },
    {
      name: 'only-public-entry',
      comment: 'a lib is used through its src/index.ts only',
      severity: 'error',
      from: { pathNot: '^libs/' },
      to: { path: '^libs/[^/]+/src/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'only-public-entry-between-libs',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'production-code-not-from-tools',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: '\\.(int-)?spec\\.ts$|/test/' },
      to: { path: '^tools/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^dist/|^\\.data/|node_modules)' },
  },
};
