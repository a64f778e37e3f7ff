import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import {
  LcData,
  LcHandler,
  LcServiceModule,
  lcResponse,
  type LcServiceModuleOptions,
} from 'nestjs-lc-service';

/** One line per handler start and end on stdout: the test matches them to the answers it got. */
function event(name: string, id: number): void {
  process.stdout.write(`EVENT ${name} ${id}\n`);
}

@Injectable()
class WorkHandlers {
  @LcHandler('request')
  async work(@LcData('id') id: number, @LcData('ms') ms: number) {
    event('start', id);
    await new Promise((resolve) => setTimeout(resolve, ms));
    event('end', id);
    return lcResponse({ data: { id } });
  }
}

@Module({})
export class LoadAppModule {
  static register(secret: string, options: Partial<LcServiceModuleOptions> = {}): DynamicModule {
    return {
      module: LoadAppModule,
      imports: [
        LcServiceModule.forRoot({
          serviceName: 'load-app',
          secret,
          shutdownGraceMs: 5000,
          ...options,
        }),
      ],
      providers: [WorkHandlers],
    };
  }
}
