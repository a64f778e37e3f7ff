import { readFile } from 'node:fs/promises';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { FakeLimaCharlie, LcExtTestClient } from 'nestjs-lc-service/testing';
import { ROOT } from '../helpers/dist.js';

/** The one JSON block of docs/reference/extension-schema.md: this extension's schema answer. */
async function documentedSchema(): Promise<string> {
  const page = await readFile(`${ROOT}/docs/reference/extension-schema.md`, 'utf8');
  const blocks = [...page.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

// The guide's whole extension, booted as written, driven through real HTTP.
describe('docs/guides/extensions.md: a whole extension', () => {
  it('subscribes, scans (with a continuation while the sensor is offline), unsubscribes', async () => {
    const fake = new FakeLimaCharlie();
    await fake.start();
    process.env.LC_EXT_SECRET = 'guide-secret';
    process.env.LC_API_URL = fake.url;
    const { AppModule } = await import('./extension.js');
    const { oid, jwt } = fake.addOrg();
    const sensor = fake.addSensor(oid, { hostname: 'web-1', online: false });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const ext = new LcExtTestClient({
        url: await app.getUrl(),
        secret: 'guide-secret',
        oid,
        jwt,
      });
      const config = { apiKey: 'k-12345678', tag: 'seen' };
      expect((await ext.validateConfig({ apiKey: 'short' })).body.error).toBe(
        'apiKey looks truncated',
      );
      // Equal in key order too: the page shows the wire JSON, which Go writes in struct order.
      const schema = (await ext.schemaRequest()).body.data;
      const documented: unknown = JSON.parse(await documentedSchema());
      expect(schema).toEqual(documented);
      expect(JSON.stringify(schema)).toBe(JSON.stringify(documented));
      const queued = await ext.request('scan', { sid: sensor.sid }, { config });
      expect(queued.body.continuations).toEqual([
        { in_delay_sec: 30, action: 'scan', state: { sid: sensor.sid } },
      ]);
      sensor.online = true;
      const done = await ext.request('scan', queued.body.continuations![0].state, { config });
      expect(done.body.data).toEqual({ status: 'scanned', depth: 1 });
      await ext.event('subscribe', {}, { config });
      expect(Object.keys(fake.getRules(oid))).toContain('ext-scan-watch');
      await ext.event('unsubscribe', {}, { config });
      expect(Object.keys(fake.getRules(oid))).not.toContain('ext-scan-watch');
    } finally {
      await app.close();
      await fake.stop();
    }
  });
});
