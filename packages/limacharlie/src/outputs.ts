import type { LcTransport } from './http.js';
import { expectRecord, isRecord } from './response.js';
import type { FormParams, OutputConfig } from './types.js';

export class OutputsApi {
  private readonly path: string;

  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {
    this.path = `outputs/${oid}`;
  }

  /** The API nests the outputs under the oid; this returns the inner `{name: config}` map. */
  async list(): Promise<Record<string, OutputConfig>> {
    const body = expectRecord(
      await this.transport.call('outputs.list', 'GET', this.path),
      'GET',
      this.path,
    );
    const outputs = body[this.oid];
    return isRecord(outputs) ? (outputs as Record<string, OutputConfig>) : {};
  }

  /**
   * `type` is the stream (`event`, `detect`, `audit`...); `params` holds the module's fields
   * (`dest_host`, `is_tls`...), booleans sent as "true"/"false".
   */
  add(name: string, module: string, type: string, params: FormParams = {}): Promise<unknown> {
    const form: FormParams = { name, module, type };
    for (const [key, value] of Object.entries(params)) {
      if (!(key in form)) form[key] = value;
    }
    return this.transport.call('outputs.add', 'POST', this.path, form);
  }

  async delete(name: string): Promise<void> {
    await this.transport.call('outputs.delete', 'DELETE', this.path, { name });
  }
}
