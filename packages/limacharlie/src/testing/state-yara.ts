export interface FakeYaraRule {
  sources: string[];
  tags: string[];
  platforms: string[];
}

/** A scan the `yara` service accepted. */
export interface FakeYaraScan {
  oid: string;
  sid: string;
  rule: string;
  timeout?: string;
  jobId: string;
}

/** The `yara` service of each org: scanning rules, rule sources, scans run. */
export class FakeYaraState {
  /** oid -> rule name -> rule. */
  readonly rules = new Map<string, Map<string, FakeYaraRule>>();
  /** oid -> source name -> YARA text. */
  readonly sources = new Map<string, Map<string, string>>();
  readonly scans: FakeYaraScan[] = [];

  rulesOf(oid: string): Map<string, FakeYaraRule> {
    return getOrCreate(this.rules, oid);
  }

  sourcesOf(oid: string): Map<string, string> {
    return getOrCreate(this.sources, oid);
  }

  clear(): void {
    this.rules.clear();
    this.sources.clear();
    this.scans.length = 0;
  }
}

function getOrCreate<V>(map: Map<string, Map<string, V>>, oid: string): Map<string, V> {
  let inner = map.get(oid);
  if (!inner) {
    inner = new Map();
    map.set(oid, inner);
  }
  return inner;
}
