import type { LcTransport } from './http.js';
import {
  epochSeconds,
  positiveLimit,
  unwrapList,
  walkCursor,
  type InsightRange,
} from './insight-pages.js';
import type { InsightEvent, SensorEventsOptions } from './insight-types.js';
import { expectRecord, isRecord, unexpectedShape } from './response.js';
import { abortableSleep } from './retry.js';
import {
  SensorPlatform,
  type SensorDetails,
  type SensorInfo,
  type SensorListFilters,
  type TagAddOptions,
  type TaskOptions,
  type TaskTracker,
} from './types.js';
import { assertUuid } from './validation.js';

/** One answer of `sensors.findByHostname`. */
export interface HostnameMatch {
  sid: string;
  hostname: string;
}

export class SensorsApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  /**
   * Every sensor of the org, fetched page by page as the iteration advances. A missing, null or
   * empty `continuation_token` ends the walk (py4 only stopped on a missing one).
   */
  async *list(filters: SensorListFilters = {}): AsyncGenerator<SensorInfo, void, undefined> {
    const path = `sensors/${this.oid}`;
    let token: string | undefined;
    do {
      const page = expectRecord(
        await this.transport.call('sensors.list', 'GET', path, {
          continuation_token: token,
          selector: filters.selector,
          limit: filters.limit,
          with_ip: filters.withIp,
          with_hostname_prefix: filters.withHostnamePrefix,
          is_online_only: filters.onlineOnly ? true : undefined,
        }),
        'GET',
        path,
      );
      if (!Array.isArray(page.sensors)) {
        throw unexpectedShape('GET', path, 'a `sensors` array', page);
      }
      yield* page.sensors as SensorInfo[];
      const next = page.continuation_token;
      token = typeof next === 'string' && next !== '' ? next : undefined;
    } while (token);
  }

  /**
   * The sids among `sids` that are online, or of the whole org without `sids`: one
   * `POST online/{oid}` with repeated `sids`, keeping those the API answers true for.
   */
  async online(sids?: readonly string[]): Promise<string[]> {
    const path = `online/${this.oid}`;
    for (const sid of sids ?? []) assertUuid('sid', sid);
    const body = expectRecord(
      await this.transport.call('sensors.online', 'POST', path, {
        sids: sids && sids.length > 0 ? [...sids] : undefined,
      }),
      'POST',
      path,
    );
    return Object.keys(body).filter((sid) => Boolean(body[sid]));
  }

  /**
   * Sensors whose hostname starts with `prefix` (`GET hostnames/{oid}`). The API lists them as
   * `[sid, hostname]` pairs under `sid`, or as objects when asked `as_dict`; both are read.
   */
  async findByHostname(prefix: string): Promise<HostnameMatch[]> {
    if (typeof prefix !== 'string' || prefix === '') {
      throw new TypeError('sensors.findByHostname needs a non-empty hostname prefix');
    }
    const path = `hostnames/${this.oid}`;
    const body = expectRecord(
      await this.transport.call('sensors.findByHostname', 'GET', path, { hostname: prefix }),
      'GET',
      path,
    );
    const found = body.sid ?? [];
    if (!Array.isArray(found)) throw unexpectedShape('GET', path, 'a `sid` list', body);
    return found.map((entry: unknown) => {
      if (Array.isArray(entry) && typeof entry[0] === 'string') {
        return { sid: entry[0], hostname: String(entry[1] ?? '') };
      }
      if (isRecord(entry) && typeof entry.sid === 'string') {
        return { sid: entry.sid, hostname: String(entry.hostname ?? '') };
      }
      throw unexpectedShape('GET', path, '`sid` entries as [sid, hostname] pairs', body);
    });
  }
}

/**
 * One sensor of the org. A class (not a bag of closures) so features such as tracked tasking can
 * subclass it and extend `task()` through its options object.
 */
export class Sensor {
  readonly sid: string;
  private tagsApi: SensorTags | undefined;
  private platformInfo: Promise<SensorInfo> | undefined;

  constructor(
    protected readonly transport: LcTransport,
    private readonly oid: string,
    sid: string,
    private readonly tracker?: TaskTracker,
  ) {
    assertUuid('sid', sid);
    this.sid = sid;
  }

  /** The raw `GET {sid}` document: `info`, `online` and (on newer APIs) `is_online`. */
  details(): Promise<SensorDetails> {
    return this.fetchDetails('sensor.details');
  }

  async info(): Promise<SensorInfo> {
    return (await this.fetchDetails('sensor.info')).info;
  }

  /** py's rule: online means a non-empty `online` object without an `error` key. */
  async isOnline(): Promise<boolean> {
    const { online } = await this.fetchDetails('sensor.isOnline');
    return Object.keys(online).length > 0 && !('error' in online);
  }

