import 'reflect-metadata';
import type { DynamicModule, LoggerService, ModuleMetadata, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LcServiceModule, type LcServiceModuleOptions } from 'nestjs-lc-service';
import { LcTestClient } from 'nestjs-lc-service/testing';

export const SECRET = 'test-secret';

export interface LcTestApp {
  app: NestFastifyApplication;
  url: string;
  client: LcTestClient;
  close(): Promise<void>;
}

export interface LcTestAppSetup {
  providers?: Provider[];
  imports?: ModuleMetadata['imports'];
  options?: Partial<LcServiceModuleOptions>;
  /** Replaces `LcServiceModule.forRoot(...)` (e.g. forRootAsync). */
  lcModule?: DynamicModule;
  configure?: (app: NestFastifyApplication) => void;
  /** Receives the app's log lines; silent by default. */
  logger?: LoggerService;
}

/** A LoggerService that keeps every line, for assertions on what was (not) logged. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private push(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push(
      [level, message, ...rest]
        .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
        .join(' '),
    );
  }
  log(message: unknown, ...rest: unknown[]) {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.push('verbose', message, rest);
  }
}

/** Boots a real Fastify Nest app with the module on 127.0.0.1 and a signed test client for it. */
export async function startLcApp(setup: LcTestAppSetup = {}): Promise<LcTestApp> {
  const lcModule =
    setup.lcModule ??
    LcServiceModule.forRoot({ serviceName: 'test-service', secret: SECRET, ...setup.options });
  const moduleRef = await Test.createTestingModule({
    imports: [lcModule, ...(setup.imports ?? [])],
    providers: setup.providers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: setup.logger ?? false,
  });
  setup.configure?.(app);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const path = setup.options?.path;
  return {
    app,
    url,
    client: new LcTestClient({ url, secret: SECRET, path }),
    close: () => app.close(),
  };
}
