import { IsString, Matches } from 'class-validator';
import { IsSid, LcField } from 'nestjs-lc-service';

/** Each org's configuration of the extension: LimaCharlie renders it as a form and sends it along. */
export class Config {
  @LcField({ label: 'Tag', description: 'The tag the "tag" action adds' })
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'tag must be 1-64 lowercase letters, digits or dashes' })
  tag!: string;
}

/** The form of the "tag" action. */
export class TagParams {
  @LcField({ label: 'Sensor', description: 'The sensor to tag', dataType: 'sid' })
  @IsSid()
  sid!: string;
}
