import { LcApiError } from './errors.js';
import type { LcTransport } from './http.js';
import { pyJsonDumps } from './py-json.js';
import { expectRecord, isRecord, unexpectedShape } from './response.js';
import { abortableSleep } from './retry.js';

/** `event` (default), `detect` or `audit`. */
export type SearchStream = 'event' | 'detect' | 'audit' | (string & {});

/** Times are unix seconds. */
export interface SearchRange {
  /** Default: 24 hours before now (`validate` only). */
  start?: number;
  /** Default: now (`validate` only). */
  end?: number;
  stream?: SearchStream;
}

export interface SearchEstimateRange extends SearchRange {
  start: number;
  end: number;
}

export interface SearchExecuteOptions extends SearchEstimateRange {
  /** Stop after this many rows (`execute`) or results (`results`). */
  limit?: number;
}

/** `POST search/validate`: an invalid query answers 200 with `error`. */
export interface SearchValidation {
  error?: string;
  estimatedPrice?: { amount?: number; currency?: string; [key: string]: unknown };
  stats?: Record<string, unknown>;
  [key: string]: unknown;
}

export type SearchRow = Record<string, unknown>;

/** One result of a poll: `events` carry `rows`; `facets` and `timeline` their own fields. */
export interface SearchResult {
  type?: 'events' | 'facets' | 'timeline' | (string & {});
  rows?: SearchRow[];
  /** Set on the last result of a page when another page follows. */
  nextToken?: string;
  stats?: Record<string, unknown>;
  facets?: unknown[];
  timeseries?: unknown[];
  [key: string]: unknown;
}

/** py never polls faster than this, whatever `nextPollInMs` says. */
const MIN_POLL_MS = 500;
const DEFAULT_POLL_MS = 1000;

/**
 * LCQL on the org's search host (`url.search` of `GET orgs/{oid}/url`, scheme `https://` unless
 * given), as limacharlie/sdk/search.py does. The host is looked up once per client.
 */
export class SearchApi {
  private root: string | undefined;

  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  /** Checks the query's syntax; the range defaults to the last 24 hours. */
  async validate(query: string, range: SearchRange = {}): Promise<SearchValidation> {
    const now = Math.floor(Date.now() / 1000);
    return this.check('search.validate', query, {
      ...range,
      start: range.start ?? now - 86_400,
      end: range.end ?? now,
    });
  }

  /** The worst-case cost of running the query (`estimatedPrice`); py asks the validate endpoint. */
  async estimate(query: string, range: SearchEstimateRange): Promise<SearchValidation> {
    return this.check('search.estimate', query, range);
  }

  /**
   * Runs the query and yields the rows of its `events` results, fetching pages as the iteration
   * advances. The query is cancelled on the server when the iteration ends, however it ends.
   */
  async *execute(
    query: string,
    options: SearchExecuteOptions,
  ): AsyncGenerator<SearchRow, void, undefined> {
    const { limit, ...range } = options;
    let count = 0;
    for await (const result of this.results(query, range)) {
      if (result.type !== 'events' || !Array.isArray(result.rows)) continue;
      for (const row of result.rows) {
        yield row;
        count += 1;
        if (limit && count >= limit) return;
      }
    }
  }

  /**
   * What py's `Search.execute` yields: every result of every poll (events, facets, timeline),
   * `limit` counting results.
   */
  async *results(
    query: string,
    options: SearchExecuteOptions,
  ): AsyncGenerator<SearchResult, void, undefined> {
    const root = await this.searchRoot();
    const body: Record<string, unknown> = {
      oid: this.oid,
      query,
      startTime: String(Math.trunc(options.start)),
      endTime: String(Math.trunc(options.end)),
      paginated: true,
    };
    if (options.stream) body.stream = options.stream;
    const started = expectRecord(
      await this.transport.call('search.execute', 'POST', 'search', undefined, {
        root,
        json: pyJsonDumps(body),
      }),
      'POST',
      'search',
    );
    if (typeof started.error === 'string' && started.error !== '') {
      throw searchFailure('POST', 'search', `the search did not start: ${started.error}`, started);
    }
    const queryId = started.queryId ?? started.query_id;
    if (typeof queryId !== 'string' || queryId === '') {
      throw unexpectedShape('POST', 'search', 'a `queryId`', started);
    }

    const path = `search/${encodeURIComponent(queryId)}`;
    try {
      let token: string | undefined;
      let count = 0;
      for (;;) {
        const poll = expectRecord(
          await this.transport.call('search.poll', 'GET', path, undefined, {
            root,
            query: { token },
          }),
          'GET',
          path,
        );
        if (typeof poll.error === 'string' && poll.error !== '') {
          throw searchFailure('GET', path, `search ${queryId} failed: ${poll.error}`, poll);
        }
        let next: string | undefined;
        for (const item of Array.isArray(poll.results) ? poll.results : []) {
          if (!isRecord(item)) continue;
          if (typeof item.nextToken === 'string' && item.nextToken !== '') next = item.nextToken;
          yield item as SearchResult;
          count += 1;
          if (options.limit && count >= options.limit) return;
        }
        if (poll.completed === true) {
          if (!next) return;
          token = next;
        } else {
          const wait = typeof poll.nextPollInMs === 'number' ? poll.nextPollInMs : DEFAULT_POLL_MS;
          if (!(await abortableSleep(Math.max(wait, MIN_POLL_MS), this.transport.signal))) {
            throw new LcApiError(
              `LimaCharlie search ${queryId} aborted: the request deadline passed`,
              {
                kind: 'deadline',
                status: 0,
                method: 'GET',
                path,
                retryable: true,
              },
            );
          }
        }
      }
    } finally {
      await this.cancel(root, path);
    }
  }

  private async check(
    operation: string,
    query: string,
    range: SearchEstimateRange,
  ): Promise<SearchValidation> {
    const root = await this.searchRoot();
    const body: Record<string, unknown> = {
      oid: this.oid,
      query,
      startTime: String(Math.trunc(range.start)),
      endTime: String(Math.trunc(range.end)),
    };
    if (range.stream) body.stream = range.stream;
    const answer = await this.transport.call(operation, 'POST', 'search/validate', undefined, {
      root,
      json: pyJsonDumps(body),
    });
    return expectRecord(answer, 'POST', 'search/validate') as SearchValidation;
  }

  /** Frees the query's resources on the server; a failure here must not hide the real outcome. */
  private async cancel(root: string, path: string): Promise<void> {
    try {
      await this.transport.call('search.cancel', 'DELETE', path, undefined, { root });
    } catch {
      // The server drops abandoned queries on its own; the caller's result or error matters more.
    }
  }

  private async searchRoot(): Promise<string> {
    if (this.root !== undefined) return this.root;
    const path = `orgs/${this.oid}/url`;
    const answer = expectRecord(
      await this.transport.call('search.urls', 'GET', path, undefined, { noAuth: true }),
      'GET',
      path,
    );
    const urls = isRecord(answer.url) ? answer.url : answer;
    const host = urls.search ?? urls.search_api;
    if (typeof host !== 'string' || host === '') {
      throw unexpectedShape('GET', path, 'a `url.search` host', answer);
    }
    const withScheme = /^https?:\/\//i.test(host) ? host : `https://${host}`;
    this.root = `${withScheme.replace(/\/+$/, '')}/v1`;
    return this.root;
  }
}

function searchFailure(
  method: 'GET' | 'POST',
  path: string,
  reason: string,
  body: unknown,
): LcApiError {
  return new LcApiError(`LimaCharlie ${reason}`, {
    kind: 'http',
    status: 200,
    method,
    path,
    body,
    retryable: false,
  });
}
