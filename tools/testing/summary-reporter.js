// Prints one plain closing line ("N passed, N failed, N skipped") after Jest's own summary, so a CI
// reading only the last line of the run sees the count, not just the exit code. A suite that fails to
// run (a syntax error, a failing beforeAll) has no failed test of its own: it counts as one failure.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const brokenSuites = results.testResults.filter(
      (suite) => suite.testExecError || (suite.failureMessage && suite.numFailingTests === 0),
    ).length;
    const failed = results.numFailedTests + brokenSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `\n${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    // After Jest's own summary, which other reporters print in their onRunComplete too.
    process.once('exit', () => process.stdout.write(line));
  }
}
module.exports = SummaryReporter;
