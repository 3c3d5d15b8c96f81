// The architecture as rules: apps -> domain libs -> adapters, never back up; the Pulsar client stands alone.
const adapters = '^libs/(pulsar|pulsar-admin|storage|database|config|logging|errors)/';
// The domain: streams (core), ingest, HTTP consumption, stream operations, pipelines, ml, replay, auth.
const domain = '^libs/(streams|ingest|http-consumption|stream-operations|pipelines|ml|replay|auth)/';

// The domain libs among themselves, lowest first: a lib may import libs of lower layers only, never one of
// its own layer or above (replay -> pipelines -> streams; ml and auth stand on the adapters alone; ingest,
// HTTP consumption and stream operations build on the streams core and not on one another).
const domainLayers = [
  ['ml', 'auth'],
  ['streams'],
  ['ingest', 'http-consumption', 'stream-operations', 'pipelines'],
  ['replay'],
];

function domainOrder() {
  return domainLayers.map((layer, index) => {
    const above = domainLayers.slice(index).flat();
    return {
      name: `domain-order-${layer.join('-')}`,
      severity: 'error',
      from: { path: `^libs/(${layer.join('|')})/`, pathNot: '\\.(int-)?spec\\.ts$|/test/' },
      to: { path: `^libs/(${above.join('|')})/`, pathNot: `^libs/$1/` },
    };
  });
}

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'type-only imports count too: a cycle of types is still two modules that cannot be read apart',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...domainOrder(),
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
      name: 'errors-stand-alone',
      comment: 'libs/errors is the one error base every lib extends: it imports nothing of Gyre',
      severity: 'error',
      from: { path: '^libs/errors/' },
      to: { path: '^(libs/(?!errors/)|apps/|tools/)' },
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
      name: 'domain-does-not-import-the-core',
      comment:
        'libs/core builds the adapters once per process and sits above them; domain libs inject the adapters it provides, only apps (and test apps) import it',
      severity: 'error',
      from: { path: domain, pathNot: '\\.(int-)?spec\\.ts$|/test/' },
      to: { path: '^libs/core/' },
    },
    {
      name: 'core-is-not-domain',
      comment: 'the core holds adapters only: it imports no domain lib',
      severity: 'error',
      from: { path: '^libs/core/' },
      to: { path: domain },
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
