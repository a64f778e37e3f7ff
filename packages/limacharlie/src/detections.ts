import type { LcTransport } from './http.js';
import { epochSeconds, positiveLimit, walkCursor } from './insight-pages.js';
import type {
  AuditLogEntry,
  AuditLogListOptions,
  Detection,
  DetectionListOptions,
} from './insight-types.js';
import { expectRecord } from './response.js';
import { assertUuid } from './validation.js';

/** The org's detection history in Insight (needs Insight retention on the org). */
export class DetectionsApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  /**
   * Detections between `start` and `end`, page by page as the iteration advances (compressed
   * pages, cursor `-` first). Breaking out of the loop fetches nothing more.
   */
  list(options: DetectionListOptions): AsyncGenerator<Detection, void, undefined> {
    const limit = positiveLimit('detections.list', options.limit);
    return walkCursor<Detection>(this.transport, {
      operation: 'detections.list',
      path: `insight/${this.oid}/detections`,
      query: {
        start: epochSeconds('detections.list start', options.start),
        end: epochSeconds('detections.list end', options.end),
        is_compressed: 'true',
        limit,
        cat: options.category || undefined,
      },
      field: 'detects',
      limit,
    });
  }

  async get(detectId: string): Promise<Detection> {
    if (typeof detectId !== 'string' || detectId === '') {
      throw new TypeError('detections.get needs a non-empty detection id');
    }
    const path = `insight/${this.oid}/detections/${encodeURIComponent(detectId)}`;
    return expectRecord(
      await this.transport.call('detections.get', 'GET', path),
      'GET',
      path,
    ) as Detection;
  }
}

export class AuditLogsApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  /** Audit entries between `start` and `end`, fetched page by page like `detections.list`. */
  list(options: AuditLogListOptions): AsyncGenerator<AuditLogEntry, void, undefined> {
    const limit = positiveLimit('auditLogs.list', options.limit);
    if (options.sid !== undefined) assertUuid('sid', options.sid);
    return walkCursor<AuditLogEntry>(this.transport, {
      operation: 'auditLogs.list',
      path: `insight/${this.oid}/audit`,
      query: {
        start: epochSeconds('auditLogs.list start', options.start),
        end: epochSeconds('auditLogs.list end', options.end),
        is_compressed: 'true',
        limit,
        event_type: options.eventType || undefined,
        sid: options.sid,
      },
      field: 'events',
      limit,
    });
  }
}
