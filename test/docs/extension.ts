// The "A whole extension" example of docs/guides/extensions.md, verbatim.
import { Injectable, Module } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import {
  IsSid,
  LcAction,
  LcClient,
  LcConfig,
  LcConfigValidator,
  LcData,
  LcError,
  LcErrorReport,
  LcExtensionEvent,
  LcExtensionModule,
  LcField,
  lcExtResponse,
  type LimaCharlieClient,
} from 'nestjs-lc-service';

export class Config {
  @LcField({ label: 'API key', description: 'Key for the intel feed', dataType: 'secret' })
  @IsString()
  apiKey!: string;

  @LcField({ label: 'Tag', description: 'Tag to add' })
  @IsOptional()
  @IsString()
  tag?: string;
}

export class ScanParams {
  @LcField({ label: 'Sensor', description: 'The sensor to scan', dataType: 'sid' })
  @IsSid()
  sid!: string;

  @LcField({ label: 'Depth', description: 'How deep', filter: { min: 1, max: 5 } })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  depth?: number;
}

const RULE = 'ext-scan-watch';

@Injectable()
export class Scanner {
  @LcAction('scan', {
    params: ScanParams,
    label: 'Scan',
    description: 'Scan a sensor',
    default: true,
  })
  async scan(@LcData() p: ScanParams, @LcClient() lc: LimaCharlieClient) {
    const online = await lc.sensor(p.sid).isOnline();
    if (!online) {
      // Durable deferred work: LimaCharlie calls `scan` again in 30 s, on any replica.
      return lcExtResponse({
        data: { status: 'queued' },
        continuations: [{ action: 'scan', inDelaySec: 30, state: { ...p } }],
      });
    }
    return { status: 'scanned', depth: p.depth ?? 1 };
  }

  @LcExtensionEvent('subscribe')
  async onSubscribe(@LcClient() lc: LimaCharlieClient, @LcConfig() c: Config) {
    await lc.rules.set(RULE, {
      detect: { event: 'NEW_PROCESS', op: 'exists', path: 'event' },
      respond: [{ action: 'add tag', tag: c.tag ?? 'scanned' }],
    });
  }

  @LcExtensionEvent('unsubscribe')
  async onUnsubscribe(@LcClient() lc: LimaCharlieClient) {
    await lc.rules.delete(RULE, { missingOk: true });
  }

  @LcConfigValidator()
  validate(@LcConfig() c: Config) {
    if (c.apiKey.length < 8) throw new LcError('apiKey looks truncated');
  }

  @LcErrorReport()
  onError(@LcData() e: { error: string; oid?: string }) {
    console.warn(`LimaCharlie reports: ${e.error}`);
  }
}

@Module({
  imports: [
    LcExtensionModule.forRoot({
      name: 'ext-scan',
      secret: process.env.LC_EXT_SECRET,
      config: Config,
      views: [{ name: 'main', layoutType: 'action', defaultRequests: ['scan'] }],
      // Unset in production; a local simulator or test sets it.
      limaCharlie: { apiUrl: process.env.LC_API_URL },
    }),
  ],
  providers: [Scanner],
})
export class AppModule {}
