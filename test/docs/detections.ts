// The "A whole service" example of docs/guides/handlers-and-parameters.md, verbatim apart from the hash value.
import { Injectable } from '@nestjs/common';
import {
  Job,
  LcClient,
  LcCron,
  LcData,
  LcHandler,
  LcSid,
  lcResponse,
  type LimaCharlieClient,
} from 'nestjs-lc-service';

const RULES = {
  'evil-hash': {
    detect: { event: 'NEW_PROCESS', op: 'is', path: 'event/HASH', value: 'e3b0c442' },
    respond: [{ action: 'report', name: 'evil-hash' }],
  },
};

@Injectable()
export class Detections {
  @LcHandler('org_install')
  async install(@LcClient() lc: LimaCharlieClient) {
    await lc.rules.sync(RULES);
    return true;
  }

  // Routed by detection name and added to health's detect_subscriptions.
  @LcHandler('detection', { detections: ['evil-hash'] })
  async onEvil(
    @LcData() detection: { routing: { hostname: string } },
    @LcSid() sid: string,
    @LcClient() lc: LimaCharlieClient,
  ) {
    await lc.sensor(sid).tags.add('evil-hash-seen', { ttl: 86400 });
    const job = new Job();
    job.setCause(`evil hash on ${detection.routing.hostname}`);
    job.addSensor(sid);
    job.close();
    return lcResponse({ jobs: [job] });
  }

  @LcCron('sensor_per_24h')
  async daily(@LcSid() sid: string, @LcClient() lc: LimaCharlieClient) {
    if (await lc.sensor(sid).isOnline()) await lc.sensor(sid).task('os_packages');
    return true;
  }
}
