import 'reflect-metadata';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { LcServiceModule } from 'nestjs-lc-service';
import { LcTestClient } from 'nestjs-lc-service/testing';

describe('LcTestClient.forApp', () => {
  let app: NestFastifyApplication;
  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [LcServiceModule.forRoot({ serviceName: 'kit', secret: 's' })],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
  });
  afterEach(async () => {
    await app.close();
  });

  it('sends signed calls to the URL the app listens on', async () => {
    await app.listen(0, '127.0.0.1');
    const lc = await LcTestClient.forApp(app, { secret: 's' });
    const res = await lc.send('health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      data: { mtd: { callbacks: ['get_resource', 'health'] } },
    });
    const unsigned = await (await LcTestClient.forApp(app)).send('health');
    expect(unsigned.status).toBe(401);
  });

  it('says what to do when the app does not listen yet', async () => {
    await app.init();
    await expect(LcTestClient.forApp(app, { secret: 's' })).rejects.toThrow(
      "LcTestClient.forApp: the app is not listening; call `await app.listen(0, '127.0.0.1')` first",
    );
  });
});
