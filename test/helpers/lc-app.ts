import 'reflect-metadata';
import type {
  DynamicModule,
  INestApplication,
  LoggerService,
  ModuleMetadata,
  Provider,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LcServiceModule, type LcServiceModuleOptions } from 'nestjs-lc-service';
import { LcTestClient } from 'nestjs-lc-service/testing';

export const SECRET = 'test-secret';

/** The HTTP platforms the module supports; e2e suites run on each. */
export const ADAPTERS = ['fastify', 'express'] as const;
export type LcTestAdapter = (typeof ADAPTERS)[number];

export interface LcTestApp {
  app: INestApplication;
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
  configure?: (app: INestApplication) => void;
  /** Receives the app's log lines; silent by default. */
  logger?: LoggerService;
  /** The HTTP platform. Default `fastify`. */
  adapter?: LcTestAdapter;
  /** Options of `createNestApplication` besides the logger (e.g. `bodyParser`, `rawBody`). */
  appOptions?: { bodyParser?: boolean; rawBody?: boolean };
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

/** Boots a real Nest app (Fastify or Express) with the module on 127.0.0.1 and a signed client. */
export async function startLcApp(setup: LcTestAppSetup = {}): Promise<LcTestApp> {
  const lcModule =
    setup.lcModule ??
    LcServiceModule.forRoot({ serviceName: 'test-service', secret: SECRET, ...setup.options });
  const moduleRef = await Test.createTestingModule({
    imports: [lcModule, ...(setup.imports ?? [])],
    providers: setup.providers ?? [],
  }).compile();
  const adapter = setup.adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = moduleRef.createNestApplication(adapter, {
    logger: setup.logger ?? false,
    ...setup.appOptions,
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
