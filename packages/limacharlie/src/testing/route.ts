import type { FakeOrg, FakeStore, FakeToken } from './state.js';
import type { FakeLastPageToken, FakeParams, FakeSensor, FakeTask } from './types.js';

/** What a handler sees of one authenticated request. */
export interface RouteContext {
  readonly store: FakeStore;
  /** Capture groups of the route's pattern. */
  readonly match: readonly string[];
  readonly token: FakeToken;
  readonly lastPageToken: FakeLastPageToken;
  /** `127.0.0.1:<port>` of the fake, for answers that name service hosts. */
  readonly host: string;
  /** The parsed form body (empty when there was none). */
  readonly form: FakeParams;
  /** First value of a form field, else of a query parameter. */
  param(key: string): string | undefined;
  /** All values of a form field, else of a query parameter. */
  params(key: string): string[];
  /** Throws a 401 naming the permission when the token lacks it. */
  require(permission: string): void;
  /** The org of the path, which must be the token's org (else 401). */
  org(oid: string): FakeOrg;
  /** A sensor of the token's org (else 404). */
  sensor(sid: string): FakeSensor;
  /** Records a task and runs the `onTask` hooks. */
  recordTask(task: FakeTask): void;
  /** The raw request body (JSON bodies are not parsed into `form`). */
  readonly body: string;
  /** The fake's own root URL, for answers that point at another of its hosts. */
  readonly baseUrl: string;
}

export interface FakeRoute {
  method: string;
  /** Tested against the path relative to `/v1/` of the route's host. */
  pattern: RegExp;
  /**
   * `search`: the org's LCQL host (served under `/lcql/v1/`); `replay`: its replay host (under
   * `/replay/`); default the REST API.
   */
  host?: 'api' | 'search' | 'replay';
  /** Served without an Authorization header; `ctx.token` is then an anonymous one. */
  public?: boolean;
  /** Returns the JSON body of a 200, or throws a `FakeHttpError`. */
  handle(ctx: RouteContext): unknown;
}
