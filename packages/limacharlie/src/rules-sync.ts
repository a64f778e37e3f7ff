import { parse as parseYaml } from 'yaml';

import { canonicalJson } from './canonical-json.js';
import { isRecord } from './response.js';
import type {
  DrNamespace,
  DrRule,
  DrRuleContent,
  DrRuleDeleteOptions,
  DrRuleDefinition,
  DrRuleSet,
  DrRuleSetOptions,
  RuleSyncOptions,
  RuleSyncResult,
} from './types.js';

export type RuleSetInput = DrRuleSet | { rules: DrRuleSet } | string;

/** The subset of `RulesApi` a sync needs. */
export interface RuleStore {
  list(namespace: DrNamespace): Promise<Record<string, DrRule>>;
  set(name: string, rule: DrRuleContent, options: DrRuleSetOptions): Promise<unknown>;
  delete(name: string, options: DrRuleDeleteOptions): Promise<void>;
}

/** py `Sync` probes these in this order; a later namespace wins when a name exists in several. */
const NAMESPACE_PROBES: readonly (readonly [permission: string, namespace: DrNamespace])[] = [
  ['dr.list', 'general'],
  ['dr.list.managed', 'managed'],
  ['dr.list.replicant', 'replicant'],
];

interface ExistingRule {
  detect: unknown;
  respond: unknown;
  namespace: DrNamespace;
}

export async function syncRules(
  store: RuleStore,
  permissions: ReadonlySet<string>,
  desired: DrRuleSet,
  options: RuleSyncOptions,
): Promise<RuleSyncResult> {
  const result: RuleSyncResult = { added: [], replaced: [], removed: [], unchanged: [] };
  const available = NAMESPACE_PROBES.filter(([perm]) => permissions.has(perm)).map(([, ns]) => ns);
  const existing = await snapshot(store, available);

  for (const [name, rule] of Object.entries(desired)) {
    const want = rule.namespace ?? options.namespace ?? 'general';
    const have = existing.get(name);
    if (
      have &&
      have.namespace === want &&
      canonicalJson(have.detect) === canonicalJson(rule.detect) &&
      canonicalJson(have.respond) === canonicalJson(rule.respond)
    ) {
      result.unchanged.push(name);
      continue;
    }
    if (!options.dryRun) {
      if (have && have.namespace !== want) {
        await store.delete(name, { namespace: have.namespace, missingOk: true });
      }
      await store.set(
        name,
        { detect: rule.detect, respond: rule.respond },
        { namespace: want, replace: true, enabled: true },
      );
    }
    (have ? result.replaced : result.added).push(name);
  }

  if (options.force) {
    const swept = options.namespace
      ? available.filter((ns) => ns === options.namespace)
      : available;
    const removed = new Set<string>();
    // A fresh listing, as py does: the upserts above may have moved rules between namespaces.
    for (const namespace of swept) {
      for (const [name, rule] of Object.entries(await store.list(namespace))) {
        if (name.startsWith('__') || Object.hasOwn(desired, name)) continue;
        // Another replica handling a redelivery of the same call may have deleted it first.
        if (!options.dryRun) {
          await store.delete(name, { namespace: rule.namespace ?? namespace, missingOk: true });
        }
        removed.add(name);
      }
    }
    result.removed.push(...removed);
  }
  return result;
}

/**
 * A record without `namespace` belongs to the namespace it was listed from; py assumed
 * `general`, which would make every unlabelled managed rule look moved.
 */
async function snapshot(
  store: RuleStore,
  namespaces: readonly DrNamespace[],
): Promise<Map<string, ExistingRule>> {
  const rules = new Map<string, ExistingRule>();
  for (const namespace of namespaces) {
    for (const [name, rule] of Object.entries(await store.list(namespace))) {
      rules.set(name, {
        detect: rule.detect,
        respond: rule.respond,
        namespace: rule.namespace ?? namespace,
      });
    }
  }
  return rules;
}

/** Validates the whole set up front so bad input never leaves a half-applied sync behind. */
export function parseRuleSet(input: RuleSetInput): DrRuleSet {
  let source: unknown = input;
  if (typeof input === 'string') {
    try {
      source = parseYaml(input);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new TypeError(`rules.sync: invalid YAML: ${reason}`, { cause });
    }
  }
  if (!isRecord(source)) {
    throw new TypeError('rules.sync: expected a mapping of rule name to {detect, respond}');
  }
  const rules = isRuleMapWrapper(source) ? source.rules : source;
  const out: DrRuleSet = {};
  for (const [name, rule] of Object.entries(rules)) {
    out[name] = validateRule(name, rule);
  }
  return out;
}

/** `{rules: {...}}` is py's config-file shape; a rule that happens to be named `rules` is not. */
function isRuleMapWrapper(
  source: Record<string, unknown>,
): source is { rules: Record<string, unknown> } {
  return isRecord(source.rules) && !('detect' in source.rules) && !('respond' in source.rules);
}

function validateRule(name: string, rule: unknown): DrRuleDefinition {
  if (name === '') throw new TypeError('rules.sync: a rule name must not be empty');
  if (!isRecord(rule)) {
    throw new TypeError(`rules.sync: rule "${name}" must be a mapping with detect and respond`);
  }
  if (!isRecord(rule.detect)) {
    throw new TypeError(`rules.sync: rule "${name}" needs a "detect" mapping`);
  }
  if (!Array.isArray(rule.respond)) {
    throw new TypeError(`rules.sync: rule "${name}" needs a "respond" list`);
  }
  const { namespace } = rule;
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '')) {
    throw new TypeError(`rules.sync: rule "${name}" has an invalid namespace`);
  }
  return {
    detect: rule.detect as DrRuleDefinition['detect'],
    respond: rule.respond as DrRuleDefinition['respond'],
    ...(namespace === undefined ? {} : { namespace }),
  };
}
