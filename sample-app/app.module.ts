import { Module, type DynamicModule } from '@nestjs/common';
import { LcServiceModule } from 'nestjs-lc-service';
import { AuditHandlers } from './audit.handlers.js';
import { CommandHandlers } from './commands.handlers.js';
import type { SampleConfig } from './config.js';
import { DetectionHandlers } from './detection.handlers.js';
import { InstallHandlers } from './install.handlers.js';
import { RequestHandlers } from './request.handlers.js';
import { SensorHandlers } from './sensor.handlers.js';

export const SERVICE_NAME = 'sample-hash-checker';

/** The sample service, as a user would write it. `register` takes the config so tests can boot it too. */
@Module({})
export class AppModule {
  static register(config: SampleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LcServiceModule.forRoot({
          serviceName: SERVICE_NAME,
          secret: config.secret,
          traceComms: config.traceComms,
          interactive: true,
          limaCharlie: { apiUrl: config.apiUrl },
          metrics: config.metrics,
          shutdownGraceMs: config.shutdownGraceMs,
          fastPath: config.fastPath,
          asyncContext: config.asyncContext,
        }),
      ],
      providers: [
        InstallHandlers,
        DetectionHandlers,
        SensorHandlers,
        RequestHandlers,
        CommandHandlers,
        AuditHandlers,
      ],
    };
  }
}
