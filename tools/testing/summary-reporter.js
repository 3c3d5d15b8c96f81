// Prints one plain closing line ("N passed, N failed, N skipped") after Jest's own summary, so a CI
// reading only the last line of the run sees the count, not just the exit code. A suite that fails to
// run (a syntax error, a failing beforeAll) has no failed test of its own: it counts as one failure.
// For a failing integration suite it names the suite's application log (.data/test-logs/) and shows its tail.
const { existsSync, readFileSync } = require('node:fs');
const { relative } = require('node:path');
const { repoRoot, testLogPath } = require('./test-log-path');

const TAIL_LINES = 30;

function logTail(suitePath) {
  const file = testLogPath(suitePath);
  if (!existsSync(file)) return '';
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  if (lines.length === 1 && lines[0] === '') return '';
  const shown = lines.slice(-TAIL_LINES).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line));
  return `\nApplication log of ${relative(repoRoot, suitePath)}: ${relative(repoRoot, file)} (last ${shown.length} of ${lines.length} lines)\n${shown.join('\n')}\n`;
}

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failing = results.testResults.filter((suite) => suite.numFailingTests > 0 || suite.failureMessage);
    const logs = failing.map((suite) => logTail(suite.testFilePath)).join('');
    const brokenSuites = results.testResults.filter(
      (suite) => suite.testExecError || (suite.failureMessage && suite.numFailingTests === 0),
    ).length;
    const failed = results.numFailedTests + brokenSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `\n${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    // After Jest's own summary, which other reporters print in their onRunComplete too.
    process.once('exit', () => process.stdout.write(`${logs}${line}`));
  }
}
module.exports = SummaryReporter;
