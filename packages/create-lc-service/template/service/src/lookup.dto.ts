import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { LcParam } from 'nestjs-lc-service';

/** The "request" form LimaCharlie shows for this service, derived from these decorators. */
export class LookupParams {
  @LcParam({ description: 'the SHA-256 to look up' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be 64 lowercase hex characters' })
  hash!: string;

  @LcParam({ description: 'include the list of known hashes' })
  @IsOptional()
  @IsBoolean()
  verbose = false;
}