  /**
   * Sends all commands in one POST, as repeated `tasks` keys (py and js do the same). With
   * `callback`, the sensor's reply comes back to that `@LcTaskCallback` (interactive services),
   * on whichever replica LimaCharlie calls.
   */
  async task(commands: string | readonly string[], options: TaskOptions = {}): Promise<unknown> {
    const tasks = typeof commands === 'string' ? [commands] : [...commands];
    if (tasks.length === 0 || tasks.some((t) => typeof t !== 'string' || t.trim() === '')) {
      throw new TypeError('sensor.task needs at least one non-empty command string');
    }
    return this.transport.call('sensor.task', 'POST', this.sid, {
      tasks,
      investigation_id: this.investigationId(options),
    });
  }

  private investigationId(options: TaskOptions): string | undefined {
    const { callback, job, ctx, investigationId } = options;
    if (callback === undefined) {
      if (job !== undefined || ctx !== undefined) {
        throw new TypeError('sensor.task: `job` and `ctx` only travel with a `callback`');
      }
      return investigationId;
    }
    if (investigationId !== undefined) {
      throw new TypeError('sensor.task: pass either `callback` or `investigationId`, not both');
    }
    if (this.tracker === undefined) {
      throw new TypeError(
        'sensor.task: a `callback` needs an interactive service: LcServiceModule.forRoot({ interactive: true, ... })',
      );
    }
    return this.tracker.investigationId({ callback, job, ctx }, { oid: this.oid, sid: this.sid });
  }

  private async fetchDetails(operation: string): Promise<SensorDetails> {
    const body = expectRecord(
      await this.transport.call(operation, 'GET', this.sid),
      'GET',
      this.sid,
    );
    if (!isRecord(body.info)) throw unexpectedShape('GET', this.sid, 'an `info` object', body);
    const online = isRecord(body.online) ? body.online : {};
    return { ...body, info: body.info as SensorInfo, online };
  }

  get tags(): SensorTags {
    this.tagsApi ??= new SensorTags(this.transport, this.sid);
    return this.tagsApi;
  }

  async isolate(): Promise<void> {
    await this.transport.call('sensor.isolate', 'POST', `${this.sid}/isolation`);
  }

  async rejoin(): Promise<void> {
    await this.transport.call('sensor.rejoin', 'DELETE', `${this.sid}/isolation`);
  }
  /** py's `is_isolated`: `info.should_isolate`, read fresh (isolation changes). */
  async isIsolated(): Promise<boolean> {
    return (await this.fetchDetails('sensor.isIsolated')).info.should_isolate === true;
  }

  /** py's `is_sealed`: `info.should_seal`, read fresh. */
  async isSealed(): Promise<boolean> {
    return (await this.fetchDetails('sensor.isSealed')).info.should_seal === true;
  }

  /** Seals the sensor so it cannot be uninstalled locally. */
  async seal(): Promise<void> {
    await this.transport.call('sensor.seal', 'POST', `${this.sid}/seal`);
  }

  async unseal(): Promise<void> {
    await this.transport.call('sensor.unseal', 'DELETE', `${this.sid}/seal`);
  }

  /** Deletes the sensor from the org: it can no longer connect (it is not uninstalled). */
  async delete(): Promise<void> {
    await this.transport.call('sensor.delete', 'DELETE', this.sid);
  }

