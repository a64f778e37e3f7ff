import { randomUUID } from 'node:crypto';

/** A service job as the API lists it; `is_done` turns true after `pendingReads` reads. */
export interface FakeJob {
  job_id: string;
  oid: string;
  sid?: string;
  service_name: string;
  /** Creation time, epoch seconds: what `start`/`end` of the listing filter on. */
  start: number;
  is_done: boolean;
  [key: string]: unknown;
}

export interface AddJobOptions {
  jobId?: string;
  sid?: string;
  serviceName?: string;
  /** Epoch seconds (default now). */
  start?: number;
  /** `GET job/{oid}/{id}` reads that see the job running before it is done (default 0: done). */
  pendingReads?: number;
  /** More fields of the job record. */
  extra?: Record<string, unknown>;
}

export class FakeJobsState {
  /** oid -> job id -> job, in insertion order. */
  readonly jobs = new Map<string, Map<string, FakeJob>>();
  /** Reads left before a job is done, by job id. */
  readonly pending = new Map<string, number>();

  add(oid: string, options: AddJobOptions): FakeJob {
    const pendingReads = options.pendingReads ?? 0;
    const job: FakeJob = {
      ...options.extra,
      job_id: options.jobId ?? randomUUID(),
      oid,
      ...(options.sid === undefined ? {} : { sid: options.sid }),
      service_name: options.serviceName ?? 'yara',
      start: options.start ?? Math.trunc(Date.now() / 1000),
      is_done: pendingReads === 0,
    };
    this.of(oid).set(job.job_id, job);
    if (pendingReads > 0) this.pending.set(job.job_id, pendingReads);
    return job;
  }

  of(oid: string): Map<string, FakeJob> {
    let jobs = this.jobs.get(oid);
    if (!jobs) {
      jobs = new Map();
      this.jobs.set(oid, jobs);
    }
    return jobs;
  }

  /** One read of the job: counts down the reads it stays running for. */
  read(job: FakeJob): FakeJob {
    const left = this.pending.get(job.job_id);
    if (left !== undefined) {
      if (left <= 1) {
        this.pending.delete(job.job_id);
        job.is_done = true;
      } else {
        this.pending.set(job.job_id, left - 1);
      }
    }
    return job;
  }

  clear(): void {
    this.jobs.clear();
    this.pending.clear();
  }
}
