import { Injectable } from '@nestjs/common';
import {
  LcHandler,
  LcOid,
  LcTaskCallback,
  LimaCharlieClient,
  type LcServiceModuleOptions,
} from 'nestjs-lc-service';
import { FakeLimaCharlie, LcTestClient } from 'nestjs-lc-service/testing';
import { InvestigationIdCodec } from '../../src/interactive/investigation-id.js';
import { CapturingLogger, SECRET, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

const SERVICE = 'edge-audit';
const RULE = `svc-${SERVICE}-ex`;
/** The JWT for which the app's own clientFactory fails, as a proxy or a secret store can. */
const BROKEN_JWT = 'jwt-of-an-unreachable-proxy';

@Injectable()
class Handlers {
  @LcHandler('org_install')
  install(@LcOid() _oid: string) {
    return true;
  }

  @LcTaskCallback('ri-style')
  riStyle(lc: LimaCharlieClient | null, oid: string) {
    return lc !== null && oid !== '';
  }
}

/** Steps the module runs around handlers: each failure is a protocol answer, never HTTP 500. */
describe('failures outside a handler', () => {
  const fake = new FakeLimaCharlie();
  const logger = new CapturingLogger();
  let t: LcTestApp;
  let client: LcTestClient;
  let oid: string;

  beforeAll(async () => {
    await fake.start();
    const org = fake.addOrg();
    oid = org.oid;
    const options: Partial<LcServiceModuleOptions> = {
      serviceName: SERVICE,
      interactive: true,
      limaCharlie: {
        clientFactory: (oid, jwt, signal) => {
          if (jwt === BROKEN_JWT) throw new Error('the API proxy is unreachable');
          return new LimaCharlieClient({ oid, jwt, signal, apiUrl: fake.url });
        },
      },
    };
    t = await startLcApp({ options, providers: [Handlers], logger });
    client = new LcTestClient({ url: t.url, secret: SECRET, oid, jwt: org.jwt });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(() => {
    logger.lines.length = 0;
  });

  it('leaves the interactive rule alone for etypes named like Object.prototype members', async () => {
    expect((await client.send('org_install')).body).toEqual({ success: true, data: {} });
    for (const etype of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
      const res = await client.send(etype);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: false, retry: false, error: 'not implemented' });
    }
    expect(Object.keys(fake.getRules(oid, 'managed'))).toEqual([RULE]);
  });

  it('answers retry, saying why, when the client for the rule step cannot be built', async () => {
    const res = await client.send('org_install', { jwt: BROKEN_JWT });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: false,
      retry: true,
      data: {},
      error: 'interactive rule push failed: the API proxy is unreachable',
    });
  });

  it('answers without retry when the rule step has no org JWT: a redelivery carries none either', async () => {
    const res = await client.send('org_uninstall', { jwt: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: false,
      retry: false,
      error: 'interactive rule remove failed: the call carries no org JWT',
    });
  });

  it('answers a task reply whose client cannot be built like a thrown error, and logs it', async () => {
    const sid = '5d0c7f3a-2b1e-4c8d-9a6f-3e2d1c0b9a87';
    const id = new InvestigationIdCodec(SERVICE, [SECRET], 60).encode(
      { callback: 'ri-style' },
      { oid, sid },
    );
    const routing = { investigation_id: id, event_type: 'OS_PACKAGES_REP', sid };
    const detection = { cat: `__${RULE}`, routing, detect: { routing, event: {} } };
    expect((await client.send('detection', { data: detection })).body).toEqual({
      success: true,
      data: {},
    });
    const res = await client.send('detection', { data: detection, jwt: BROKEN_JWT });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: false,
      retry: true,
      data: {},
      error: 'the API proxy is unreachable',
    });
    expect(logger.lines.join('\n')).toMatch(
      /detection failed outside its handler \(etype=detection mid=\S+ oid=\S+\): the API proxy is unreachable Error: the API proxy is unreachable\n\s+at /,
    );
  });
});
