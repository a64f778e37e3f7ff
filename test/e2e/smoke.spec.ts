import { Injectable } from '@nestjs/common';
import { LcHandler, LcOid, type LcRequest } from 'nestjs-lc-service';
import { ADAPTERS, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

@Injectable()
class Handlers {
  @LcHandler('org_install')
  install(lc: unknown, oid: string, request: LcRequest) {
    return { success: true, data: { oid, etype: request.eventType, hasClient: lc !== null } };
  }
  @LcHandler('detection')
  detect(@LcOid() oid: string) {
    return { success: true, data: { oid } };
  }
}

describe.each(ADAPTERS)('smoke (%s)', (adapter) => {
  let t: LcTestApp;
  beforeAll(async () => {
    t = await startLcApp({ adapter, providers: [Handlers] });
  });
  afterAll(() => t.close());

  it('answers', async () => {
    const r = await t.client.send('org_install');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      success: true,
      data: { oid: expect.any(String), etype: 'org_install', hasClient: true },
    });
    const d = await t.client.send('detection');
    expect(d.body.success).toBe(true);
    const h = await t.client.send('health');
    expect(h.body).toMatchObject({ success: true, data: { version: 1, calls_in_progress: 1 } });
    const u = await t.client.sendRaw('{}', { signature: null });
    expect(u.status).toBe(401);
  });
});
