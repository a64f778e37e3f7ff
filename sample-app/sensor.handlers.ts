import { Injectable } from '@nestjs/common';
import {
  LcClient,
  LcCron,
  LcHandler,
  lcResponse,
  LcSid,
  type LimaCharlieClient,
} from 'nestjs-lc-service';

/** Per-sensor and per-org work, driven by LimaCharlie's scheduled calls. */
@Injectable()
export class SensorHandlers {
  /** Every day, for each sensor: ask an online sensor for its package list. */
  @LcCron('sensor_per_24h')
  async daily(@LcSid() sid: string | undefined, @LcClient() lc: LimaCharlieClient) {
    if (sid === undefined) return false;
    const sensor = lc.sensor(sid);
    if (!(await sensor.isOnline()))
      return lcResponse({ data: { tasked: false, reason: 'offline' } });
    await sensor.task('os_packages');
    return lcResponse({ data: { tasked: true } });
  }

  /** Every hour, for each org: count sensors (a stand-in for a health report). */
  @LcCron('org_per_1h')
  async hourly(@LcClient() lc: LimaCharlieClient) {
    let sensors = 0;
    for await (const _sensor of lc.sensors.list()) sensors++;
    return lcResponse({ data: { sensors } });
  }

  @LcHandler('new_sensor')
  welcome(@LcSid() sid: string | undefined, @LcClient() lc: LimaCharlieClient) {
    if (sid === undefined) return false;
    return lc
      .sensor(sid)
      .tags.add('seen-by-sample')
      .then(() => true);
  }
}
