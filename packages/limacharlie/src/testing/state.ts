import { randomBytes, randomUUID } from 'node:crypto';

import { FakeServicesState } from './state-services.js';
import { FakeCollectionState } from './state-collection.js';
import type {
  AddOrgOptions,
  AddSensorOptions,
  FakeHiveRecord,
  FakeOrgError,
  FakeRule,
  FakeSensor,
  PutRuleOptions,
} from './types.js';
import { FakeInsight } from './insight-state.js';
import { FakeJobsState } from './state-jobs.js';
import { FakePayloadsState } from './state-payloads.js';
import { FakeInstallationKeysState } from './state-installation-keys.js';
import { FakeYaraState } from './state-yara.js';

export const FAKE_NAMESPACES = ['general', 'managed', 'replicant'] as const;

/** Hives the fake serves; another name is an unknown hive (404), as on the real API. */
export const FAKE_HIVES = [
  'secret',
  'lookup',
  'fp',
  'yara',
  'cloud_sensor',
  'extension_config',
  'external_adapter',
  'playbook',
  'query',
  'sop',
  'org_notes',
  'ai_agent',
  'ai_skill',
] as const;

/** A hive's permissions: `<hive>.list|get|set|del` and `<hive>.get.mtd|set.mtd`. */
export const FAKE_HIVE_OPS = ['list', 'get', 'set', 'del', 'get.mtd', 'set.mtd'] as const;

/** Every permission some fake endpoint checks: the default grant of `addOrg`. */
export const FAKE_ALL_PERMISSIONS: readonly string[] = [
  'org.get',
  'sensor.list',
  'sensor.get',
  'sensor.task',
  'sensor.tag',
  ...FAKE_NAMESPACES.flatMap((ns) =>
    ['list', 'set', 'del'].map((op) => (ns === 'general' ? `dr.${op}` : `dr.${op}.${ns}`)),
  ),
  'output.list',
  'output.set',
  'output.del',
  'sensor.del',
  'insight.det.get',
  'insight.evt.get',
  'audit.get',
  'insight.list',
  'insight.stat',
  'ext.request',
  'billing.ctrl',
  'org.conf.get',
  'org.conf.set',
  ...FAKE_HIVES.flatMap((hive) => FAKE_HIVE_OPS.map((op) => `${hive}.${op}`)),
  'artifact.get',
  'artifact.set',
  'artifact.del',
  'replicant.task',
  'job.get',
  'job.del',
  'payload.ctrl',
  'payload.use',
  'ikey.list',
  'ikey.set',
  'ikey.del',
];

export interface FakeToken {
  oid: string;
  perms: Set<string>;
  ident: string;
  state: 'valid' | 'expired' | 'revoked';
  /** Epoch ms after which the token is refused as expired (tokens minted from an API key). */
  expiresAt?: number;
}

export interface FakeApiKey {
  oid: string;
  perms: readonly string[];
  /** Lifetime of the JWTs it mints, in seconds. */
  jwtTtlSeconds: number;
  /** Set for a user API key: the exchange must send it as `uid`. */
  uid?: string;
}

export interface FakeOrg {
  oid: string;
  name: string;
  rules: Map<string, Map<string, FakeRule>>;
  outputs: Map<string, Record<string, unknown>>;
  /** Records by hive name, then key (the partition is the oid). */
  hives: Map<string, Map<string, FakeHiveRecord>>;
  configs: Map<string, string>;
  errors: Map<string, FakeOrgError>;
}

/** All in-memory state of the fake; the HTTP layer and the test-facing API both work on it. */
export class FakeStore {
  readonly orgs = new Map<string, FakeOrg>();
  readonly tokens = new Map<string, FakeToken>();
  readonly sensors = new Map<string, FakeSensor>();
  readonly insight = new FakeInsight();
  readonly services = new FakeServicesState();
  readonly apiKeys = new Map<string, FakeApiKey>();
  readonly collection = new FakeCollectionState();
  readonly jobs = new FakeJobsState();
  readonly payloads = new FakePayloadsState();
  readonly installationKeys = new FakeInstallationKeysState();
  readonly yara = new FakeYaraState();

  addOrg(options: AddOrgOptions): { oid: string; jwt: string } {
    const oid = options.oid ?? randomUUID();
    if (this.orgs.has(oid)) throw new Error(`fake LimaCharlie: org ${oid} already exists`);
    this.orgs.set(oid, {
      oid,
      name: options.name ?? `fake-org-${oid.slice(0, 8)}`,
      rules: new Map(FAKE_NAMESPACES.map((ns) => [ns, new Map()])),
      outputs: new Map(),
      hives: new Map(FAKE_HIVES.map((hive) => [hive, new Map()])),
      configs: new Map(),
      errors: new Map(),
    });
    return { oid, jwt: this.issueToken(oid, options.perms) };
  }

