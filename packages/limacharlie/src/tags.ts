import type { LcTransport } from './http.js';
import { expectRecord, unexpectedShape } from './response.js';
import { Sensor, type SensorsApi } from './sensors.js';
import type { TagAddOptions } from './types.js';

/** `massTag`'s answer, as the SDK's `mass_tag` returns it. */
export interface MassTagResult {
  tagged: number;
  tag: string;
  selector: string;
}

export interface MassUntagResult {
  untagged: number;
  tag: string;
  selector: string;
}

/** Tags across the org's sensors. Per-sensor tags are `lc.sensor(sid).tags`. */
export class TagsApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
    private readonly sensors: SensorsApi,
  ) {}

  /** Every tag some sensor of the org carries. */
  async all(): Promise<string[]> {
    const path = `tags/${this.oid}`;
    const body = expectRecord(await this.transport.call('tags.all', 'GET', path), 'GET', path);
    const tags = body.tags ?? [];
    if (!Array.isArray(tags)) throw unexpectedShape('GET', path, 'a `tags` list', body);
    return tags as string[];
  }

  /** The sensors carrying `tag`, keyed by sid (the values are what the API says of each). */
  async findSensors(tag: string): Promise<Record<string, unknown>> {
    requireTag('tags.findSensors', tag);
    const path = `tags/${this.oid}/${encodeURIComponent(tag)}`;
    return expectRecord(await this.transport.call('tags.findSensors', 'GET', path), 'GET', path);
  }

  /**
   * Adds `tag` to every sensor `selector` matches, one `POST {sid}/tags` per sensor as the SDK
   * does (there is no bulk endpoint). Stops at the first failure; sensors tagged so far stay so.
   */
  async massTag(
    selector: string,
    tag: string,
    options: TagAddOptions = {},
  ): Promise<MassTagResult> {
    requireArguments('tags.massTag', selector, tag);
    let tagged = 0;
    for await (const info of this.sensors.list({ selector })) {
      await this.sensorOf(info.sid).tags.add(tag, options);
      tagged += 1;
    }
    return { tagged, tag, selector };
  }

  /** Removes `tag` from every sensor `selector` matches, one `DELETE {sid}/tags` each. */
  async massUntag(selector: string, tag: string): Promise<MassUntagResult> {
    requireArguments('tags.massUntag', selector, tag);
    let untagged = 0;
    for await (const info of this.sensors.list({ selector })) {
      await this.sensorOf(info.sid).tags.remove(tag);
      untagged += 1;
    }
    return { untagged, tag, selector };
  }

  private sensorOf(sid: string): Sensor {
    return new Sensor(this.transport, this.oid, sid);
  }
}

/** An empty selector would match the whole org: the SDK's CLI requires one, and so does this. */
function requireArguments(method: string, selector: unknown, tag: unknown): void {
  if (typeof selector !== 'string' || selector.trim() === '') {
    throw new TypeError(`${method} needs a sensor selector expression, e.g. "plat == windows"`);
  }
  requireTag(method, tag);
}

function requireTag(method: string, tag: unknown): void {
  if (typeof tag !== 'string' || tag === '') {
    throw new TypeError(`${method} needs a non-empty tag string`);
  }
}
