import { isRecord } from '../is-record.js';

export interface JobHistoryView {
  ts: number;
  msg: string;
  attachments: unknown[];
  important: boolean;
}

/** A job as the service reported it over one or more answers, merged. */
export interface JobView {
  id: string;
  cause?: string;
  start?: number;
  end?: number;
  sensors: string[];
  history: JobHistoryView[];
  /** Timeline seqs of the calls whose answers carried it. */
  reportedBy: number[];
}

/**
 * Merges the `jobs` of the service's answers by id. A task's reply can come back before the
 * answer that started the job, so merging does not depend on order: history is kept sorted by
 * time, and a later `start` or `cause` fills in what an update lacked.
 */
export class JobBoard {
  private readonly jobs = new Map<string, JobView>();

  /** Merges an answer's `jobs`; returns the ids seen. Entries without a string id are skipped. */
  merge(jobs: unknown, seq: number): string[] {
    if (!Array.isArray(jobs)) return [];
    const ids: string[] = [];
    for (const job of jobs) {
      if (!isRecord(job) || typeof job.id !== 'string') continue;
      const view = this.jobs.get(job.id) ?? {
        id: job.id,
        sensors: [],
        history: [],
        reportedBy: [],
      };
      if (typeof job.cause === 'string') view.cause = job.cause;
      if (typeof job.start === 'number') view.start = job.start;
      if (typeof job.end === 'number') view.end = job.end;
      if (Array.isArray(job.sid)) {
        for (const sid of job.sid) {
          if (typeof sid === 'string' && !view.sensors.includes(sid)) view.sensors.push(sid);
        }
      }
      if (Array.isArray(job.hist)) {
        for (const entry of job.hist) {
          if (!isRecord(entry)) continue;
          view.history.push({
            ts: typeof entry.ts === 'number' ? entry.ts : 0,
            msg: typeof entry.msg === 'string' ? entry.msg : '',
            attachments: Array.isArray(entry.attachments) ? entry.attachments : [],
            important: entry.is_important === true,
          });
        }
        view.history.sort((a, b) => a.ts - b.ts);
      }
      view.reportedBy.push(seq);
      this.jobs.set(job.id, view);
      ids.push(job.id);
    }
    return ids;
  }

  list(): JobView[] {
    return [...this.jobs.values()];
  }
}
