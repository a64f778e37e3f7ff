import type { LcTransport } from './http.js';
import { pyJsonDumps, pyQuote } from './py-json.js';
import { expectRecord, isRecord } from './response.js';

/** Times are unix seconds; py defaults them to the last 24 hours. */
export interface ArtifactListOptions {
  sid?: string;
  start?: number;
  end?: number;
  /** Resume from a page's `next_cursor` (then `start`/`end` are not sent, as in py). */
  cursor?: string;
}

/** One collected artifact or log. */
export interface Artifact {
  id?: string;
  sid?: string;
  type?: string;
  source?: string;
  ts?: number;
  size?: number;
  [key: string]: unknown;
}

/** `GET insight/{oid}/artifacts`: one page. */
export interface ArtifactPage {
  artifacts?: Artifact[];
  next_cursor?: string;
  [key: string]: unknown;
}

/** `POST insight/{oid}/artifacts/originals/{id}`: the data inline (`payload`) or a signed URL (`export`). */
export interface ArtifactOriginal {
  payload?: string;
  export?: string;
  [key: string]: unknown;
}

export interface ArtifactRule {
  platforms: string[];
  patterns: string[];
  /** Delete the file on the endpoint once collected (default false). */
  isDeleteAfter?: boolean;
  /** Default 30. */
  retentionDays?: number;
  tags?: string[];
}

/** Artifacts and their collection rules, as limacharlie/sdk/artifacts.py calls them. */
export class ArtifactsApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  /** Every artifact of the range, fetching the next page (`next_cursor`) as iteration advances. */
  async *list(options: ArtifactListOptions = {}): AsyncGenerator<Artifact, void, undefined> {
    let cursor = options.cursor;
    for (;;) {
      const page = await this.listPage({ ...options, cursor });
      for (const item of Array.isArray(page.artifacts) ? page.artifacts : []) {
        if (isRecord(item)) yield item as Artifact;
      }
      if (typeof page.next_cursor !== 'string' || page.next_cursor === '') return;
      cursor = page.next_cursor;
    }
  }

  /** One page, as py's `Artifacts.list` returns it. */
  async listPage(options: ArtifactListOptions = {}): Promise<ArtifactPage> {
    const query: Record<string, string> = {};
    if (options.sid) query.sid = options.sid;
    if (options.cursor) {
      query.cursor = options.cursor;
    } else {
      const now = Math.floor(Date.now() / 1000);
      query.start = String(Math.trunc(options.start ?? now - 86_400));
      query.end = String(Math.trunc(options.end ?? now));
    }
    const path = `insight/${this.oid}/artifacts`;
    const answer = await this.transport.call('artifacts.list', 'GET', path, undefined, { query });
    return expectRecord(answer, 'GET', path) as ArtifactPage;
  }

  /** The original data of an artifact: inline when small, else a signed download URL. */
  async getUrl(artifactId: string): Promise<ArtifactOriginal> {
    const path = `insight/${this.oid}/artifacts/originals/${pyQuote(artifactId)}`;
    const answer = await this.transport.call('artifacts.getUrl', 'POST', path);
    return expectRecord(answer, 'POST', path) as ArtifactOriginal;
  }

  /** Collection rules keyed by name. */
  async getRules(): Promise<Record<string, unknown>> {
    const path = `insight/${this.oid}/artifacts/rules`;
    return expectRecord(await this.transport.call('artifacts.getRules', 'GET', path), 'GET', path);
  }

  /** Creates or replaces a collection rule (a JSON body, unlike most calls). */
  async setRule(name: string, rule: ArtifactRule): Promise<Record<string, unknown>> {
    const body: Record<string, unknown> = {
      name,
      platforms: rule.platforms,
      patterns: rule.patterns,
      is_delete_after: rule.isDeleteAfter ?? false,
      days_retention: rule.retentionDays ?? 30,
    };
    if (rule.tags?.length) body.tags = rule.tags;
    const path = `insight/${this.oid}/artifacts/rules`;
    const answer = await this.transport.call('artifacts.setRule', 'POST', path, undefined, {
      json: pyJsonDumps(body),
    });
    return expectRecord(answer, 'POST', path);
  }

  async deleteRule(name: string): Promise<Record<string, unknown>> {
    const path = `insight/${this.oid}/artifacts/rules`;
    const answer = await this.transport.call('artifacts.deleteRule', 'DELETE', path, { name });
    return expectRecord(answer, 'DELETE', path);
  }
}
