import { pathSegment } from './escape.js';
import type { LcTransport } from './http.js';
import { expectRecord } from './response.js';
import type { JsonObject, OrgErrors, OrgInfo, OrgSchemas, OrgUrls } from './types.js';

export class OrgApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  async info(): Promise<OrgInfo> {
    const path = `orgs/${this.oid}`;
    return expectRecord(await this.transport.call('org.info', 'GET', path), 'GET', path) as OrgInfo;
  }

  /** The org's service hosts (`GET orgs/{oid}/url`, public: sent without the JWT like the SDK). */
  async urls(): Promise<OrgUrls> {
    const path = `orgs/${this.oid}/url`;
    const answer = await this.transport.call('org.urls', 'GET', path, undefined, { noAuth: true });
    const body = expectRecord(answer, 'GET', path);
    return expectRecord(body.url ?? body, 'GET', path) as OrgUrls;
  }

  /** An org configuration value (`GET configs/{oid}/{name}`); undefined when the API has none. */
  async config(name: string): Promise<string | undefined> {
    const path = this.configPath(name);
    const body = expectRecord(await this.transport.call('org.config', 'GET', path), 'GET', path);
    return typeof body.value === 'string' ? body.value : undefined;
  }

  /** `POST configs/{oid}/{name}` with the form field `value`. */
  async setConfig(name: string, value: string): Promise<void> {
    if (typeof value !== 'string') throw new TypeError('org config value must be a string');
    await this.transport.call('org.setConfig', 'POST', this.configPath(name), { value });
  }

  /** The org's current errors by component (`GET errors/{oid}`, its `errors` field). */
  async errors(): Promise<OrgErrors> {
    const path = `errors/${this.oid}`;
    const body = expectRecord(await this.transport.call('org.errors', 'GET', path), 'GET', path);
    return expectRecord(body.errors ?? body, 'GET', path) as OrgErrors;
  }

  /** `DELETE errors/{oid}/{component}`. */
  async dismissError(component: string): Promise<void> {
    requireName('org error component', component);
    const path = `errors/${this.oid}/${pathSegment(component)}`;
    await this.transport.call('org.dismissError', 'DELETE', path);
  }

  /** The event types with a schema in this org (`GET orgs/{oid}/schema`), optionally of one platform. */
  async schemas(options: { platform?: string } = {}): Promise<OrgSchemas> {
    const path = `orgs/${this.oid}/schema`;
    const body = await this.transport.call('org.schemas', 'GET', path, {
      platform: options.platform || undefined,
    });
    return expectRecord(body, 'GET', path) as OrgSchemas;
  }

  /** The event types LimaCharlie knows (`GET events`, not org-scoped), as the API sends them. */
  async eventTypes(): Promise<JsonObject> {
    return expectRecord(
      await this.transport.call('org.eventTypes', 'GET', 'events'),
      'GET',
      'events',
    ) as JsonObject;
  }

  private configPath(name: string): string {
    requireName('org config name', name);
    // The SDK leaves the name unescaped; escaping changes nothing for real config names and
    // keeps a `/` in one from reaching another endpoint.
    return `configs/${this.oid}/${pathSegment(name)}`;
  }
}

function requireName(what: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${what} must be a non-empty string`);
  }
}
