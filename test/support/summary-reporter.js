/**
 * Ends every jest run with the plain line CI reads: `N passed, N failed[, N skipped]`.
 * Suites that fail to run at all count as failures, so a broken import cannot pass silently.
 * With SUMMARY_LABEL set (`.ci/run` sets it per Node version) the line reads
 * `<label>: N passed and N failed[ and N skipped]` instead, so only the run's total matches
 * the plain format.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const label = process.env.SUMMARY_LABEL?.trim();
    const sep = label ? ' and ' : ', ';
    const line =
      (label ? `${label}: ` : '') +
      `${results.numPassedTests} passed${sep}${failed} failed` +
      (skipped ? `${sep}${skipped} skipped` : '');
    process.stdout.write(`\n${line}\n`);
  }
}

module.exports = SummaryReporter;
