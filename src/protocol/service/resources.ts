import { createHash } from 'node:crypto';
import { failure, LcWireResponse, RESOURCE_NOT_AVAILABLE } from './response.js';

/** What `get_resource` answers for one resource, in the RI's field names. */
export interface LcResourceRecord {
  hash: string;
  res_cat: string;
  res_data: string;
}

/** Resource content: text, bytes, or a JSON-able value serialised as JSON. */
export type LcResourceContent = string | Buffer | Uint8Array | object;

/** Hash and encode once, when published, so answering `get_resource` does no work per call. */
export function encodeResource(category: string, content: LcResourceContent): LcResourceRecord {
  let bytes: Buffer;
  if (typeof content === 'string') bytes = Buffer.from(content, 'utf8');
  else if (content instanceof Uint8Array) bytes = Buffer.from(content);
  else bytes = Buffer.from(JSON.stringify(content), 'utf8');
  return {
    hash: createHash('sha256').update(bytes).digest('hex'),
    res_cat: category,
    res_data: bytes.toString('base64'),
  };
}

function view(record: LcResourceRecord, includeData: boolean): Record<string, string> {
  return includeData
    ? { hash: record.hash, res_cat: record.res_cat, res_data: record.res_data }
    : { hash: record.hash, res_cat: record.res_cat };
}

/**
 * Answers `get_resource`: `resource` is one name or a list (a batch), `is_include_data` adds the
 * base64 content. A missing name is a permanent failure, not the RI's crash-and-retry.
 */
export function answerGetResource(
  resources: ReadonlyMap<string, LcResourceRecord>,
  data: Record<string, unknown>,
): LcWireResponse {
  const requested = data.resource;
  const includeData = data.is_include_data === true;
  if (typeof requested === 'string') {
    const record = resources.get(requested);
    if (record === undefined) return failure(RESOURCE_NOT_AVAILABLE, false);
    return { success: true, data: view(record, includeData) };
  }
  if (Array.isArray(requested) && requested.every((name) => typeof name === 'string')) {
    const missing = requested.filter((name) => !resources.has(name));
    if (missing.length > 0) {
      return { success: false, retry: false, data: { missing }, error: RESOURCE_NOT_AVAILABLE };
    }
    const out: Record<string, Record<string, string>> = {};
    for (const name of requested) out[name] = view(resources.get(name)!, includeData);
    return { success: true, data: { resources: out } };
  }
  return failure('invalid parameter resource: expected a resource name or a list of names', false);
}
