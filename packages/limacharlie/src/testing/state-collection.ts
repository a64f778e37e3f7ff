import { randomUUID } from 'node:crypto';

/** An artifact the fake serves from `insight/{oid}/artifacts`. */
export interface FakeArtifact {
  id: string;
  sid: string;
  type: string;
  source: string;
  /** Epoch seconds. */
  ts: number;
  size: number;
  /** The original bytes, served inline by `artifacts/originals/{id}`. */
  data: string;
}

export interface AddArtifactOptions {
  sid?: string;
  type?: string;
  source?: string;
  /** Epoch seconds (default now). */
  ts?: number;
  /** Default `''`. */
  data?: string;
  id?: string;
}

/** Collection and monitoring rules of an org: artifact rules and the three rule services. */
export interface FakeCollectionRules {
  artifact: Map<string, Record<string, unknown>>;
  logging: Map<string, Record<string, unknown>>;
  integrity: Map<string, Record<string, unknown>>;
  exfilEvents: Map<string, Record<string, unknown>>;
  exfilWatches: Map<string, Record<string, unknown>>;
}

/** Artifacts, collection rules and replay requests, per org, beside the core `FakeStore` maps. */
export class FakeCollectionState {
  readonly artifacts = new Map<string, FakeArtifact[]>();
  readonly rules = new Map<string, FakeCollectionRules>();
  /** The JSON bodies the replay host received, in order. */
  readonly replayRequests: Record<string, unknown>[] = [];
  /** Artifacts per `insight/{oid}/artifacts` page. */
  artifactPageSize = 2;

  rulesOf(oid: string): FakeCollectionRules {
    let rules = this.rules.get(oid);
    if (!rules) {
      rules = {
        artifact: new Map(),
        logging: new Map(),
        integrity: new Map(),
        exfilEvents: new Map(),
        exfilWatches: new Map(),
      };
      this.rules.set(oid, rules);
    }
    return rules;
  }

  addArtifact(oid: string, options: AddArtifactOptions): FakeArtifact {
    const data = options.data ?? '';
    const artifact: FakeArtifact = {
      id: options.id ?? randomUUID(),
      sid: options.sid ?? randomUUID(),
      type: options.type ?? 'txt',
      source: options.source ?? 'fake',
      ts: options.ts ?? Math.floor(Date.now() / 1000),
      size: Buffer.byteLength(data),
      data,
    };
    const list = this.artifacts.get(oid) ?? [];
    list.push(artifact);
    list.sort((a, b) => a.ts - b.ts);
    this.artifacts.set(oid, list);
    return artifact;
  }

  clear(): void {
    this.artifacts.clear();
    this.rules.clear();
    this.replayRequests.length = 0;
    this.artifactPageSize = 2;
  }
}
