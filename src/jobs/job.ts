import { randomUUID } from 'node:crypto';
import type { AttachmentJson, JobAttachment } from './attachments.js';

export interface JobHistoryEntry {
  /** Epoch milliseconds. */
  ts: number;
  msg: string;
  attachments: AttachmentJson[];
  is_important: boolean;
}

/** The RI's job JSON (protocol notes §1.11). Optional keys are left out until they are set. */
export interface JobJson {
  id: string;
  /** Epoch milliseconds; new jobs only. */
  start?: number;
  /** Epoch milliseconds, set by `close()`. */
  end?: number;
  cause?: string;
  sid?: string[];
  hist?: JobHistoryEntry[];
}

/** A job that cannot be reported as it stands: a mistake in the handler, so retrying cannot help. */
export class JobError extends Error {
  readonly jobId: string;

  constructor(jobId: string, message: string) {
    super(message);
    this.name = 'JobError';
    this.jobId = jobId;
  }
}

/**
 * A job LimaCharlie shows in the org's job list. `new Job()` starts a new job; `new Job(id)` adds
 * updates to an existing one. Return jobs in a response's `jobs` to report them.
 */
export class Job {
  private readonly id: string;
  private readonly isNew: boolean;
  private readonly start: number | undefined;
  private end: number | undefined;
  private cause: string | undefined;
  private sids: string[] | undefined;
  private hist: JobHistoryEntry[] | undefined;

  constructor(jobId?: string) {
    if (jobId === undefined) {
      this.id = randomUUID();
      this.isNew = true;
      this.start = Date.now();
      return;
    }
    if (typeof jobId !== 'string' || jobId === '') {
      throw new TypeError('Job id must be a non-empty string; omit it to start a new job');
    }
    this.id = jobId;
    this.isNew = false;
  }

  getId(): string {
    return this.id;
  }

  setCause(cause: string): void {
    this.cause = String(cause);
  }

  /** Records that the sensor is involved in the job; duplicates are kept, as in the RI. */
  addSensor(sid: string): void {
    (this.sids ??= []).push(String(sid));
  }

  narrate(message: string, attachments: readonly JobAttachment[] = [], isImportant = false): void {
    (this.hist ??= []).push({
      ts: Date.now(),
      msg: String(message),
      attachments: attachments.map((attachment) => attachment.toJSON()),
      is_important: Boolean(isImportant),
    });
  }

  close(): void {
    this.end = Date.now();
  }

  toJSON(): JobJson {
    if (this.isNew && this.cause === undefined) {
      throw new JobError(
        this.id,
        `Job ${this.id} is new and has no cause: call job.setCause(...) before returning it`,
      );
    }
    const json: JobJson = { id: this.id };
    if (this.start !== undefined) json.start = this.start;
    if (this.end !== undefined) json.end = this.end;
    if (this.cause !== undefined) json.cause = this.cause;
    if (this.sids !== undefined) json.sid = [...this.sids];
    if (this.hist !== undefined)
      json.hist = this.hist.map((entry) => ({ ...entry, attachments: [...entry.attachments] }));
    return json;
  }
}
