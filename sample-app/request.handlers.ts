import { Injectable } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { LcData, LcHandler, LcParam, lcResponse, LcResource } from 'nestjs-lc-service';
import { EVIL_HASHES } from './rules.js';

/** The "request this service" form: health advertises it, each request is checked against it. */
export class LookupParams {
  @LcParam({ description: 'the SHA-256 to look up' })
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be 64 hex characters' })
  hash!: string;

  @LcParam({ description: 'include the list of known hashes' })
  @IsOptional()
  @IsBoolean()
  verbose = false;
}

/** User requests and published resources. */
@Injectable()
export class RequestHandlers {
  /** "Is this hash known-bad?", from the LimaCharlie UI or API. */
  @LcHandler('request', { params: LookupParams })
  lookup(@LcData() params: LookupParams) {
    const known = EVIL_HASHES.includes(params.hash);
    return lcResponse({ data: params.verbose ? { known, hashes: EVIL_HASHES } : { known } });
  }

  /** A lookup D&R rules can reference as lcr://service/<serviceName>/evil-hashes. */
  @LcResource({ name: 'evil-hashes', category: 'lookup' })
  hashes() {
    return Object.fromEntries(EVIL_HASHES.map((h) => [h, { source: 'sample' }]));
  }
}
