import { randomUUID } from 'node:crypto';
import type { DrEvent } from './dr-eval.js';
import { isRecord } from '../is-record.js';

export interface SimSensor {
  sid: string;
  hostname: string;
}

/** A rule as the emulator reads it from the fake API. */
export interface RuleRecord {
  namespace: string;
  name: string;
  detect: unknown;
  respond: unknown;
  enabled: boolean;
}

function defaultEvent(eventType: string): Record<string, unknown> {
  if (eventType !== 'NEW_PROCESS') return {};
  return {
    FILE_PATH: '/tmp/.cache/updater',
    COMMAND_LINE: '/tmp/.cache/updater --quiet',
    PROCESS_ID: 31337,
    PARENT: { FILE_PATH: '/usr/bin/bash', PROCESS_ID: 4242 },
    HASH: '5d41402abc4b2a76b9719d911017c592ae1d3dcd5fbfb1f2b1e6d2f0c2c0d3b9',
  };
}

function setAt(ev: DrEvent, path: string, value: unknown): void {
  const parts = path.split('/');
  const root = parts.shift();
  if ((root !== 'event' && root !== 'routing') || parts.length === 0) return;
  let node: Record<string, unknown> = ev[root];
  for (const part of parts.slice(0, -1)) {
    if (!isRecord(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** Writes into `ev` values that satisfy the positive comparisons of a detect tree. */
function satisfy(node: unknown, ev: DrEvent): void {
  if (!isRecord(node) || node.not === true) return;
  if (node.op === 'and' && Array.isArray(node.rules)) {
    for (const rule of node.rules) satisfy(rule, ev);
  } else if (node.op === 'or' && Array.isArray(node.rules)) {
    satisfy(node.rules[0], ev);
  } else if (typeof node.path === 'string' && node.path !== 'routing/event_type') {
    const value =
      node.op === 'exists'
        ? 'present'
        : typeof node.value === 'string' || typeof node.value === 'number'
          ? node.value
          : undefined;
    if (value !== undefined) setAt(ev, node.path, value);
  }
}

/**
 * The event a rule's `detect` describes: its event type, a plausible default body, and the values
 * its `is` / `starts with` / `contains` / `exists` comparisons ask for (so the sample's hash rule
 * yields the hash it looks for).
 */
export function eventForRule(detect: unknown): { eventType: string; ev: DrEvent } {
  const eventType =
    isRecord(detect) && typeof detect.event === 'string'
      ? detect.event
      : isRecord(detect) && Array.isArray(detect.events) && typeof detect.events[0] === 'string'
        ? detect.events[0]
        : 'NEW_PROCESS';
  const ev: DrEvent = { routing: {}, event: defaultEvent(eventType) };
  satisfy(detect, ev);
  return { eventType, ev };
}

/**
 * The `data` of a `detection` call, in LimaCharlie's shape: `cat`, `routing`, and `detect` holding
 * the event with its own copy of the routing (the interactive layer reads either).
 */
export function detectionData(init: {
  cat: string;
  oid: string;
  sensor: SimSensor;
  eventType: string;
  ev: DrEvent;
  rule?: RuleRecord;
  eventTime: number;
}): Record<string, unknown> {
  const routing = {
    ...init.ev.routing,
    oid: init.oid,
    sid: init.sensor.sid,
    hostname: init.sensor.hostname,
    event_type: init.eventType,
    event_time: init.eventTime,
  };
  return {
    cat: init.cat,
    detect_id: randomUUID(),
    ...(init.rule
      ? { source_rule: `${init.rule.namespace}.${init.rule.name}`, namespace: init.rule.namespace }
      : {}),
    routing,
    detect: { routing: { ...routing }, event: init.ev.event },
  };
}
