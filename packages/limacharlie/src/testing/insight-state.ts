import { randomBytes, randomUUID } from 'node:crypto';

/** A detection as the fake keeps and serves it (the shape `detections.list` yields). */
export interface FakeDetection {
  detect_id: string;
  cat: string;
  /** Epoch milliseconds. */
  ts: number;
  source_rule: string;
  routing: Record<string, unknown>;
  detect: Record<string, unknown>;
}

/** A sensor event as Insight keeps it. */
export interface FakeEvent {
  routing: {
    oid: string;
    sid: string;
    hostname: string;
    event_type: string;
    /** Epoch milliseconds. */
    event_time: number;
    this_atom: string;
    parent_atom?: string;
  };
  event: Record<string, unknown>;
}

export interface FakeAuditEntry {
  oid: string;
  /** Epoch milliseconds. */
  ts: number;
  etype: string;
  ident: string;
  msg: string;
  sid?: string;
}

export interface AddDetectionOptions {
  /** The detection name. */
  cat: string;
  /** Epoch milliseconds (default now). */
  ts?: number;
  detectId?: string;
  sid?: string;
  sourceRule?: string;
  /** The event that matched (default `{}`). */
  detect?: Record<string, unknown>;
}

export interface AddSensorEventOptions {
  eventType: string;
  /** Epoch milliseconds (default now). */
  ts?: number;
  /** Default a random hex atom. */
  atom?: string;
  parentAtom?: string;
  event?: Record<string, unknown>;
}

export interface AddAuditLogOptions {
  etype: string;
  /** Epoch milliseconds (default now). */
  ts?: number;
  sid?: string;
  ident?: string;
  msg?: string;
}

/** Default items per Insight page; a test lowers it (`fake.insightPageSize`) to get many pages. */
export const FAKE_INSIGHT_PAGE_SIZE = 1000;

/** Insight retention of the fake: detections and audit logs per org, events per sensor. */
export class FakeInsight {
  readonly detections = new Map<string, FakeDetection[]>();
  readonly audit = new Map<string, FakeAuditEntry[]>();
  readonly events = new Map<string, FakeEvent[]>();
  pageSize = FAKE_INSIGHT_PAGE_SIZE;

  addDetection(
    oid: string,
    hostname: string | undefined,
    options: AddDetectionOptions,
  ): FakeDetection {
    const ts = options.ts ?? Date.now();
    const detection: FakeDetection = {
      detect_id: options.detectId ?? randomUUID(),
      cat: options.cat,
      ts,
      source_rule: options.sourceRule ?? options.cat,
      routing: {
        oid,
        ...(options.sid === undefined ? {} : { sid: options.sid }),
        ...(hostname === undefined ? {} : { hostname }),
        event_time: ts,
      },
      detect: structuredClone(options.detect ?? {}),
    };
    insertByTime(listOf(this.detections, oid), detection, (d) => d.ts);
    return detection;
  }

  addEvent(oid: string, sid: string, hostname: string, options: AddSensorEventOptions): FakeEvent {
    const event: FakeEvent = {
      routing: {
        oid,
        sid,
        hostname,
        event_type: options.eventType,
        event_time: options.ts ?? Date.now(),
        this_atom: options.atom ?? randomBytes(16).toString('hex'),
        ...(options.parentAtom === undefined ? {} : { parent_atom: options.parentAtom }),
      },
      event: structuredClone(options.event ?? {}),
    };
    insertByTime(listOf(this.events, sid), event, (e) => e.routing.event_time);
    return event;
  }

  addAudit(oid: string, options: AddAuditLogOptions): FakeAuditEntry {
    const entry: FakeAuditEntry = {
      oid,
      ts: options.ts ?? Date.now(),
      etype: options.etype,
      ident: options.ident ?? 'fake-user@example.com',
      msg: options.msg ?? options.etype,
      ...(options.sid === undefined ? {} : { sid: options.sid }),
    };
    insertByTime(listOf(this.audit, oid), entry, (e) => e.ts);
    return entry;
  }

  clear(): void {
    this.detections.clear();
    this.audit.clear();
    this.events.clear();
    this.pageSize = FAKE_INSIGHT_PAGE_SIZE;
  }
}

function listOf<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/** Insight serves by time; keeping each list sorted makes cursors plain offsets. */
function insertByTime<T>(list: T[], item: T, time: (item: T) => number): void {
  const at = list.findIndex((other) => time(other) > time(item));
  if (at < 0) list.push(item);
  else list.splice(at, 0, item);
}
