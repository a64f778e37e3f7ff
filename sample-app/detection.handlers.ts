import { Injectable } from '@nestjs/common';
import {
  Job,
  LcClient,
  LcData,
  LcHandler,
  LcSid,
  lcResponse,
  Table,
  type LimaCharlieClient,
} from 'nestjs-lc-service';

interface Detection {
  cat?: string;
  detect?: { event?: { HASH?: string; FILE_PATH?: string } };
  routing?: { hostname?: string };
}

/** Detections: tag the host that ran a known-bad binary and report it as a job. */
@Injectable()
export class DetectionHandlers {
  @LcHandler('detection', { detections: ['evil-hash'] })
  async evilHash(
    @LcData() detection: Detection,
    @LcSid() sid: string | undefined,
    @LcClient() lc: LimaCharlieClient,
  ) {
    if (sid === undefined) return false;
    await lc.sensor(sid).tags.add('evil-hash-seen', { ttl: 7 * 24 * 3600 });
    const job = new Job();
    job.setCause(`known-bad hash on ${detection.routing?.hostname ?? sid}`);
    job.addSensor(sid);
    const table = new Table('evidence', ['field', 'value']);
    table.addRow(['hash', detection.detect?.event?.HASH ?? '']);
    table.addRow(['path', detection.detect?.event?.FILE_PATH ?? '']);
    job.narrate('tagged the sensor evil-hash-seen for 7 days', [table], true);
    job.close();
    return lcResponse({ jobs: [job] });
  }

  /** Everything else LimaCharlie sends: acknowledged, nothing to do. */
  @LcHandler('detection')
  other() {
    return true;
  }
}
