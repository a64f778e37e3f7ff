import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsSid, LcField } from 'nestjs-lc-service';

/** The org's config, as LimaCharlie's web app renders and stores it. */
export class Config {
  @LcField({ label: 'API key', description: 'Key for the intel feed', dataType: 'secret' })
  @IsString()
  apiKey!: string;

  @LcField({ label: 'Tag', description: 'Tag the D&R rule adds to a flagged sensor' })
  @IsOptional()
  @IsString()
  tag?: string;
}

export class ScanParams {
  @LcField({ label: 'Sensor', description: 'The sensor to scan', dataType: 'sid' })
  @IsSid()
  sid!: string;

  @LcField({ label: 'Depth', description: 'How deep to scan' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  depth?: number;
}

/** The `state` a queued scan carries to `rescan`. */
export class RescanState extends ScanParams {
  @LcField({ label: 'Attempt', description: 'Retries made so far' })
  @IsInt()
  @Min(1)
  attempt!: number;
}

export class LookupParams {
  @LcField({ label: 'SHA-256', description: 'The file hash to look up' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/)
  hash!: string;
}
