import { randomBytes, randomUUID } from 'node:crypto';

/** An installation key as the API lists it. */
export interface FakeInstallationKey {
  iid: string;
  desc: string;
  tags: string[];
  key: string;
  json_key: string;
  /** Epoch seconds. */
  created: number;
  use_public_root_ca: boolean;
}

export interface AddInstallationKeyOptions {
  iid?: string;
  desc?: string;
  tags?: string[];
  usePublicRootCa?: boolean;
}

export class FakeInstallationKeysState {
  /** oid -> iid -> key. */
  readonly keys = new Map<string, Map<string, FakeInstallationKey>>();

  of(oid: string): Map<string, FakeInstallationKey> {
    let keys = this.keys.get(oid);
    if (!keys) {
      keys = new Map();
      this.keys.set(oid, keys);
    }
    return keys;
  }

  add(oid: string, options: AddInstallationKeyOptions): FakeInstallationKey {
    const iid = options.iid ?? randomUUID();
    const secret = randomBytes(24).toString('base64url');
    const key: FakeInstallationKey = {
      iid,
      desc: options.desc ?? '',
      tags: options.tags ?? [],
      key: `${oid}:${iid}:${secret}`,
      json_key: JSON.stringify({ oid, iid, key: secret }),
      created: Math.trunc(Date.now() / 1000),
      use_public_root_ca: options.usePublicRootCa ?? false,
    };
    this.of(oid).set(iid, key);
    return key;
  }

  clear(): void {
    this.keys.clear();
  }
}