  /**
   * Polls `isOnline()` until it is true (resolves true) or `timeoutMs` passes (resolves false).
   * The SDK waits up to 60 s between polls; `pollMs` shortens that. The call's deadline ends the
   * wait with the deadline `LcApiError`.
   */
  async waitOnline(timeoutMs: number, options: { pollMs?: number } = {}): Promise<boolean> {
    const pollMs = options.pollMs ?? 60_000;
    if (!(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      throw new TypeError('sensor.waitOnline timeoutMs must be a non-negative number');
    }
    if (!(Number.isFinite(pollMs) && pollMs > 0)) {
      throw new TypeError('sensor.waitOnline pollMs must be a positive number');
    }
    const until = Date.now() + timeoutMs;
    // An aborted sleep falls through to isOnline(), whose transport call throws the deadline error.
    while (!(await this.isOnline())) {
      const left = until - Date.now();
      if (left <= 0) return false;
      await abortableSleep(Math.min(pollMs, left), this.transport.signal);
    }
    return true;
  }

  /** The sensor's events between `start` and `end`, fetched page by page from Insight. */
  events(options: SensorEventsOptions): AsyncGenerator<InsightEvent, void, undefined> {
    const limit = positiveLimit('sensor.events', options.limit);
    return walkCursor<InsightEvent>(this.transport, {
      operation: 'sensor.events',
      path: `insight/${this.oid}/${this.sid}`,
      query: {
        start: epochSeconds('sensor.events start', options.start),
        end: epochSeconds('sensor.events end', options.end),
        is_compressed: 'true',
        is_forward: options.isForward ?? true,
        limit,
        event_type: options.eventType || undefined,
      },
      field: 'events',
      limit,
    });
  }

  /** Timestamps where Insight holds data of this sensor (`GET insight/{oid}/{sid}/overview`). */
  async overview(range: InsightRange): Promise<number[]> {
    const path = `insight/${this.oid}/${this.sid}/overview`;
    const body = expectRecord(
      await this.transport.call('sensor.overview', 'GET', path, {
        start: epochSeconds('sensor.overview start', range.start),
        end: epochSeconds('sensor.overview end', range.end),
      }),
      'GET',
      path,
    );
    if (!Array.isArray(body.overview)) {
      throw unexpectedShape('GET', path, 'an `overview` list', body);
    }
    return body.overview as number[];
  }

  /** The event whose `routing.this_atom` is `atom`. */
  async eventByAtom(atom: string): Promise<InsightEvent> {
    const path = `insight/${this.oid}/${this.sid}/${atomSegment(atom)}`;
    return expectRecord(
      await this.transport.call('sensor.eventByAtom', 'GET', path),
      'GET',
      path,
    ) as InsightEvent;
  }

  /** The events whose `routing.parent_atom` is `atom` (one compressed answer). */
  async childrenEvents(atom: string): Promise<InsightEvent[]> {
    const path = `insight/${this.oid}/${this.sid}/${atomSegment(atom)}/children`;
    const body = expectRecord(
      await this.transport.call('sensor.childrenEvents', 'GET', path, { is_compressed: 'true' }),
      'GET',
      path,
    );
    return unwrapList(
      body.events,
      path,
      'events',
      this.transport.maxResponseBytes,
    ) as InsightEvent[];
  }

  /** The platform code of `info.plat` (`SensorPlatform`), read once per `Sensor` object. */
  async platform(): Promise<number> {
    return numericCode((await this.staticInfo()).plat) & 0xf0000000;
  }

  async isWindows(): Promise<boolean> {
    return (await this.platform()) === SensorPlatform.windows;
  }

  async isLinux(): Promise<boolean> {
    return (await this.platform()) === SensorPlatform.linux;
  }

  async isMacos(): Promise<boolean> {
    return (await this.platform()) === SensorPlatform.macos;
  }

  /** A Chrome sensor is told by its architecture (6), not its platform. */
  async isChrome(): Promise<boolean> {
    return (numericCode((await this.staticInfo()).arch) & 0xf) === SENSOR_ARCH_CHROME;
  }

  async hostname(): Promise<string> {
    return (await this.staticInfo()).hostname ?? '';
  }

  /** Platform, architecture and hostname do not change, so the SDK reads them once per object. */
  private staticInfo(): Promise<SensorInfo> {
    this.platformInfo ??= this.info().catch((err: unknown) => {
      this.platformInfo = undefined;
      throw err;
    });
    return this.platformInfo;
  }
}

export class SensorTags {
  private readonly path: string;

  constructor(
    private readonly transport: LcTransport,
    private readonly sid: string,
  ) {
    this.path = `${sid}/tags`;
  }

  async add(tags: string | readonly string[], options: TagAddOptions = {}): Promise<void> {
    const { ttl } = options;
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) {
      throw new TypeError('sensor tag ttl must be a positive integer number of seconds');
    }
    await this.transport.call('sensor.tags.add', 'POST', this.path, {
      tags: typeof tags === 'string' ? tags : [...tags],
      ttl,
    });
  }

  /** One tag travels as `tag`, several as a comma-joined `tags`, like the SDKs send them. */
  async remove(tags: string | readonly string[]): Promise<void> {
    const params = typeof tags === 'string' ? { tag: tags } : { tags: tags.join(',') };
    await this.transport.call('sensor.tags.remove', 'DELETE', this.path, params);
  }

  async list(): Promise<string[]> {
    const body = expectRecord(
      await this.transport.call('sensor.tags.list', 'GET', this.path),
      'GET',
      this.path,
    );
    if (!isRecord(body.tags)) throw unexpectedShape('GET', this.path, 'a `tags` object', body);
    const mine = body.tags[this.sid];
    return isRecord(mine) ? Object.keys(mine) : [];
  }
}

const SENSOR_ARCH_CHROME = 6;

/** `plat`/`arch` arrive as numbers, but the SDK also accepts `"0x..."` or decimal strings. */
function numericCode(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const parsed = /^0x/i.test(value) ? Number.parseInt(value, 16) : Number.parseInt(value, 10);
    return Number.isNaN(parsed) ? 0 : parsed;
  }
  return 0;
}

function atomSegment(atom: string): string {
  if (typeof atom !== 'string' || atom === '') {
    throw new TypeError('an event atom must be a non-empty string');
  }
  return encodeURIComponent(atom);
}
