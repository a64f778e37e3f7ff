import { Injectable } from '@nestjs/common';
import {
  LcClient,
  LcData,
  LcHandler,
  LcOid,
  lcResponse,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { LookupParams } from './lookup.dto.js';

export const EVIL_HASHES = ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'];

export const RULES = {
  'evil-hash': {
    detect: { event: 'NEW_PROCESS', op: 'is', path: 'event/HASH', value: EVIL_HASHES[0] },
    respond: [{ action: 'report', name: 'evil-hash' }],
  },
};

@Injectable()
export class Detections {
  // An org installed the service: push its D&R rule there.
  @LcHandler('org_install')
  async install(@LcClient() lc: LimaCharlieClient) {
    await lc.rules.sync(RULES);
    return true;
  }

  // The rule above reported; naming it subscribes the service to it.
  @LcHandler('detection', { detections: ['evil-hash'] })
  onEvil(@LcOid() oid: string, @LcData('routing') routing: { hostname: string }) {
    return lcResponse({ data: { seen: routing.hostname, oid } });
  }

  // A user requested the service from LimaCharlie; invalid parameters never reach this method.
  @LcHandler('request', { params: LookupParams })
  lookup(@LcData() params: LookupParams) {
    const known = EVIL_HASHES.includes(params.hash);
    return lcResponse({ data: params.verbose ? { known, hashes: EVIL_HASHES } : { known } });
  }
}
