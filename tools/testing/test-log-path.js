// Where an integration test file's application logs go: one file per test file under .data/test-logs/.
// Plain JavaScript: the summary reporter (JS, outside Jest's transform) names the same file for a failing suite.
'use strict';
const { join, relative } = require('node:path');

const repoRoot = join(__dirname, '..', '..');
const testLogDir = join(repoRoot, '.data', 'test-logs');

/** `libs/pulsar/test/x.int-spec.ts` -> `<repo>/.data/test-logs/libs__pulsar__test__x.int-spec.log` */
function testLogPath(testFilePath) {
  const name = relative(repoRoot, testFilePath).split(/[\\/]/).join('__').replace(/\.ts$/, '');
  return join(testLogDir, `${name}.log`);
}

module.exports = { repoRoot, testLogDir, testLogPath };
