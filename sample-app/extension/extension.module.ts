import { Module, type DynamicModule } from '@nestjs/common';
import { LcExtensionModule } from 'nestjs-lc-service';
import type { SampleExtConfig } from './config.js';
import { Config } from './dto.js';
import { ScanHandlers } from './scan.handlers.js';

export const EXTENSION_NAME = 'sample-ext-scanner';

/** The sample extension, as a user would write it. `register` takes the config so tests can boot it too. */
@Module({})
export class ExtensionAppModule {
  static register(config: SampleExtConfig): DynamicModule {
    return {
      module: ExtensionAppModule,
      imports: [
        LcExtensionModule.forRoot({
          name: EXTENSION_NAME,
          secret: config.secret,
          config: Config,
          views: [{ name: 'main', layoutType: 'action', defaultRequests: ['scan', 'lookup'] }],
          traceComms: config.traceComms,
          limaCharlie: { apiUrl: config.apiUrl },
        }),
      ],
      providers: [ScanHandlers],
    };
  }
}
