import { relative } from 'node:path';

/** Kept equal to SKIP_MARK in test/helpers/skip.ts, which puts a skipped suite's reason in its title. */
const SKIP_MARK = ' [skipped: ';

function reasonOf(titles, unmarked) {
  for (const title of titles) {
    const at = title.indexOf(SKIP_MARK);
    if (at >= 0 && title.endsWith(']')) return title.slice(at + SKIP_MARK.length, -1);
  }
  return unmarked;
}

/**
 * Ends the run with the skipped tests grouped by file and reason (so a run that skipped the Redis
 * or Chromium suites says what to install), then one plain line,
 * `jest: N passed, N failed, N skipped`, for CI to read.
 */
export default class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    // jest reports the tests a -t pattern leaves out as skipped too.
    this.unmarked = globalConfig.testNamePattern
      ? 'not matched by -t, or it.skip / describe.skip / test.todo'
      : 'no reason given (it.skip, describe.skip or test.todo)';
  }

  onRunComplete(_contexts, results) {
    const skipped = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending' && test.status !== 'todo') continue;
        const where = relative(this.rootDir, file.testFilePath);
        const key = `${where}\0${reasonOf([...test.ancestorTitles, test.title], this.unmarked)}`;
        skipped.set(key, (skipped.get(key) ?? 0) + 1);
      }
    }
    const lines = [...skipped].map(([key, count]) => {
      const [where, reason] = key.split('\0');
      return `  ${where}: ${count} skipped: ${reason}`;
    });
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    process.stdout.write(
      (lines.length > 0 ? `\nSkipped tests and why:\n${lines.join('\n')}\n` : '') +
        `\njest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`,
    );
  }
}
