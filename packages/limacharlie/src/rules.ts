import { LcApiError } from './errors.js';
import type { LcTransport } from './http.js';
import { effectivePermissions, fetchWhoAmI } from './identity.js';
import { pyJsonDumps, pyQuote } from './py-json.js';
import { expectRecord, isRecord, unexpectedShape } from './response.js';
import { parseRuleSet, syncRules, type RuleSetInput } from './rules-sync.js';
import type {
  DrNamespace,
  DrRule,
  DrRuleContent,
  DrRuleDeleteOptions,
  DrRuleHiveOptions,
  DrRuleRecord,
  DrRuleSetOptions,
  DrRuleWriteResult,
  RuleSyncOptions,
  RuleSyncResult,
} from './types.js';

function isMissingRecord(err: unknown): boolean {
  return (
    err instanceof LcApiError &&
    err.kind === 'http' &&
    (err.status === 404 || err.code?.includes('RECORD_NOT_FOUND') === true)
  );
}

/** D&R rules through the legacy `rules/{oid}` endpoint that lc-service and `Sync.pushRules` use. */
export class RulesApi {
  private readonly path: string;

  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {
    this.path = `rules/${oid}`;
  }

  /** Rules of one namespace keyed by name; the API defaults to `general`. */
  async list(namespace?: DrNamespace): Promise<Record<string, DrRule>> {
    const body = await this.transport.call('rules.list', 'GET', this.path, { namespace });
    return expectRecord(body, 'GET', this.path) as Record<string, DrRule>;
  }

  /** Wire names are `detection`/`response` (JSON strings), not `detect`/`respond`. */
  async set(
    name: string,
    rule: DrRuleContent,
    options: DrRuleSetOptions = {},
  ): Promise<DrRuleWriteResult> {
    const { ttl } = options;
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) {
      throw new TypeError('rule ttl must be a positive integer number of seconds');
    }
    const body = await this.transport.call('rules.set', 'POST', this.path, {
      name,
      is_replace: options.replace ?? false,
      detection: JSON.stringify(rule.detect),
      response: JSON.stringify(rule.respond),
      is_enabled: options.enabled ?? true,
      expire_on: ttl === undefined ? undefined : Math.floor(Date.now() / 1000) + ttl,
      namespace: options.namespace,
    });
    return expectRecord(body, 'POST', this.path) as DrRuleWriteResult;
  }

  /**
   * Deleting a missing rule fails with an error whose `code` contains `RECORD_NOT_FOUND`; with
   * `missingOk` it resolves, since the rule is gone either way (a retried uninstall, two replicas).
   */
  async delete(name: string, options: DrRuleDeleteOptions = {}): Promise<void> {
    try {
      await this.transport.call('rules.delete', 'DELETE', this.path, {
        name,
        namespace: options.namespace,
      });
    } catch (err) {
      if (options.missingOk !== true || !isMissingRecord(err)) throw err;
    }
  }

  /**
   * Make the org's rules match `rules` with py `Sync.pushRules` semantics (reference §3): probe
   * the listable namespaces with one `GET who`, skip rules whose canonical detect/respond and
   * namespace already match, move a rule by deleting it from its old namespace first, and with
   * `force` delete rules absent from the set except `__*` ones. The first API error aborts the
   * sync; writes already made stay. `rules` is a `{name: {detect, respond, namespace?}}` map,
   * the same wrapped as `{rules: {...}}`, or YAML text of either; it is validated before any call.
   */
  async sync(rules: RuleSetInput, options: RuleSyncOptions = {}): Promise<RuleSyncResult> {
    const desired = parseRuleSet(rules);
    const who = await fetchWhoAmI(this.transport);
    return syncRules(this, effectivePermissions(who, this.oid), desired, options);
  }

  /**
   * The rule's Hive record in `dr-{namespace}` (limacharlie/sdk/dr_rules.py), or null when there
   * is none: `data` holds `detect`/`respond`, `usr_mtd` the enabled flag and expiry, `sys_mtd` the etag.
   */
  async get(name: string, options: DrRuleHiveOptions = {}): Promise<DrRuleRecord | null> {
    const path = `${hivePath(options.namespace, this.oid, name)}/data`;
    let body: unknown;
    try {
      body = await this.transport.call('rules.get', 'GET', path);
    } catch (err) {
      if (err instanceof LcApiError && err.kind === 'http' && err.status === 404) return null;
      throw err;
    }
    const record = expectRecord(body, 'GET', path);
    const data = typeof record.data === 'string' ? parseJson(record.data) : record.data;
    if (!isRecord(data)) throw unexpectedShape('GET', path, 'a `data` object', body);
    return {
      data: data as DrRuleRecord['data'],
      usr_mtd: isRecord(record.usr_mtd) ? record.usr_mtd : {},
      sys_mtd: isRecord(record.sys_mtd) ? record.sys_mtd : {},
    };
  }

  /**
   * Writes the rule's `detect`/`respond` to its Hive record, creating it if needed (py's
   * `DRRules.update`, an alias of `create`); the record's metadata is left as it is.
   */
  async update(
    name: string,
    rule: DrRuleContent,
    options: DrRuleHiveOptions = {},
  ): Promise<DrRuleWriteResult> {
    const path = `${hivePath(options.namespace, this.oid, name)}/data`;
    const body = await this.transport.call('rules.update', 'POST', path, {
      data: pyJsonDumps(rule),
    });
    return expectRecord(body, 'POST', path) as DrRuleWriteResult;
  }
}

function hivePath(namespace: DrNamespace | undefined, oid: string, name: string): string {
  return `hive/dr-${namespace || 'general'}/${oid}/${pyQuote(name)}`;
}

/** The Hive may hand `data` over as JSON text; py parses it the same way. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
