/**
 * Suites that need something from outside the repository (a Redis server, Chromium, Linux's
 * /proc) skip with a reason instead of failing. The reason rides in the skipped suite's title,
 * the one part of a test that reaches jest's reporters from any worker, and
 * jest.summary-reporter.js lists it at the end of the run: a skipped suite says why even in a
 * full run, where a console line would scroll away.
 */

/** Kept equal to SKIP_MARK in jest.summary-reporter.js, which parses it back out. */
const SKIP_MARK = ' [skipped: ';

/** `describe` when `skipReason` is undefined; otherwise a skipped suite carrying the reason. */
export function describeOrSkip(
  skipReason: string | undefined,
): (title: string, body: () => void) => void {
  if (skipReason === undefined) return describe;
  return (title, body) => describe.skip(`${title}${SKIP_MARK}${skipReason}]`, body);
}
