/** Shapes of the Insight (retention) answers: detections, sensor events, audit logs. */

/** Where an event came from; `this_atom`/`parent_atom` link it into the process tree. */
export interface EventRouting {
  oid?: string;
  sid?: string;
  hostname?: string;
  event_type?: string;
  /** Epoch milliseconds. */
  event_time?: number;
  event_id?: string;
  this_atom?: string;
  parent_atom?: string;
  tags?: string[];
  [key: string]: unknown;
}

/** One telemetry event as Insight keeps it. */
export interface InsightEvent {
  routing: EventRouting;
  event: Record<string, unknown>;
  [key: string]: unknown;
}

/** One detection as a D&R rule's `report` produced it. */
export interface Detection {
  detect_id: string;
  /** The detection name (the `report` action's `name`). */
  cat: string;
  /** Epoch milliseconds. */
  ts?: number;
  source_rule?: string;
  routing?: EventRouting;
  detect?: Record<string, unknown>;
  detect_mtd?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One entry of the org's audit log. */
export interface AuditLogEntry {
  /** Epoch milliseconds. */
  ts?: number;
  etype?: string;
  oid?: string;
  sid?: string;
  ident?: string;
  msg?: string;
  [key: string]: unknown;
}

export interface DetectionListOptions {
  /** Epoch seconds. */
  start: number;
  /** Epoch seconds. */
  end: number;
  /** Most detections yielded (also sent to the API). */
  limit?: number;
  /** Only detections of this name (sent as `cat`). */
  category?: string;
}

export interface AuditLogListOptions {
  start: number;
  end: number;
  limit?: number;
  /** Only entries of this type (sent as `event_type`). */
  eventType?: string;
  /** Only entries about this sensor. */
  sid?: string;
}

export interface SensorEventsOptions {
  start: number;
  end: number;
  limit?: number;
  /** Only events of this type (sent as `event_type`). */
  eventType?: string;
  /** Oldest first (default true), as the SDK's `is_forward`. */
  isForward?: boolean;
}
