import type { LcTransport } from './http.js';
import { expectRecord } from './response.js';
import type { OrgInfo } from './types.js';

export class OrgApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  async info(): Promise<OrgInfo> {
    const path = `orgs/${this.oid}`;
    return expectRecord(await this.transport.call('org.info', 'GET', path), 'GET', path) as OrgInfo;
  }
}
