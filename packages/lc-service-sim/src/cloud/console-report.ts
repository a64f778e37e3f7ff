import { formatSimTime, formatSpan } from './clock.js';
import type { CloudSimulator } from './cloud-simulator.js';
import type { TimelineEntry } from './timeline.js';

/** Service-provided text on a terminal: control characters (escape sequences) become `?`. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

function oneLine(text: string, max = 160): string {
  const flat = printable(text).replace(/\s*\n\s*/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One timeline line: simulated time, what happened, the outcome. */
export function entryLine(entry: TimelineEntry): string {
  const time = formatSimTime(entry.at);
  if (entry.kind === 'note') {
    return `${time}  ${entry.level === 'warn' ? 'warning: ' : ''}${oneLine(entry.text, 400)}`;
  }
  if (entry.kind === 'task') {
    const t = entry.task;
    const how = t.investigationId === undefined ? '' : '  (tracked)';
    return `${time}  ${`task #${t.id}`.padEnd(16)} ${t.hostname.padEnd(30)} ${oneLine(t.commands.join(', '))}${how}`;
  }
  const result = entry.ok ? 'ok  ' : 'FAIL';
  const jobs =
    typeof entry.reply === 'object' &&
    entry.reply !== null &&
    Array.isArray((entry.reply as { jobs?: unknown }).jobs)
      ? (entry.reply as { jobs: unknown[] }).jobs.length
      : 0;
  const extra = [
    entry.about,
    entry.error === undefined ? undefined : oneLine(entry.error),
    jobs > 0 ? `${jobs} job${jobs === 1 ? '' : 's'}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return `${time}  ${entry.etype.padEnd(16)} ${oneLine(entry.target, 60).padEnd(30)} ${result} ${`${entry.ms} ms`.padStart(7)}${extra.length ? `  ${extra.join('; ')}` : ''}`;
}

/** The one-line state of a run, rewritten in place on a terminal. */
export function progressLine(sim: CloudSimulator): string {
  const calls = sim.timeline.calls();
  const failed = calls.filter((c) => !c.ok).length;
  const end = sim.endMs === undefined ? '' : ` / ${formatSpan(sim.endMs)}`;
  return `[${sim.status} ${formatSimTime(sim.now())}${end}] ${calls.length} calls, ${failed} failed, ${sim.timeline.tasks.length} tasks, ${sim.jobs.list().length} jobs`;
}

/** The end-of-run report: counts per etype, what the service did, and every failure. */
export function summaryText(sim: CloudSimulator, realMs: number): string {
  const calls = sim.timeline.calls();
  const failures = sim.timeline.failures();
  const lines: string[] = [];
  const span =
    sim.endMs === undefined
      ? ''
      : ` (${formatSimTime(sim.now())} of ${formatSpan(sim.endMs)} simulated)`;
  lines.push(
    `${sim.status === 'stopped' ? 'Stopped' : sim.status === 'failed' ? 'Failed' : 'Finished'}${span} in ${(realMs / 1000).toFixed(1)} s: ${calls.length} calls, ${calls.length - failures.length} ok, ${failures.length} failed.`,
  );
  lines.push(
    '',
    `  ${'etype'.padEnd(18)} ${'sent'.padStart(5)} ${'ok'.padStart(5)} ${'failed'.padStart(6)}`,
  );
  for (const [etype, count] of sim.timeline.counts) {
    lines.push(
      `  ${etype.padEnd(18)} ${String(count.sent).padStart(5)} ${String(count.ok).padStart(5)} ${String(count.failed).padStart(6)}`,
    );
  }
  const tasks = sim.timeline.tasks;
  const tracked = tasks.filter((t) => t.investigationId !== undefined).length;
  const jobs = sim.jobs.list();
  const closed = jobs.filter((j) => j.end !== undefined).length;
  lines.push(
    '',
    `  tasks: ${tasks.length} (${tracked} tracked)   jobs: ${jobs.length} (${closed} closed)`,
  );
  const rules = sim.rules.list();
  lines.push(
    `  rules: ${rules.length === 0 ? 'none' : rules.map((r) => `${oneLine(`${r.namespace}/${r.name}`, 120)}${r.state === 'removed' ? ` (removed during ${r.changedBy})` : ''}`).join(', ')}`,
  );
  const warnings = sim.timeline.warnings();
  if (warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of warnings) lines.push(`  ${formatSimTime(w.at)}  ${oneLine(w.text, 400)}`);
  }
  if (failures.length > 0) {
    lines.push('', 'Failures:');
    for (const f of failures) {
      const target = f.target === '' ? '' : ` ${oneLine(f.target, 60)}`;
      lines.push(
        `  #${f.seq} ${formatSimTime(f.at)} ${f.etype}${target}: ${oneLine(f.error ?? 'failed', 400)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Prints the timeline as it grows. On a terminal a progress line stays at the bottom, rewritten
 * in place; elsewhere (CI, a pipe) only the timeline lines are written.
 */
export class ConsoleReporter {
  private timer: NodeJS.Timeout | undefined;
  private progressShown = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly sim: CloudSimulator,
  ) {}

  attach(): void {
    this.sim.timeline.onEntry((entry) => this.line(entryLine(entry)));
    if (this.out.isTTY) {
      this.timer = setInterval(() => this.drawProgress(), 200);
      this.timer.unref();
    }
  }

  line(text: string): void {
    this.clearProgress();
    this.out.write(`${text}\n`);
    if (this.timer) this.drawProgress();
  }

  detach(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clearProgress();
  }

  private drawProgress(): void {
    // A pty can report 0 columns: fall back to a common width then.
    const width = (this.out.columns || 100) - 1;
    this.out.write(`\r${progressLine(this.sim).slice(0, width)}\u001b[K`);
    this.progressShown = true;
  }

  private clearProgress(): void {
    if (!this.progressShown) return;
    this.out.write('\r\u001b[K');
    this.progressShown = false;
  }
}
