import { Injectable } from '@nestjs/common';
import {
  IsSid,
  Job,
  LcClient,
  LcCommand,
  LcData,
  LcEvent,
  LcJob,
  LcParam,
  lcResponse,
  LcSid,
  LcTaskCallback,
  LcTaskCtx,
  Table,
  type LimaCharlieClient,
} from 'nestjs-lc-service';

export class AuditArgs {
  @LcParam({ description: 'the sensor whose packages to audit' })
  @IsSid()
  sid!: string;
}

interface PackagesReply {
  event?: { PACKAGES?: { name?: string; version?: string }[] };
}

/**
 * The interactive flow: ask a sensor for its packages now, and report them in a job when its
 * answer comes back (as a detection, possibly to another replica).
 */
@Injectable()
export class AuditHandlers {
  @LcCommand({
    name: 'audit-packages',
    description: "List a sensor's packages in a job",
    args: AuditArgs,
  })
  async audit(@LcData() args: AuditArgs, @LcClient() lc: LimaCharlieClient) {
    const job = new Job();
    job.setCause(`package audit of ${args.sid}`);
    job.addSensor(args.sid);
    job.narrate('asked the sensor for its packages');
    await lc.sensor(args.sid).task('os_packages', {
      callback: this.onPackages,
      job,
      ctx: { requestedAt: new Date().toISOString() },
    });
    return lcResponse({ data: { jobId: job.getId() }, jobs: [job] });
  }

  @LcTaskCallback('audit-packages.reply')
  onPackages(
    @LcEvent() reply: PackagesReply,
    @LcJob() job: Job | null,
    @LcTaskCtx() ctx: { requestedAt: string },
    @LcSid() sid: string | undefined,
  ) {
    if (job === null) return false;
    const packages = reply.event?.PACKAGES ?? [];
    const table = new Table('packages', ['name', 'version']);
    for (const p of packages) table.addRow([p.name ?? '', p.version ?? '']);
    job.narrate(
      `${sid ?? 'the sensor'} reported ${packages.length} packages (asked ${ctx.requestedAt})`,
      [table],
    );
    job.close();
    return lcResponse({ jobs: [job] });
  }
}
