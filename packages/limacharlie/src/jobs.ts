import { gunzipSync } from 'node:zlib';

import { pathSegment } from './escape.js';
import { LcApiError } from './errors.js';
import type { LcTransport } from './http.js';
import { epochSeconds, positiveLimit } from './insight-pages.js';
import { expectRecord, isRecord, unexpectedShape } from './response.js';
import { abortableSleep } from './retry.js';
import { assertUuid } from './validation.js';

/** A service (replicant) job; the API's fields are kept as sent. */
export interface LcJob {
  job_id?: string;
  sid?: string;
  is_done?: boolean;
  completed?: boolean;
  [key: string]: unknown;
}

export interface JobListOptions {
  /** Unix seconds; default 24 hours before now, as the SDK. */
  start?: number;
  /** Unix seconds; default now. */
  end?: number;
  limit?: number;
  sid?: string;
}

export interface JobWaitOptions {
  /** Give up polling after this long (default 300000, the SDK's 300 s). */
  timeoutMs?: number;
  /** Pause between polls (default 5000, the SDK's 5 s). */
  pollIntervalMs?: number;
}

const DAY_SECONDS = 86_400;
const DEFAULT_WAIT_MS = 300_000;
const DEFAULT_POLL_MS = 5_000;

/** Service and replicant jobs of the org, as the SDK's `Jobs`. */
export class JobsApi {
  private readonly root: string;

  constructor(
    private readonly transport: LcTransport,
    oid: string,
  ) {
    this.root = `job/${oid}`;
  }

  /** Jobs of the time range, decoded from the compressed answer the SDK asks for. */
  async list(options: JobListOptions = {}): Promise<LcJob[]> {
    const now = Math.trunc(Date.now() / 1000);
    const limit = positiveLimit('jobs.list', options.limit);
    if (options.sid !== undefined) assertUuid('sid', options.sid);
    // Query order of the SDK's get_jobs: is_compressed, with_data, start, end, limit, sid.
    const query = {
      is_compressed: 'true',
      with_data: 'false',
      start: epochSeconds('jobs.list start', options.start ?? now - DAY_SECONDS),
      end: epochSeconds('jobs.list end', options.end ?? now),
      limit: limit === undefined ? undefined : String(limit),
      sid: options.sid,
    };
    const body = expectRecord(
      await this.transport.call('jobs.list', 'GET', this.root, undefined, { query }),
      'GET',
      this.root,
    );
    if (body.jobs === undefined || body.jobs === '') return [];
    const jobs = inflateJobs(body.jobs, this.root, this.transport.maxResponseBytes);
    return Object.values(jobs).filter(isRecord) as LcJob[];
  }

  /** A missing job is HTTP 404. */
  async get(jobId: string): Promise<LcJob> {
    const path = this.jobPath(jobId);
    return expectRecord(await this.transport.call('jobs.get', 'GET', path), 'GET', path) as LcJob;
  }

  async delete(jobId: string): Promise<void> {
    await this.transport.call('jobs.delete', 'DELETE', this.jobPath(jobId));
  }

  /**
   * Polls `get` until the job is done (`is_done` or `completed`) and returns it. After `timeoutMs`
   * it returns the job as it then is, as the SDK does, so check `is_done`; the client's deadline
   * ends the wait with an `LcApiError` of kind `deadline`.
   */
  async wait(jobId: string, options: JobWaitOptions = {}): Promise<LcJob> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    if (!(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      throw new TypeError('jobs.wait timeoutMs must be a non-negative number');
    }
    if (!(Number.isFinite(pollMs) && pollMs > 0)) {
      throw new TypeError('jobs.wait pollIntervalMs must be a positive number');
    }
    const giveUpAt = performance.now() + timeoutMs;
    for (;;) {
      const job = await this.get(jobId);
      const left = giveUpAt - performance.now();
      if (job.is_done === true || job.completed === true || left <= 0) return job;
      if (!(await abortableSleep(Math.min(pollMs, left), this.transport.signal))) {
        throw new LcApiError(`LimaCharlie job ${jobId} wait aborted: the request deadline passed`, {
          kind: 'deadline',
          status: 0,
          method: 'GET',
          path: this.jobPath(jobId),
          retryable: true,
        });
      }
    }
  }

  private jobPath(jobId: string): string {
    if (typeof jobId !== 'string' || jobId === '') {
      throw new TypeError('job id must be a non-empty string');
    }
    return `${this.root}/${pathSegment(jobId)}`;
  }
}

/**
 * The API sends the jobs as base64 of gzip of a JSON map by job id; the SDK keeps the values. The
 * inflated size is bounded like any answer.
 */
function inflateJobs(value: unknown, path: string, maxBytes: number): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (typeof value !== 'string')
    throw unexpectedShape('GET', path, '`jobs` as compressed data', value);
  let decoded: unknown;
  try {
    const json = gunzipSync(Buffer.from(value, 'base64'), { maxOutputLength: maxBytes });
    decoded = JSON.parse(json.toString('utf8'));
  } catch (cause) {
    const reason =
      cause instanceof RangeError ? `inflates past ${maxBytes} bytes` : 'is not gzip+base64 JSON';
    throw unexpectedShape('GET', path, `\`jobs\` as compressed data (it ${reason})`, undefined);
  }
  if (!isRecord(decoded))
    throw unexpectedShape('GET', path, '`jobs` to hold a map by job id', decoded);
  return decoded;
}
