import type { RuleRecord } from './detections.js';

export interface RuleView extends RuleRecord {
  state: 'installed' | 'removed';
  /** Simulated ms of the last change. */
  changedAt: number;
  /** The call after which the change was seen, e.g. `org_install`. */
  changedBy: string;
}

const key = (rule: { namespace: string; name: string }) => `${rule.namespace}/${rule.name}`;
const body = (rule: RuleRecord) => JSON.stringify([rule.detect, rule.respond, rule.enabled]);

/**
 * The D&R rules the service installed in the emulated org, including the ones it removed since,
 * so the page still shows what `org_uninstall` cleaned up.
 */
export class RuleBook {
  private readonly rules = new Map<string, RuleView>();

  constructor(private readonly read: () => RuleRecord[]) {}

  /** Rereads the org's rules; returns one line per change, e.g. `added managed/svc-x-ex`. */
  refresh(at: number, cause: string): string[] {
    const changes: string[] = [];
    const seen = new Set<string>();
    for (const rule of this.read()) {
      const k = key(rule);
      seen.add(k);
      const prior = this.rules.get(k);
      if (prior?.state === 'installed' && body(prior) === body(rule)) continue;
      changes.push(`${prior?.state === 'installed' ? 'replaced' : 'added'} rule ${k}`);
      this.rules.set(k, { ...rule, state: 'installed', changedAt: at, changedBy: cause });
    }
    for (const [k, rule] of this.rules) {
      if (rule.state === 'installed' && !seen.has(k)) {
        changes.push(`removed rule ${k}`);
        this.rules.set(k, { ...rule, state: 'removed', changedAt: at, changedBy: cause });
      }
    }
    return changes;
  }

  list(): RuleView[] {
    return [...this.rules.values()];
  }
}
