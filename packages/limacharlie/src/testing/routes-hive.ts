import { randomBytes, randomUUID } from 'node:crypto';

import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import type { FakeStore } from './state.js';
import type { FakeHiveRecord } from './types.js';

const SEGMENT = '([^/]+)';
const RECORD = `^hive/${SEGMENT}/${SEGMENT}/${SEGMENT}`;

type UsrMtd = FakeHiveRecord['usr_mtd'];

/** `usr_mtd` fields a write may carry; the others keep their value. */
export type HiveMtdPatch = Partial<UsrMtd>;

/**
 * Creates or replaces a record with a fresh etag, as every hive write does. `data` undefined keeps
 * the record's content (a metadata write).
 */
export function writeHiveRecord(
  records: Map<string, FakeHiveRecord>,
  key: string,
  data: Record<string, unknown> | undefined,
  mtd: HiveMtdPatch,
  author: string,
): FakeHiveRecord {
  const now = Date.now();
  const prior = records.get(key);
  const record: FakeHiveRecord = {
    data: structuredClone(data ?? prior?.data ?? {}),
    usr_mtd: {
      enabled: false,
      expiry: 0,
      tags: [],
      comment: '',
      ...prior?.usr_mtd,
      ...structuredClone(mtd),
    },
    sys_mtd: {
      etag: randomBytes(16).toString('hex'),
      created_at: prior?.sys_mtd.created_at ?? now,
      created_by: prior?.sys_mtd.created_by ?? author,
      guid: prior?.sys_mtd.guid ?? randomUUID(),
      last_author: author,
      last_mod: now,
      last_error: '',
      last_error_ts: 0,
    },
  };
  records.set(key, record);
  return record;
}

export const hiveRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^hive/${SEGMENT}/${SEGMENT}$`),
    handle: (ctx) => Object.fromEntries(partition(ctx, 'list').records),
  },
  {
    method: 'GET',
    pattern: new RegExp(`${RECORD}/data$`),
    handle: (ctx) => existing(ctx, partition(ctx, 'get').records),
  },
  {
    method: 'GET',
    pattern: new RegExp(`${RECORD}/mtd$`),
    handle: (ctx) => ({ ...existing(ctx, partition(ctx, 'get.mtd').records), data: {} }),
  },
  {
    method: 'POST',
    pattern: new RegExp(`${RECORD}/data$`),
    handle: (ctx) => {
      const { hive, records } = partition(ctx, 'set');
      const key = recordKey(ctx);
      checkEtag(ctx, records.get(key));
      const data = jsonObject(ctx, 'data');
      const arl = ctx.param('arl');
      if (data === undefined && (arl === undefined || arl === '')) {
        throw errorReply(400, 'missing parameter: data');
      }
      writeHiveRecord(records, key, data, usrMtd(ctx), ctx.token.ident);
      return written(ctx, hive, key);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`${RECORD}/mtd$`),
    handle: (ctx) => {
      const { hive, records } = partition(ctx, 'set.mtd');
      const key = recordKey(ctx);
      const prior = existing(ctx, records);
      checkEtag(ctx, prior);
      writeHiveRecord(records, key, undefined, usrMtd(ctx), ctx.token.ident);
      return written(ctx, hive, key);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`${RECORD}/rename$`),
    handle: (ctx) => {
      const { hive, records } = partition(ctx, 'set');
      const key = recordKey(ctx);
      const record = existing(ctx, records);
      const to = ctx.param('new_name');
      if (to === undefined || to === '') throw errorReply(400, 'missing parameter: new_name');
      if (records.has(to)) {
        throw errorReply(409, `RECORD_ALREADY_EXISTS: ${hive}/${to} already exists`);
      }
      records.delete(key);
      records.set(to, record);
      writeHiveRecord(records, to, undefined, {}, ctx.token.ident);
      return written(ctx, hive, to);
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`${RECORD}$`),
    handle: (ctx) => {
      const { records } = partition(ctx, 'del');
      existing(ctx, records);
      records.delete(recordKey(ctx));
      return {};
    },
  },
];

function partition(
  ctx: RouteContext,
  op: string,
): { hive: string; records: Map<string, FakeHiveRecord> } {
  const hive = decodeURIComponent(ctx.match[0]);
  const oid = ctx.org(decodeURIComponent(ctx.match[1])).oid;
  const records = ctx.store.hive(oid, hive);
  if (!records) throw errorReply(404, `UNKNOWN_HIVE: ${hive}`);
  ctx.require(`${hive}.${op}`);
  return { hive, records };
}

function recordKey(ctx: RouteContext): string {
  return decodeURIComponent(ctx.match[2]);
}

function existing(ctx: RouteContext, records: Map<string, FakeHiveRecord>): FakeHiveRecord {
  const key = recordKey(ctx);
  const record = records.get(key);
  if (!record) throw errorReply(404, `RECORD_NOT_FOUND: ${key}`);
  return record;
}

/** A write that names an etag must name the record's current one, the record existing. */
function checkEtag(ctx: RouteContext, record: FakeHiveRecord | undefined): void {
  const etag = ctx.param('etag');
  if (etag === undefined) return;
  if (record?.sys_mtd.etag !== etag) {
    throw errorReply(409, 'ETAG_MISMATCH: the record changed since this etag was read');
  }
}

function written(ctx: RouteContext, hive: string, key: string): unknown {
  return { guid: randomUUID(), hive: { name: hive, partition: ctx.token.oid }, name: key };
}

function jsonObject(ctx: RouteContext, field: string): Record<string, unknown> | undefined {
  const text = ctx.param(field);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw errorReply(400, `invalid JSON in ${field}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw errorReply(400, `${field} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function usrMtd(ctx: RouteContext): HiveMtdPatch {
  const raw = jsonObject(ctx, 'usr_mtd');
  if (!raw) return {};
  const patch: HiveMtdPatch = {};
  if ('enabled' in raw) {
    if (typeof raw.enabled !== 'boolean')
      throw errorReply(400, 'usr_mtd.enabled must be a boolean');
    patch.enabled = raw.enabled;
  }
  if ('expiry' in raw) {
    if (!Number.isSafeInteger(raw.expiry) || (raw.expiry as number) < 0) {
      throw errorReply(400, 'usr_mtd.expiry must be epoch milliseconds');
    }
    patch.expiry = raw.expiry as number;
  }
  if ('tags' in raw) {
    if (!Array.isArray(raw.tags) || !raw.tags.every((t) => typeof t === 'string')) {
      throw errorReply(400, 'usr_mtd.tags must be a list of strings');
    }
    patch.tags = raw.tags as string[];
  }
  if ('comment' in raw) {
    if (typeof raw.comment !== 'string') throw errorReply(400, 'usr_mtd.comment must be a string');
    patch.comment = raw.comment;
  }
  if ('ui_actions' in raw) {
    if (!Array.isArray(raw.ui_actions)) throw errorReply(400, 'usr_mtd.ui_actions must be a list');
    patch.ui_actions = raw.ui_actions as unknown[];
  }
  return patch;
}

/** For the test-facing API: the records of one org's hive, or a clear error. */
export function hiveOf(store: FakeStore, oid: string, hive: string): Map<string, FakeHiveRecord> {
  const records = store.hive(oid, hive);
  if (!records) throw new Error(`fake LimaCharlie: unknown hive ${hive}`);
  return records;
}
