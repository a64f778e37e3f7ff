import type { LcTransport } from './http.js';
import { pyJsonDumps } from './py-json.js';
import { expectRecord, isRecord } from './response.js';

/** A rule of the logging, integrity or exfil service, as the service lists it. */
export interface ServiceRule {
  patterns?: string[];
  tags?: string[];
  platforms?: string[];
  [key: string]: unknown;
}

/** `list_rules` of a rules service: rules keyed by name (exfil splits them into `events` and `watch`). */
export type ServiceRules = Record<string, unknown>;

/** A service's answer to a change: passed through as the API sends it. */
export type ServiceAnswer = Record<string, unknown>;

export interface LoggingRuleOptions {
  tags?: string[];
  platforms?: string[];
  retentionDays?: number;
  /** Delete the file on the endpoint once collected. */
  deleteAfter?: boolean;
}

export interface IntegrityRuleOptions {
  tags?: string[];
  platforms?: string[];
}

export interface ExfilWatchOptions {
  tags?: string[];
  platforms?: string[];
}

/**
 * `POST service/{oid}/{name}` as Organization.service_request in limacharlie/sdk/organization.py
 * sends it: the JSON request base64-encoded in `request_data`, and `is_async` as Python's
 * `str(False)` (py urlencodes the bool itself, so the API receives `False`).
 */
async function serviceRequest(
  transport: LcTransport,
  operation: string,
  oid: string,
  service: string,
  data: Record<string, unknown>,
): Promise<ServiceAnswer> {
  const path = `service/${oid}/${service}`;
  const answer = await transport.call(operation, 'POST', path, {
    request_data: Buffer.from(pyJsonDumps(data)).toString('base64'),
    is_async: 'False',
  });
  return expectRecord(answer, 'POST', path);
}

/** Lists then picks, as py's `get` does: the services have no per-rule read. */
function pick(rules: ServiceRules, name: string): ServiceRule | undefined {
  const rule = Object.hasOwn(rules, name) ? rules[name] : undefined;
  return isRecord(rule) ? (rule as ServiceRule) : undefined;
}

/** Only set, non-empty filters travel: py drops empty lists and unset options. */
function withFilters(
  params: Record<string, unknown>,
  options: { tags?: string[]; platforms?: string[] },
): Record<string, unknown> {
  if (options.tags?.length) params.tags = options.tags;
  if (options.platforms?.length) params.platforms = options.platforms;
  return params;
}

/** File and log collection rules of the `logging` service; limacharlie/sdk/logging_rules.py. */
export class LoggingRulesApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  list(): Promise<ServiceRules> {
    return serviceRequest(this.transport, 'loggingRules.list', this.oid, 'logging', {
      action: 'list_rules',
    });
  }

  /** `undefined` when no rule has that name. */
  async get(name: string): Promise<ServiceRule | undefined> {
    return pick(await this.list(), name);
  }

  create(
    name: string,
    patterns: string[],
    options: LoggingRuleOptions = {},
  ): Promise<ServiceAnswer> {
    const params = withFilters({ action: 'add_rule', name, patterns }, options);
    // py sends these two as strings, and only when truthy.
    if (options.retentionDays) params.days_retention = String(options.retentionDays);
    if (options.deleteAfter) params.is_delete_after = 'true';
    return serviceRequest(this.transport, 'loggingRules.create', this.oid, 'logging', params);
  }

  delete(name: string): Promise<ServiceAnswer> {
    return serviceRequest(this.transport, 'loggingRules.delete', this.oid, 'logging', {
      action: 'remove_rule',
      name,
    });
  }
}

/** File and registry integrity monitoring rules of the `integrity` service; limacharlie/sdk/integrity.py. */
export class IntegrityApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  list(): Promise<ServiceRules> {
    return serviceRequest(this.transport, 'integrity.list', this.oid, 'integrity', {
      action: 'list_rules',
    });
  }

  /** `undefined` when no rule has that name. */
  async get(name: string): Promise<ServiceRule | undefined> {
    return pick(await this.list(), name);
  }

  create(
    name: string,
    patterns: string[],
    options: IntegrityRuleOptions = {},
  ): Promise<ServiceAnswer> {
    return serviceRequest(
      this.transport,
      'integrity.create',
      this.oid,
      'integrity',
      withFilters({ action: 'add_rule', name, patterns }, options),
    );
  }

  delete(name: string): Promise<ServiceAnswer> {
    return serviceRequest(this.transport, 'integrity.delete', this.oid, 'integrity', {
      action: 'remove_rule',
      name,
    });
  }
}

/** Exfil prevention: event rules and watches of the `exfil` service; limacharlie/sdk/exfil.py. */
export class ExfilApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  list(): Promise<ServiceRules> {
    return serviceRequest(this.transport, 'exfil.list', this.oid, 'exfil', {
      action: 'list_rules',
    });
  }

  /**
   * Sends events whose value at `path` compares to `value` with `operator`. A string `path` is
   * split on `/`, as py does.
   */
  createWatch(
    name: string,
    watch: { event: string; value: string; operator: string; path: string | string[] },
    options: ExfilWatchOptions = {},
  ): Promise<ServiceAnswer> {
    const params = withFilters(
      {
        action: 'add_watch',
        name,
        event: watch.event,
        value: watch.value,
        operator: watch.operator,
        path: typeof watch.path === 'string' ? watch.path.split('/') : watch.path,
      },
      options,
    );
    return serviceRequest(this.transport, 'exfil.createWatch', this.oid, 'exfil', params);
  }

  /** Sends every event of these types to the cloud. */
  createEvent(
    name: string,
    events: string[],
    options: ExfilWatchOptions = {},
  ): Promise<ServiceAnswer> {
    return serviceRequest(
      this.transport,
      'exfil.createEvent',
      this.oid,
      'exfil',
      withFilters({ action: 'add_event_rule', name, events }, options),
    );
  }

  deleteEvent(name: string): Promise<ServiceAnswer> {
    return serviceRequest(this.transport, 'exfil.deleteEvent', this.oid, 'exfil', {
      action: 'remove_event_rule',
      name,
    });
  }

  deleteWatch(name: string): Promise<ServiceAnswer> {
    return serviceRequest(this.transport, 'exfil.deleteWatch', this.oid, 'exfil', {
      action: 'remove_watch',
      name,
    });
  }
}
