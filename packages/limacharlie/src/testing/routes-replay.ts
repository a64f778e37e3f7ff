import { errorReply } from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';

interface ReplayEvent {
  routing: Record<string, unknown>;
  event: Record<string, unknown>;
}

/** What one evaluation returns: whether it matched, and operators evaluated. */
interface Evaluation {
  matched: boolean;
  evals: number;
}

function valueAt(event: ReplayEvent, path: string): unknown {
  let node: unknown = event;
  for (const part of path.split('/')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * A subset of D&R detection operators (`and`, `or`, `is`, `contains`, `exists`, `starts with`,
 * `ends with`, plus `event` filtering), enough for realistic replay answers.
 */
function evaluate(detect: unknown, event: ReplayEvent): Evaluation {
  if (typeof detect !== 'object' || detect === null) throw errorReply(400, 'invalid detect');
  const node = detect as Record<string, unknown>;
  if (typeof node.event === 'string' && node.event !== event.routing.event_type) {
    return { matched: false, evals: 1 };
  }
  const op = node.op;
  if (op === 'and' || op === 'or') {
    if (!Array.isArray(node.rules)) throw errorReply(400, `${op} needs rules`);
    let evals = 1;
    for (const rule of node.rules) {
      const sub = evaluate(rule, event);
      evals += sub.evals;
      if (op === 'and' && !sub.matched) return { matched: false, evals };
      if (op === 'or' && sub.matched) return { matched: true, evals };
    }
    return { matched: op === 'and', evals };
  }
  if (typeof node.path !== 'string') throw errorReply(400, `operator ${String(op)} needs a path`);
  const found = valueAt(event, node.path);
  const insensitive = node['case sensitive'] === false;
  const norm = (v: unknown): string => {
    const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
    return insensitive ? text.toLowerCase() : text;
  };
  const want = norm(node.value);
  const got = found === undefined ? undefined : norm(found);
  switch (op) {
    case 'exists':
      return { matched: found !== undefined, evals: 1 };
    case 'is':
      return { matched: got === want, evals: 1 };
    case 'contains':
      return { matched: got !== undefined && got.includes(want), evals: 1 };
    case 'starts with':
      return { matched: got !== undefined && got.startsWith(want), evals: 1 };
    case 'ends with':
      return { matched: got !== undefined && got.endsWith(want), evals: 1 };
    default:
      throw errorReply(400, `unsupported operator: ${String(op)}`);
  }
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw errorReply(400, `${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** The rule to replay: given inline, or an existing rule of the namespace (default `general`). */
function ruleOf(
  ctx: RouteContext,
  source: Record<string, unknown>,
): { detect: unknown; respond: unknown } {
  if (source.rule !== undefined && source.rule !== null) {
    const rule = record(source.rule, 'rule_source.rule');
    return { detect: rule.detect, respond: rule.respond ?? [] };
  }
  const name = source.rule_name;
  if (typeof name !== 'string' || name === '') {
    throw errorReply(400, 'rule_source needs rule_name or rule');
  }
  const namespace =
    typeof source.namespace === 'string' && source.namespace !== '' ? source.namespace : 'general';
  const rule = ctx.store.namespaceRules(ctx.token.oid, namespace).get(name);
  if (!rule) throw errorReply(404, `RECORD_NOT_FOUND: rule ${name}`);
  return rule;
}

/** Historical events of the org for `sensor_events`: times in seconds, optional sid. */
function historical(ctx: RouteContext, selection: Record<string, unknown>): ReplayEvent[] {
  ctx.require('insight.evt.get');
  const startMs = typeof selection.start_time === 'number' ? selection.start_time * 1000 : 0;
  const endMs =
    typeof selection.end_time === 'number' ? selection.end_time * 1000 : Number.MAX_SAFE_INTEGER;
  const out: ReplayEvent[] = [];
  for (const sensor of ctx.store.sensorsOf(ctx.token.oid)) {
    if (typeof selection.sid === 'string' && selection.sid !== sensor.sid) continue;
    for (const event of ctx.store.insight.events.get(sensor.sid) ?? []) {
      if (event.routing.event_time >= startMs && event.routing.event_time <= endMs) out.push(event);
    }
  }
  return out;
}

/** The replay service: one `POST /` with the JSON request limacharlie/sdk/replay.py builds. */
export const replayRoutes: FakeRoute[] = [
  {
    method: 'POST',
    host: 'replay',
    pattern: /^$/,
    handle: (ctx) => {
      let body: Record<string, unknown>;
      try {
        body = record(JSON.parse(ctx.body), 'body');
      } catch (err) {
        if (err instanceof SyntaxError) throw errorReply(400, 'body is not JSON');
        throw err;
      }
      if (body.oid !== ctx.token.oid) {
        throw errorReply(401, `unauthorized: token not valid for org ${String(body.oid)}`);
      }
      ctx.store.collection.replayRequests.push(body);
      const rule = ruleOf(ctx, record(body.rule_source, 'rule_source'));
      const source = record(body.event_source, 'event_source');
      const events = Array.isArray(source.events)
        ? (source.events as ReplayEvent[])
        : historical(ctx, record(source.sensor_events ?? {}, 'sensor_events'));
      const limitEvents = typeof body.limit_event === 'number' ? body.limit_event : 0;
      const limitEvals = typeof body.limit_eval === 'number' ? body.limit_eval : 0;
      const responses: unknown[] = [];
      let numEvals = 0;
      let numEvents = 0;
      for (const event of events) {
        if (limitEvents > 0 && numEvents >= limitEvents) break;
        if (limitEvals > 0 && numEvals >= limitEvals) break;
        numEvents += 1;
        const result = evaluate(rule.detect, record(event, 'event') as unknown as ReplayEvent);
        numEvals += result.evals;
        if (!result.matched) continue;
        for (const action of Array.isArray(rule.respond) ? rule.respond : []) {
          responses.push({ action, event: event.event, routing: event.routing });
        }
      }
      return {
        responses,
        num_evals: numEvals,
        num_events: numEvents,
        eval_time: 0,
        errors: [],
        ...(body.trace === true ? { traces: [] } : {}),
      };
    },
  },
];
