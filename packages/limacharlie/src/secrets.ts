import { HiveApi } from './hive.js';
import type { LcTransport } from './http.js';
import { unexpectedShape } from './response.js';

/** The `secret` hive's records hold `{ secret: <value> }`. */
export class SecretsApi {
  private readonly hive: HiveApi;

  constructor(transport: LcTransport, oid: string) {
    this.hive = new HiveApi(transport, 'secret', oid);
  }

  /** The secret's value (`GET hive/secret/{oid}/{name}/data`); a missing one is HTTP 404. */
  async get(name: string): Promise<string> {
    const record = await this.hive.get(name);
    const value = record.data?.secret;
    if (typeof value === 'string') return value;
    // The body is left out of the error: it is the secret's record.
    throw unexpectedShape(
      'GET',
      `hive/secret/{oid}/${name}/data`,
      'data.secret as a string',
      undefined,
    );
  }
}
