import 'reflect-metadata';
import type { DynamicModule, INestApplication, LoggerService, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LcExtensionModule, type LcExtensionModuleOptions } from 'nestjs-lc-service';
import { LcExtTestClient } from 'nestjs-lc-service/testing';

export const EXT_SECRET = 'ext-test-secret';

export interface LcExtTestApp {
  app: INestApplication;
  url: string;
  client: LcExtTestClient;
  close(): Promise<void>;
}

/** Boots a real Nest app with LcExtensionModule on 127.0.0.1 and a signed Extension client. */
export async function startExtApp(setup: {
  providers?: Provider[];
  options?: Partial<LcExtensionModuleOptions>;
  imports?: DynamicModule[];
  adapter?: 'fastify' | 'express';
  oid?: string;
  jwt?: string;
  logger?: LoggerService;
}): Promise<LcExtTestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      LcExtensionModule.forRoot({ name: 'ext-test', secret: EXT_SECRET, ...setup.options }),
      ...(setup.imports ?? []),
    ],
    providers: setup.providers ?? [],
  }).compile();
  const adapter = setup.adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = moduleRef.createNestApplication(adapter, { logger: setup.logger ?? false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    app,
    url,
    client: new LcExtTestClient({
      url,
      secret: EXT_SECRET,
      path: setup.options?.path,
      oid: setup.oid,
      jwt: setup.jwt,
    }),
    close: () => app.close(),
  };
}
