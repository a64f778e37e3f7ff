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

function find(
  resources: ReadonlyMap<string, LcResourceRecord>,
  name: string,
  referencePrefix: string,
): LcResourceRecord | undefined {
  return resources.get(
    name.startsWith(referencePrefix) ? name.slice(referencePrefix.length) : name,
  );
}

/** How D&R rules and outputs reference the service's resources: `lcr://service/<serviceName>/<name>`. */
export function resourceReferencePrefix(serviceName: string): string {
  return `lcr://service/${serviceName}/`;
}

/**
 * Answers `get_resource`. `resource` is one name or a list (a batch); LimaCharlie sends the bare
 * name, and the full `lcr://service/<serviceName>/<name>` reference the docs show is accepted too
 * (`referencePrefix` is `resourceReferencePrefix(serviceName)`, computed once). `is_include_data:
 * true` adds the base64 content; without it the answer is the hash and category only, which is
 * how LimaCharlie checks whether its cached copy is current. A missing name is a permanent
 * failure, not the RI's crash-and-retry.
 */
export function answerGetResource(
  resources: ReadonlyMap<string, LcResourceRecord>,
  data: Record<string, unknown>,
  referencePrefix: string,
): LcWireResponse {
  const requested = data.resource;
  const flag = data.is_include_data;
  if (flag !== undefined && typeof flag !== 'boolean') {
    return failure(
      'invalid parameter is_include_data: expected true (hash, category and content) or false (hash and category)',
      false,
    );
  }
  const includeData = flag === true;
  if (typeof requested === 'string') {
    const record = find(resources, requested, referencePrefix);
    if (record === undefined) return failure(RESOURCE_NOT_AVAILABLE, false);
    return { success: true, data: view(record, includeData) };
  }
  if (Array.isArray(requested) && requested.every((name) => typeof name === 'string')) {
    const missing = requested.filter(
      (name) => find(resources, name, referencePrefix) === undefined,
    );
    if (missing.length > 0) {
      return { success: false, retry: false, data: { missing }, error: RESOURCE_NOT_AVAILABLE };
    }
    const out: Record<string, Record<string, string>> = {};
    for (const name of requested)
      out[name] = view(find(resources, name, referencePrefix)!, includeData);
    return { success: true, data: { resources: out } };
  }
  return failure(
    'invalid parameter resource: expected a resource name (or lcr://service/<serviceName>/<name>) or a list of them',
    false,
  );
}
