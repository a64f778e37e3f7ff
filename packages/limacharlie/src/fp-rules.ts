import { HiveApi, type HiveRecord, type HiveWriteResult } from './hive.js';
import { LcApiError } from './errors.js';
import type { LcTransport } from './http.js';
import type { JsonObject } from './types.js';

/** False-positive rules: the `fp` hive of the org, as the SDK's `FPRules`. */
export class FpRulesApi {
  private readonly hive: HiveApi;

  constructor(transport: LcTransport, oid: string) {
    this.hive = new HiveApi(transport, 'fp', oid);
  }

  /** Every rule, by name (`GET hive/fp/{oid}`). */
  list(): Promise<Record<string, HiveRecord>> {
    return this.hive.list();
  }

  /** The rule, or `null` when there is none by that name (the API's 404). */
  async get(name: string): Promise<HiveRecord | null> {
    try {
      return await this.hive.get(name);
    } catch (err) {
      if (err instanceof LcApiError && err.kind === 'http' && err.status === 404) return null;
      throw err;
    }
  }

  /** Creates or replaces the rule with `data` only, as the SDK writes it (`POST .../data`). */
  create(name: string, data: JsonObject): Promise<HiveWriteResult> {
    return this.hive.set(name, { data });
  }

  delete(name: string): Promise<void> {
    return this.hive.delete(name);
  }
}
