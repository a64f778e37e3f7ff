import { isRecord } from '../is-record.js';

/** An event as D&R rules see it: paths like `routing/event_type` or `event/FILE_PATH`. */
export interface DrEvent {
  routing: Record<string, unknown>;
  event: Record<string, unknown>;
}

/** The D&R operators the emulator evaluates; any other makes the rule not match, and is noted. */
export const SUPPORTED_OPS = [
  'and',
  'or',
  'is',
  'exists',
  'contains',
  'starts with',
  'ends with',
] as const;

/** The value at a `/`-separated path, or undefined. */
export function valueAt(ev: DrEvent, path: string): unknown {
  let node: unknown = ev;
  for (const part of path.split('/')) {
    if (!isRecord(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

function comparable(value: unknown, caseSensitive: boolean): string | undefined {
  if (typeof value === 'string') return caseSensitive ? value : value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function evalNode(node: unknown, ev: DrEvent, unsupported: Set<string>): boolean {
  if (!isRecord(node)) return false;
  const op = node.op;
  let result: boolean;
  if (op === 'and' || op === 'or') {
    const rules = Array.isArray(node.rules) ? node.rules : [];
    result =
      op === 'and'
        ? rules.every((r) => evalNode(r, ev, unsupported))
        : rules.some((r) => evalNode(r, ev, unsupported));
  } else if (op === 'exists') {
    result = typeof node.path === 'string' && valueAt(ev, node.path) !== undefined;
  } else if (op === 'is' || op === 'contains' || op === 'starts with' || op === 'ends with') {
    const sensitive = node['case sensitive'] !== false;
    const actual =
      typeof node.path === 'string' ? comparable(valueAt(ev, node.path), sensitive) : undefined;
    const expected = comparable(node.value, sensitive);
    if (actual === undefined || expected === undefined) result = false;
    else if (op === 'is') result = actual === expected;
    else if (op === 'contains') result = actual.includes(expected);
    else if (op === 'starts with') result = actual.startsWith(expected);
    else result = actual.endsWith(expected);
  } else {
    unsupported.add(String(op));
    return false;
  }
  return node.not === true ? !result : result;
}

/**
 * Whether a rule's `detect` matches the event: its top-level `event` / `events` restrict
 * `routing/event_type`, then its operator tree is evaluated. Operators outside SUPPORTED_OPS
 * evaluate to false and are added to `unsupported`, so the caller can say why nothing matched.
 */
export function detectMatches(detect: unknown, ev: DrEvent, unsupported: Set<string>): boolean {
  if (!isRecord(detect)) return false;
  const eventType = ev.routing.event_type;
  if (typeof detect.event === 'string' && detect.event !== eventType) return false;
  if (Array.isArray(detect.events) && !detect.events.includes(eventType)) return false;
  return evalNode(detect, ev, unsupported);
}

/** The detection names a rule's `respond` reports. */
export function reportNames(respond: unknown): string[] {
  if (!Array.isArray(respond)) return [];
  return respond
    .filter((action): action is Record<string, unknown> => isRecord(action))
    .filter((action) => action.action === 'report' && typeof action.name === 'string')
    .map((action) => action.name as string);
}

/** Whether a rule looks at `routing/investigation_id`: it reports replies to tracked tasks. */
export function usesInvestigationId(detect: unknown): boolean {
  if (!isRecord(detect)) return false;
  if (detect.path === 'routing/investigation_id') return true;
  return Array.isArray(detect.rules) && detect.rules.some((r) => usesInvestigationId(r));
}
