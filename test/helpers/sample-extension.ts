import 'reflect-metadata';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { FakeLimaCharlie, LcExtTestClient } from 'nestjs-lc-service/testing';
import { ExtensionAppModule } from '../../sample-app/extension/extension.module.js';

export const SAMPLE_EXT_SECRET = 'sample-ext-secret';

export interface SampleExtRun {
  fake: FakeLimaCharlie;
  app: NestFastifyApplication;
  client: LcExtTestClient;
  oid: string;
  stop(): Promise<void>;
}

/** The sample extension on 127.0.0.1, its LimaCharlie client pointed at a fresh FakeLimaCharlie org. */
export async function startSampleExtension(): Promise<SampleExtRun> {
  const fake = new FakeLimaCharlie();
  await fake.start();
  const { oid, jwt } = fake.addOrg();
  const moduleRef = await Test.createTestingModule({
    imports: [
      ExtensionAppModule.register({
        port: 0,
        secret: SAMPLE_EXT_SECRET,
        traceComms: false,
        apiUrl: fake.url,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const client = new LcExtTestClient({
    url: await app.getUrl(),
    secret: SAMPLE_EXT_SECRET,
    oid,
    jwt,
  });
  return {
    fake,
    app,
    client,
    oid,
    stop: async () => {
      await app.close();
      await fake.stop();
    },
  };
}
