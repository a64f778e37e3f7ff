import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What a tracked task carries to its callback, through the sensor and back. */
export interface LcTrackedTask {
  /** The `@LcTaskCallback` name. */
  callback: string;
  /** Id of the job the callback continues, if any. */
  jobId?: string;
  /** JSON-able context handed to the callback. */
  ctx?: unknown;
}

export type LcDecodedTask = { ok: true; task: LcTrackedTask } | { ok: false; reason: string };

/** A task that cannot be tracked: bad callback name, ctx too large. Thrown at task time. */
export class LcTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LcTaskError';
  }
}

/** Where a tracked task was sent: its id is accepted in replies from that org and sensor only. */
export interface LcTaskTarget {
  oid: string;
  sid: string;
}

/** Where a reply says it comes from (the call's oid, the detection's sid), either possibly absent. */
export interface LcReplyOrigin {
  oid: string | undefined;
  sid: string | undefined;
}

/** Bytes of ctx JSON allowed in an id; ids travel in every event of the task's replies. */
export const MAX_CTX_BYTES = 512;
const MAC_BYTES = 16;
const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Callback names and job ids travel in ids between '/' separators: this charset only. */
export function isTrackedTaskName(value: unknown): value is string {
  return typeof value === 'string' && NAME.test(value);
}
const B64URL = /^[A-Za-z0-9_-]*$/;
/** Issue time: epoch seconds in base36, 6 characters until 2038 and 7 for millennia after. */
const ISSUED = /^[0-9a-z]{1,8}$/;

/**
 * Encodes and authenticates tracked-task investigation ids:
 * `svc-<service>-ex/<callback>/<jobId>/<base64url(ctx JSON)>/<issued>/<base64url(mac)>`.
 * The MAC is 128 bits of HMAC-SHA256 over everything before it and over the oid and sid the task
 * was sent to, under a key derived from the shared secret (HKDF, so the webhook signing key itself
 * never signs ids): without the secret nobody can make an id, nor change its callback, job, ctx
 * or issue time, and an id carried into another org or sensor's events fails to verify there.
 * The oid and sid stay out of the id: the reply's own routing supplies them. The RI used 32 bits
 * of md5 over the callback alone.
 */
export class InvestigationIdCodec {
  readonly prefix: string;
  private readonly keys: Buffer[];

  constructor(
    serviceName: string,
    secrets: readonly string[],
    private readonly ttlSeconds: number,
  ) {
    if (secrets.length === 0) throw new LcTaskError('tracked tasking needs a shared secret');
    this.prefix = `svc-${serviceName}-ex/`;
    this.keys = secrets.map((secret) =>
      Buffer.from(
        hkdfSync('sha256', secret, 'nestjs-lc-service', `interactive-id/v2/${serviceName}`, 32),
      ),
    );
  }

  encode(task: LcTrackedTask, target: LcTaskTarget): string {
    if (!NAME.test(task.callback)) {
      throw new LcTaskError(
        `callback name ${JSON.stringify(task.callback)} must match ${NAME.source}`,
      );
    }
    const jobId = task.jobId ?? '';
    if (jobId !== '' && !NAME.test(jobId)) {
      throw new LcTaskError(`job id ${JSON.stringify(jobId)} must match ${NAME.source}`);
    }
    let ctx = '';
    if (task.ctx !== undefined) {
      const json = JSON.stringify(task.ctx);
      if (json === undefined) throw new LcTaskError('ctx must be a JSON-able value');
      const bytes = Buffer.from(json, 'utf8');
      if (bytes.length > MAX_CTX_BYTES) {
        throw new LcTaskError(
          `ctx is ${bytes.length} bytes of JSON; at most ${MAX_CTX_BYTES} fit in an investigation id. Keep large state elsewhere (a job, a store) and pass its key.`,
        );
      }
      ctx = bytes.toString('base64url');
    }
    const issued = Math.floor(Date.now() / 1000).toString(36);
    const body = `${this.prefix}${task.callback}/${jobId}/${ctx}/${issued}`;
    return `${body}/${this.mac(this.keys[0], body, target.oid, target.sid).toString('base64url')}`;
  }

  /** True when the id is ours to route (possibly forged: `decode` decides). */
  owns(investigationId: string): boolean {
    return investigationId.startsWith(this.prefix);
  }

  decode(investigationId: string, origin: LcReplyOrigin): LcDecodedTask {
    if (!this.owns(investigationId))
      return { ok: false, reason: 'not a tracked-task id of this service' };
    const parts = investigationId.slice(this.prefix.length).split('/');
    if (parts.length !== 5) return { ok: false, reason: 'malformed tracked-task id' };
    const [callback, jobId, ctx, issued, mac] = parts;
    if (
      !NAME.test(callback) ||
      (jobId !== '' && !NAME.test(jobId)) ||
      !B64URL.test(ctx) ||
      !ISSUED.test(issued) ||
      !B64URL.test(mac)
    ) {
      return { ok: false, reason: 'malformed tracked-task id' };
    }
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== MAC_BYTES || given.toString('base64url') !== mac) {
      return { ok: false, reason: 'malformed tracked-task id' };
    }
    const body = investigationId.slice(0, investigationId.length - mac.length - 1);
    const oid = origin.oid ?? '';
    const sid = origin.sid ?? '';
    let valid = false;
    for (const key of this.keys) {
      if (timingSafeEqual(this.mac(key, body, oid, sid), given)) valid = true;
    }
    if (!valid) {
      return {
        ok: false,
        reason:
          'tracked-task id failed authentication: altered, or not from the org and sensor its task was sent to',
      };
    }
    const age = Math.floor(Date.now() / 1000) - parseInt(issued, 36);
    if (age > this.ttlSeconds) {
      return {
        ok: false,
        reason: `tracked-task id expired: its task was sent ${age} s ago, more than interactive.ttlSeconds (${this.ttlSeconds})`,
      };
    }
    const task: LcTrackedTask = { callback };
    if (jobId !== '') task.jobId = jobId;
    if (ctx !== '') {
      try {
        task.ctx = JSON.parse(Buffer.from(ctx, 'base64url').toString('utf8'));
      } catch {
        return { ok: false, reason: 'malformed tracked-task ctx' };
      }
    }
    return { ok: true, task };
  }

  /**
   * Minted oids and sids are UUIDs, which hold no newline: the input splits one way only.
   * Lowercased: the case of a UUID names no other org or sensor.
   */
  private mac(key: Buffer, body: string, oid: string, sid: string): Buffer {
    return createHmac('sha256', key)
      .update(body)
      .update('\n')
      .update(oid.toLowerCase())
      .update('\n')
      .update(sid.toLowerCase())
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