  issueToken(oid: string, perms: readonly string[] = FAKE_ALL_PERMISSIONS): string {
    this.org(oid);
    // Shaped like a JWT so header handling matches reality; nothing verifies its contents.
    const jwt = `eyJmYWtlIjp0cnVlfQ.${randomBytes(18).toString('base64url')}.${randomBytes(18).toString('base64url')}`;
    this.tokens.set(jwt, {
      oid,
      perms: new Set(perms),
      ident: `fake-service-${this.tokens.size + 1}`,
      state: 'valid',
    });
    return jwt;
  }

  /** A token the JWT exchange minted: a real JWT shape whose payload carries `exp`. */
  mintToken(key: FakeApiKey, expSeconds: number): string {
    const now = Math.floor(Date.now() / 1000);
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ oid: key.oid, iat: now, exp: expSeconds, jti: randomUUID() }),
    ).toString('base64url');
    const jwt = `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
    this.tokens.set(jwt, {
      oid: key.oid,
      perms: new Set(key.perms),
      ident: `fake-api-key-${this.tokens.size + 1}`,
      state: 'valid',
      expiresAt: expSeconds * 1000,
    });
    return jwt;
  }

  /** The live records of a hive: those whose `usr_mtd.expiry` passed are dropped on read. */
  hive(oid: string, hive: string): Map<string, FakeHiveRecord> | undefined {
    const records = this.org(oid).hives.get(hive);
    if (!records) return undefined;
    const now = Date.now();
    for (const [key, record] of records) {
      const expiry = record.usr_mtd.expiry;
      if (expiry > 0 && expiry <= now) records.delete(key);
    }
    return records;
  }

  setTokenState(jwt: string, state: FakeToken['state']): void {
    const token = this.tokens.get(jwt);
    if (!token) throw new Error('fake LimaCharlie: unknown token');
    token.state = state;
  }

  org(oid: string): FakeOrg {
    const org = this.orgs.get(oid);
    if (!org) throw new Error(`fake LimaCharlie: unknown org ${oid}`);
    return org;
  }

  addSensor(oid: string, options: AddSensorOptions): FakeSensor {
    this.org(oid);
    const sid = options.sid ?? randomUUID();
    if (this.sensors.has(sid)) throw new Error(`fake LimaCharlie: sensor ${sid} already exists`);
    const now = Date.now();
    const sensor: FakeSensor = {
      sid,
      oid,
      iid: randomUUID(),
      hostname: options.hostname,
      plat: options.plat ?? 0x20000000,
      arch: options.arch ?? 2,
      online: options.online ?? true,
      isolated: false,
      sealed: false,
      intIp: options.intIp ?? '10.0.0.1',
      extIp: options.extIp ?? '203.0.113.1',
      enrolledAt: now,
      tags: new Map((options.tags ?? []).map((tag) => [tag, { addedBy: 'fake', addedAt: now }])),
    };
    this.sensors.set(sid, sensor);
    return sensor;
  }

  /** Tags whose TTL ran out are dropped on read, as LimaCharlie drops them in the background. */
  liveTags(sensor: FakeSensor): FakeSensor['tags'] {
    const now = Date.now();
    for (const [tag, info] of sensor.tags) {
      if (info.expiresAt !== undefined && info.expiresAt <= now) sensor.tags.delete(tag);
    }
    return sensor.tags;
  }

  sensorsOf(oid: string): FakeSensor[] {
    return [...this.sensors.values()].filter((s) => s.oid === oid);
  }

  namespaceRules(oid: string, namespace: string): Map<string, FakeRule> {
    const rules = this.org(oid).rules.get(namespace);
    if (!rules) throw new Error(`fake LimaCharlie: unknown namespace ${namespace}`);
    const nowSeconds = Date.now() / 1000;
    for (const [name, rule] of rules) {
      if (rule.expire_on !== undefined && rule.expire_on <= nowSeconds) rules.delete(name);
    }
    return rules;
  }

  putRule(oid: string, name: string, options: PutRuleOptions & { expireOn?: number }): FakeRule {
    const namespace = options.namespace ?? 'general';
    const rule: FakeRule = {
      name,
      namespace,
      detect: structuredClone(options.detect),
      respond: structuredClone(options.respond),
      is_enabled: options.enabled ?? true,
      ...(options.expireOn === undefined ? {} : { expire_on: options.expireOn }),
    };
    this.namespaceRules(oid, namespace).set(name, rule);
    return rule;
  }

  clear(): void {
    this.orgs.clear();
    this.tokens.clear();
    this.sensors.clear();
    this.insight.clear();
    this.services.clear();
    this.apiKeys.clear();
    this.collection.clear();
    this.jobs.clear();
    this.payloads.clear();
    this.installationKeys.clear();
    this.yara.clear();
  }
}

export function sensorInfo(sensor: FakeSensor): Record<string, unknown> {
  return {
    sid: sensor.sid,
    oid: sensor.oid,
    iid: sensor.iid,
    plat: sensor.plat,
    arch: sensor.arch,
    hostname: sensor.hostname,
    int_ip: sensor.intIp,
    ext_ip: sensor.extIp,
    enroll: new Date(sensor.enrolledAt).toISOString(),
    alive: new Date().toISOString(),
    isolated: sensor.isolated,
    should_isolate: sensor.isolated,
    should_seal: sensor.sealed,
    kernel: true,
  };
}
