import { Injectable } from '@nestjs/common';
import { LcAction, LcClient, LcConfig, LcData, type LimaCharlieClient } from 'nestjs-lc-service';
import { Config, TagParams } from './config.dto.js';

@Injectable()
export class Tagger {
  // Called when a user runs "Tag" in LimaCharlie, with the params and the org's config validated.
  @LcAction('tag', { params: TagParams, label: 'Tag', description: 'Tag a sensor', default: true })
  async tag(
    @LcData() params: TagParams,
    @LcConfig() config: Config,
    @LcClient() lc: LimaCharlieClient,
  ) {
    await lc.sensor(params.sid).tags.add(config.tag);
    return { tagged: params.sid, tag: config.tag };
  }
}
