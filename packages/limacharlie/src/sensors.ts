import type { LcTransport } from './http.js';
import { expectRecord, isRecord, unexpectedShape } from './response.js';
import type {
  SensorDetails,
  SensorInfo,
  SensorListFilters,
  TagAddOptions,
  TaskOptions,
  TaskTracker,
} from './types.js';
import { assertUuid } from './validation.js';

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
}

/**
 * One sensor of the org. A class (not a bag of closures) so features such as tracked tasking can
 * subclass it and extend `task()` through its options object.
 */
export class Sensor {
  readonly sid: string;
  private tagsApi: SensorTags | undefined;

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
