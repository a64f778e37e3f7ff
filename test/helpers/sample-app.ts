import 'reflect-metadata';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { FakeLimaCharlie, LcTestClient } from 'nestjs-lc-service/testing';
import { AppModule } from '../../sample-app/app.module.js';

export const SAMPLE_SECRET = 'sample-secret';

export interface SampleRun {
  fake: FakeLimaCharlie;
  app: NestFastifyApplication;
  client: LcTestClient;
  oid: string;
  stop(): Promise<void>;
}

/** The sample service on 127.0.0.1, its LimaCharlie client pointed at a fresh FakeLimaCharlie org. */
export async function startSampleApp(): Promise<SampleRun> {
  const fake = new FakeLimaCharlie();
  await fake.start();
  const { oid, jwt } = fake.addOrg();
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.register({ port: 0, secret: SAMPLE_SECRET, traceComms: false, apiUrl: fake.url }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const client = new LcTestClient({ url: await app.getUrl(), secret: SAMPLE_SECRET, oid, jwt });
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
