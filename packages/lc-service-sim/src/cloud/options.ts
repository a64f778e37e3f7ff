import { commandLineValue, parseAssignments } from '../assignments.js';
import { parseDuration } from './clock.js';

/** `--param` values: for every form, and per form (`request` or a command name). */
export interface FormParams {
  any: Record<string, unknown>;
  byForm: Record<string, Record<string, unknown>>;
}

export interface CloudOptions {
  /** The webhook URL of the service, or of the extension when `extension` is set. */
  service: URL;
  /**
   * Drive an extension (Extension protocol) instead of a service: schema, subscribe, the page's
   * requests, unsubscribe.
   */
  extension?: {
    /** The org's extension config, sent with every event and request. */
    config: Record<string, unknown>;
    /** Keep the org subscribed for the page's requests until Ctrl-C (`--keep-open`). */
    holdOpen: boolean;
  };
  secret: string;
  /** Port of the LimaCharlie API emulator on 127.0.0.1 (0: any free port). */
  apiPort: number;
  /** Port of the web page on 127.0.0.1 (0: any free port). */
  pagePort: number;
  sensors: number;
  /** Simulated ms per real ms. */
  speed: number;
  /** Simulated ms of crons; when absent, `cycles` times the longest subscribed cron period. */
  durationMs?: number;
  cycles: number;
  /** How long to wait for the service to answer `health`. */
  waitMs: number;
  /** Deadline of each call. */
  timeoutMs: number;
  /** Send `org_uninstall` at the end. */
  uninstall: boolean;
  /** Values for the request and command forms. */
  params: FormParams;
}

export const CLOUD_DEFAULTS = {
  apiPort: 8090,
  pagePort: 8091,
  sensors: 2,
  speed: 3600,
  cycles: 1,
  waitSeconds: 30,
  timeoutSeconds: 60,
} as const;

/** The command line's values, as `parseArgs` returns them. */
export interface CloudArgs {
  service?: string;
  secret?: string;
  'api-port'?: string;
  port?: string;
  sensors?: string;
  speed?: string;
  duration?: string;
  cycles?: string;
  wait?: string;
  'timeout-seconds'?: string;
  'keep-installed'?: boolean;
  param?: string[];
  extension?: string;
  config?: string[];
  'keep-open'?: boolean;
}

/** Sets one own property, so a key such as `__proto__` is data like any other. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** `--param name=value` fills `name` in every form; `--param form:name=value` in that one only. */
function formParams(items: readonly string[]): FormParams {
  const out: FormParams = { any: {}, byForm: {} };
  for (const item of items) {
    const m = /^(?:([^:=]+):)?([^:=]+)=(.*)$/s.exec(item);
    if (m === null) {
      throw new Error(
        `--param takes name=value or form:name=value (form: request or a command name), got '${item}'`,
      );
    }
    const [, form, name, value] = m;
    let target = out.any;
    if (form !== undefined) {
      target = Object.hasOwn(out.byForm, form) ? out.byForm[form] : {};
      put(out.byForm, form, target);
    }
    put(target, name, commandLineValue(value));
  }
  return out;
}

function integer(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new Error(`${name} must be a positive number, got '${value}'`);
  }
  return n;
}

/** Checks the command line; every error names the option and what it takes. */
export function cloudOptions(args: CloudArgs, env: NodeJS.ProcessEnv): CloudOptions {
  if (args.service !== undefined && args.extension !== undefined) {
    throw new Error('use either --service (a service) or --extension (an extension), not both');
  }
  const flag = args.extension !== undefined ? '--extension' : '--service';
  const target = args.extension ?? args.service;
  if (target === undefined) {
    throw new Error(
      '--service is required: the URL of your running service, e.g. --service http://localhost:8080 (or --extension <url> for an extension)',
    );
  }
  let service: URL;
  try {
    service = new URL(target);
  } catch {
    throw new Error(`${flag} is not a URL: ${target}`);
  }
  if (service.protocol !== 'http:' && service.protocol !== 'https:') {
    throw new Error(`${flag} must be http:// or https://, got ${service.protocol}`);
  }
  if (args.extension === undefined && args.config !== undefined) {
    throw new Error('--config is the extension config: it goes with --extension');
  }
  if (args.extension !== undefined && args.param !== undefined) {
    throw new Error(
      "--param fills a service's forms: with --extension, send requests from the page (with --keep-open) or with 'lc-service-sim ext request'",
    );
  }
  const secret = args.secret ?? env.LC_SHARED_SECRET;
  if (secret === undefined || secret === '') {
    throw new Error("--secret is required (or set LC_SHARED_SECRET): the service's shared secret");
  }
  if (args.duration !== undefined && args.cycles !== undefined) {
    throw new Error('use either --duration or --cycles, not both');
  }
  const apiPort = integer(args['api-port'], '--api-port', 0, 65535, CLOUD_DEFAULTS.apiPort);
  const pagePort = integer(args.port, '--port', 0, 65535, CLOUD_DEFAULTS.pagePort);
  if (apiPort !== 0 && apiPort === pagePort) {
    throw new Error(
      `--api-port and --port are both ${apiPort}: the API and the page need a port each`,
    );
  }
  let durationMs: number | undefined;
  if (args.duration !== undefined) {
    try {
      durationMs = parseDuration(args.duration);
    } catch (err) {
      throw new Error(`--duration: ${(err as Error).message}`);
    }
  }
  return {
    service,
    secret,
    apiPort,
    pagePort,
    sensors: integer(args.sensors, '--sensors', 1, 1000, CLOUD_DEFAULTS.sensors),
    speed: positive(args.speed, '--speed', CLOUD_DEFAULTS.speed),
    ...(durationMs === undefined ? {} : { durationMs }),
    cycles: integer(args.cycles, '--cycles', 1, 1000, CLOUD_DEFAULTS.cycles),
    waitMs: positive(args.wait, '--wait', CLOUD_DEFAULTS.waitSeconds) * 1000,
    timeoutMs:
      positive(args['timeout-seconds'], '--timeout-seconds', CLOUD_DEFAULTS.timeoutSeconds) * 1000,
    uninstall: args['keep-installed'] !== true,
    params: formParams(args.param ?? []),
    ...(args.extension === undefined
      ? {}
      : {
          extension: {
            config: parseAssignments(args.config ?? [], '--config'),
            holdOpen: args['keep-open'] === true,
          },
        }),
  };
}
