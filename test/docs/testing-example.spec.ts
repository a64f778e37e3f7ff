// The example of docs/guides/testing.md, verbatim.
import { Test } from '@nestjs/testing';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LcServiceModule } from 'nestjs-lc-service';
import { FakeLimaCharlie, LcTestClient } from 'nestjs-lc-service/testing';
import { Detections } from './detections.js';

test('an evil hash tags the host', async () => {
  const fake = new FakeLimaCharlie();
  await fake.start();
  const { oid, jwt } = fake.addOrg();
  const { sid } = fake.addSensor(oid, { hostname: 'web-1' });

  const moduleRef = await Test.createTestingModule({
    imports: [
      LcServiceModule.forRoot({
        serviceName: 'hash-checker',
        secret: 's',
        limaCharlie: { apiUrl: fake.url },
      }),
    ],
    providers: [Detections],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  await app.listen(0, '127.0.0.1');

  const lc = await LcTestClient.forApp(app, { secret: 's', oid, jwt });
  const reply = await lc.send('detection', {
    data: { cat: 'evil-hash', routing: { sid, hostname: 'web-1' } },
  });

  expect(reply.body.success).toBe(true);
  expect(fake.sensorTags(sid)).toContain('evil-hash-seen');
  await app.close();
  await fake.stop();
});
