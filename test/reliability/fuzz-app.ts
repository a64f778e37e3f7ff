import { Injectable } from '@nestjs/common';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import {
  LcClient,
  LcCommand,
  LcCron,
  LcData,
  LcHandler,
  LcParam,
  lcResponse,
  LcResource,
  LcSid,
  type LimaCharlieClient,
} from 'nestjs-lc-service';

export class LookupParams {
  @LcParam({ description: 'the SHA-256 to look up' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/)
  hash!: string;

  @LcParam({ description: 'how many matches to return' })
  @IsOptional()
  @IsInt()
  @Min(1)
  limit?: number;

  @LcParam({ description: 'include details' })
  @IsOptional()
  @IsBoolean()
  verbose?: boolean;
}

export class TagArgs {
  @LcParam({ description: 'the tag' })
  @IsString()
  tag!: string;

  @LcParam({ description: 'add or remove it' })
  @IsIn(['add', 'remove'])
  action!: 'add' | 'remove';
}

/**
 * A service shaped like a real one, for the fuzzer: routed detections, a DTO-validated request
 * form, a command, an echoing handler (replies carry attacker-controlled data back), a cron that
 * calls the LimaCharlie API, and a published resource.
 */
@Injectable()
export class FuzzHandlers {
  @LcHandler('detection', { detections: ['evil-hash'] })
  evil(@LcData('cat') cat: string, @LcSid() sid: string | undefined) {
    return lcResponse({ data: { cat, sid: sid ?? null } });
  }

  @LcHandler('detection')
  other(@LcData() detection: Record<string, unknown>) {
    return lcResponse({ data: { fields: Object.keys(detection).length } });
  }

  @LcHandler('request', { params: LookupParams })
  lookup(@LcData() params: LookupParams) {
    return lcResponse({ data: { hash: params.hash, limit: params.limit ?? 10 } });
  }

  @LcCommand({ name: 'tag', description: 'Tag or untag', args: TagArgs })
  tag(@LcData() args: TagArgs) {
    return lcResponse({ data: { tag: args.tag, action: args.action } });
  }

  @LcHandler('log_event')
  echo(@LcData() event: Record<string, unknown>) {
    return lcResponse({ data: { echo: event } });
  }

  @LcHandler('new_sensor')
  welcome(@LcSid() sid: string | undefined) {
    return sid !== undefined;
  }

  @LcCron('org_per_1h')
  async hourly(@LcClient() lc: LimaCharlieClient) {
    await lc.whoAmI();
    return true;
  }

  @LcResource({ name: 'rules', category: 'detection' })
  rules() {
    return { 'fuzz-rule': { detect: { op: 'is', path: 'event/FILE_PATH', value: 'x' } } };
  }
}
