/**
 * Ends every jest run with the plain line CI reads: `N passed, N failed[, N skipped]`.
 * Suites that fail to run at all count as failures, so a broken import cannot pass silently.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line =
      `${results.numPassedTests} passed, ${failed} failed` +
      (skipped ? `, ${skipped} skipped` : '');
    process.stdout.write(`\n${line}\n`);
  }
}

module.exports = SummaryReporter;
