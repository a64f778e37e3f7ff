import { Injectable } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import {
  IsSid,
  LcClient,
  LcCommand,
  LcData,
  LcParam,
  lcResponse,
  type LimaCharlieClient,
} from 'nestjs-lc-service';

export class TagSensorArgs {
  @LcParam({ description: 'the sensor to tag' })
  @IsSid()
  sid!: string;

  @LcParam({ description: 'the tag to add' })
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'must be 1-64 lowercase letters, digits or dashes' })
  tag!: string;

  @LcParam({ description: 'how long the tag lives, in seconds (default one day)' })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  ttl = 24 * 3600;
}

export class IsolationArgs {
  @LcParam({ description: 'the sensor' })
  @IsSid()
  sid!: string;

  @LcParam({ description: 'cut the sensor off the network, or let it back' })
  @IsIn(['isolate', 'rejoin'])
  action!: 'isolate' | 'rejoin';
}

/** Commands an analyst runs from LimaCharlie, each with its own form. */
@Injectable()
export class CommandHandlers {
  @LcCommand({ name: 'tag-sensor', description: 'Tag a sensor for a while', args: TagSensorArgs })
  async tag(@LcData() args: TagSensorArgs, @LcClient() lc: LimaCharlieClient) {
    await lc.sensor(args.sid).tags.add(args.tag, { ttl: args.ttl });
    return lcResponse({ data: { tagged: args.sid, tag: args.tag, ttl: args.ttl } });
  }

  @LcCommand({
    name: 'network-isolation',
    description: 'Isolate a sensor from the network, or rejoin it',
    args: IsolationArgs,
  })
  async isolation(@LcData() args: IsolationArgs, @LcClient() lc: LimaCharlieClient) {
    const sensor = lc.sensor(args.sid);
    if (args.action === 'isolate') await sensor.isolate();
    else await sensor.rejoin();
    return lcResponse({ data: { sid: args.sid, action: args.action } });
  }
}
