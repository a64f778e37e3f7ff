/** What a handler may put in `jobs`: a `Job`, or anything that serialises itself the same way. */
export interface LcJobLike {
  toJSON(): unknown;
}

export interface LcResponseInit {
  success?: boolean;
  retry?: boolean;
  data?: Record<string, unknown>;
  error?: string;
  jobs?: LcJobLike[];
}

/** The JSON body LimaCharlie reads, in the RI's shape (§1.4 of the protocol notes). */
export interface LcWireResponse {
  success: boolean;
  retry?: boolean;
  data: unknown;
  error?: string;
  jobs?: unknown[];
}

/** A full response, returned by a handler to control every field. Build it with `lcResponse()`. */
export class LcResponse {
  readonly success: boolean;
  readonly retry: boolean;
  readonly data: Record<string, unknown>;
  readonly error: string | undefined;
  readonly jobs: LcJobLike[];

  constructor(init: LcResponseInit = {}) {
    this.success = init.success ?? true;
    this.retry = init.retry ?? false;
    // A fresh object per response: the RI's shared `data={}` default leaked between calls.
    this.data = init.data ?? {};
    this.error = init.error;
    this.jobs = init.jobs ?? [];
  }
}

/** `success` defaults to true, `retry` to false, `data` to `{}`. */
export function lcResponse(init: LcResponseInit = {}): LcResponse {
  return new LcResponse(init);
}

/**
 * The RI's wire shape: `success` and `data` always, `retry` only on failure, `error` only when set,
 * `jobs` only when there are some. A job that cannot serialise (a new job with no cause) throws here.
 */
export function toWire(response: LcResponseInit): LcWireResponse {
  const success = response.success ?? true;
  const wire: LcWireResponse = { success, data: response.data ?? {} };
  if (!success) wire.retry = response.retry ?? false;
  if (response.error !== undefined) wire.error = String(response.error);
  if (response.jobs !== undefined && response.jobs.length > 0) {
    wire.jobs = response.jobs.map((job) => job.toJSON());
  }
  return wire;
}

/** A failure the module itself answers. `inData` also puts the message in `data.error`, where the RI did. */
export function failure(error: string, retry: boolean, inData = false): LcWireResponse {
  return { success: false, retry, data: inData ? { error } : {}, error };
}

export const NOT_IMPLEMENTED = 'not implemented';
export const UNSUPPORTED_VERSION = 'unsupported version (> 1)';
export const DEADLINE_EXCEEDED = 'deadline exceeded';
export const RESOURCE_NOT_AVAILABLE = 'resource not available';
