import { pyJsonDumps } from './py-json.js';
import type { LcTransport } from './http.js';
import { expectRecord } from './response.js';
import { assertUuid } from './validation.js';

export interface YaraScanOptions {
  /** Seconds the scan may run; sent only when given (and not 0), as the SDK. */
  timeout?: number;
}

export interface YaraRuleOptions {
  /** Only sensors with one of these tags; left out when empty. */
  tags?: readonly string[];
  /** Only these platforms; left out when empty. */
  platforms?: readonly string[];
}

/** The service's answer, as sent. */
export type YaraAnswer = Record<string, unknown>;

/**
 * YARA scanning rules, rule sources and ad-hoc scans, through the `yara` service as the SDK's
 * `Yara`: each call is `POST service/{oid}/yara` with the action in `request_data`.
 */
export class YaraApi {
  private readonly path: string;

  constructor(
    private readonly transport: LcTransport,
    oid: string,
  ) {
    this.path = `service/${oid}/yara`;
  }

  /** An ad-hoc scan of the sensor with `rule` (YARA source). */
  scan(sid: string, rule: string, options: YaraScanOptions = {}): Promise<YaraAnswer> {
    assertUuid('sid', sid);
    const timeout = options.timeout;
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout >= 0)) {
      throw new TypeError('yara.scan timeout must be a non-negative number of seconds');
    }
    return this.request('yara.scan', {
      action: 'scan',
      sid,
      rule: requireText('rule', rule),
      // py: `if timeout:` then `str(timeout)`.
      timeout: timeout ? String(timeout) : undefined,
    });
  }

  listRules(): Promise<YaraAnswer> {
    return this.request('yara.listRules', { action: 'list_rules' });
  }

  /** `sources` name the rule sources the rule scans with; they travel as JSON text. */
  addRule(
    name: string,
    sources: readonly string[],
    options: YaraRuleOptions = {},
  ): Promise<YaraAnswer> {
    if (!Array.isArray(sources))
      throw new TypeError('yara.addRule sources must be a list of names');
    const { tags, platforms } = options;
    return this.request('yara.addRule', {
      action: 'add_rule',
      name: requireText('name', name),
      sources: pyJsonDumps(sources),
      tags: tags && tags.length > 0 ? pyJsonDumps(tags) : undefined,
      platforms: platforms && platforms.length > 0 ? pyJsonDumps(platforms) : undefined,
    });
  }

  deleteRule(name: string): Promise<YaraAnswer> {
    return this.request('yara.deleteRule', {
      action: 'remove_rule',
      name: requireText('name', name),
    });
  }

  listSources(): Promise<YaraAnswer> {
    return this.request('yara.listSources', { action: 'list_sources' });
  }

  getSource(name: string): Promise<YaraAnswer> {
    return this.request('yara.getSource', {
      action: 'get_source',
      name: requireText('name', name),
    });
  }

  /** `source` is the YARA text itself. */
  addSource(name: string, source: string): Promise<YaraAnswer> {
    return this.request('yara.addSource', {
      action: 'add_source',
      name: requireText('name', name),
      source: requireText('source', source),
    });
  }

  deleteSource(name: string): Promise<YaraAnswer> {
    return this.request('yara.deleteSource', {
      action: 'remove_source',
      name: requireText('name', name),
    });
  }

  /**
   * The SDK's `service_request`: form `request_data` (base64 of `json.dumps(data)`) and `is_async`
   * (py's `False`, as urlencode writes it).
   */
  private async request(operation: string, data: Record<string, unknown>): Promise<YaraAnswer> {
    const requestData = Buffer.from(pyJsonDumps(data), 'utf8').toString('base64');
    const body = await this.transport.call(operation, 'POST', this.path, {
      request_data: requestData,
      is_async: 'False',
    });
    return expectRecord(body, 'POST', this.path);
  }
}

function requireText(name: string, value: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`yara ${name} must be a non-empty string`);
  }
  return value;
}
