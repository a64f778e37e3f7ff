import { Injectable } from '@nestjs/common';
import {
  HexDump,
  Job,
  JsonData,
  LcData,
  LcHandler,
  LcReq,
  lcResponse,
  LcResource,
  Table,
  type LcRequest,
} from 'nestjs-lc-service';
import { ADAPTERS, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

/**
 * One test per defect of the Python RI (and its Go port) listed in reference/protocol.md §4 that
 * falls in the core's scope. Each would fail against a port that kept the defect.
 */
@Injectable()
class Handlers {
  @LcHandler('request')
  request(@LcData('mode') mode: string, @LcReq() req: LcRequest) {
    switch (mode) {
      case 'mutate-default': {
        const response = lcResponse();
        response.data.poisoned = true;
        return response;
      }
      case 'default':
        return lcResponse();
      case 'throw':
        throw new TypeError('deterministic bug');
      case 'attachments': {
        const job = new Job();
        job.setCause('attachments');
        job.narrate('dump', [
          new HexDump('bytes', Buffer.from('hi')),
          new JsonData('json', { a: 1 }),
        ]);
        return lcResponse({ jobs: [job] });
      }
      case 'tables': {
        const one = new Table('one', ['h']);
        one.addRow(['x']);
        const two = new Table('two', ['h']);
        return lcResponse({ data: { one: one.toJSON(), two: two.toJSON() } });
      }
      case 'deadline':
        return lcResponse({ data: { deadline: req.deadline?.getTime() ?? null } });
      default:
        return true;
    }
  }

  @LcResource({ name: 'present', category: 'lookup' })
  present() {
    return 'x';
  }
}

describe.each(ADAPTERS)(
  'Python RI defects that must not come back (protocol.md §4) (%s)',
  (adapter) => {
    let t: LcTestApp;
    beforeAll(async () => {
      t = await startLcApp({ adapter, providers: [Handlers] });
    });
    afterAll(() => t.close());
    const send = (mode: string, extra: Record<string, unknown> = {}) =>
      t.client.send('request', { data: { mode }, ...extra });

    it('§4.1 a missing resource is a permanent failure, not a TypeError with retry', async () => {
      const res = await t.client.send('get_resource', { data: { resource: 'absent' } });
      expect(res.body).toEqual({
        success: false,
        retry: false,
        data: {},
        error: 'resource not available',
      });
    });

    it('§4.2 a thrown error sends its message, no traceback', async () => {
      const res = await send('throw');
      expect(res.body).toEqual({
        success: false,
        retry: true,
        data: {},
        error: 'deterministic bug',
      });
    });

    it('§4.3 default response data is never shared between calls', async () => {
      await send('mutate-default');
      expect((await send('default')).body).toEqual({ success: true, data: {} });
    });

    it('§4.3 two Tables never share rows', async () => {
      const data = (await send('tables')).body.data as {
        one: { rows: unknown[] };
        two: { rows: unknown[] };
      };
      expect(data.one.rows).toEqual([['x']]);
      expect(data.two.rows).toEqual([]);
    });

    it('§4.7 bodies over the limit are refused with 413 before being buffered whole', async () => {
      const small = await startLcApp({ adapter, options: { bodyLimit: 64 } });
      try {
        const res = await small.client.send('request', { data: { pad: 'x'.repeat(100) } });
        expect(res.status).toBe(413);
      } finally {
        await small.close();
      }
    });

    it('§4.8 the signature is checked before parsing, and replies are application/json', async () => {
      const unsigned = await t.client.sendRaw('{{{', { signature: null });
      expect(unsigned.status).toBe(401);
      const ok = await send('default');
      expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
    });

    it('§4.9 a 401 has a body, a non-JSON body is a 400, other methods and paths are not ours', async () => {
      const unsigned = await t.client.sendRaw('{}', { signature: null });
      expect(unsigned.body).toMatchObject({ error: expect.stringMatching(/signature/) });
      const notJson = await t.client.sendRaw('not json');
      expect(notJson.status).toBe(400);
      expect((await fetch(`${t.url}/`, { method: 'PUT', body: '{}' })).status).toBe(404);
      expect((await fetch(`${t.url}/elsewhere`, { method: 'POST', body: '{}' })).status).toBe(404);
    });

    it('§4.10 hex dumps serialise as base64 text and JSON attachments say json', async () => {
      const res = await send('attachments');
      const [job] = res.body.jobs!;
      expect(job.hist![0].attachments).toEqual([
        { att_type: 'hex_dump', caption: 'bytes', data: Buffer.from('hi').toString('base64') },
        { att_type: 'json', caption: 'json', data: JSON.stringify({ a: 1 }, null, 2) },
      ]);
    });

    it('§4.11 the deadline is enforced before the handler and exposed to it, with its fraction', async () => {
      const past = await send('default', { deadline: Date.now() / 1000 - 0.5 });
      expect(past.body).toMatchObject({ success: false, error: 'deadline exceeded' });
      const deadline = Math.floor(Date.now() / 1000) + 100.25;
      const res = await send('deadline', { deadline });
      expect((res.body.data as { deadline: number }).deadline).toBe(deadline * 1000);
    });

    it('§4.14 module errors are always in the top-level error (and in data.error where the RI put them)', async () => {
      const unknown = await t.client.send('no_such');
      expect(unknown.body).toMatchObject({
        error: 'not implemented',
        data: { error: 'not implemented' },
      });
      const version = await t.client.send('request', { version: 7 });
      expect(version.body).toMatchObject({ error: 'unsupported version (> 1)' });
    });

    it('§4.18 malformed envelopes get a clear 400, never a raw 500', async () => {
      const version = await t.client.sendRaw('{"etype":"request","version":"one"}');
      expect(version.status).toBe(400);
      expect(version.body).toMatchObject({
        success: false,
        retry: false,
        error: expect.stringMatching(/'version'/),
      });
      const nullData = await t.client.sendRaw('{"etype":"request","data":null}');
      expect(nullData.body).toEqual({ success: true, data: {} });
      const numberData = await t.client.sendRaw('{"etype":"request","data":7}');
      expect(numberData.status).toBe(400);
      expect(numberData.body).toMatchObject({
        success: false,
        retry: false,
        error: expect.stringMatching(/'data'/),
      });
    });

    it('§4.20 calls_in_progress is exact under concurrency', async () => {
      await Promise.all(Array.from({ length: 50 }, () => send('default')));
      const res = await t.client.send('health');
      expect((res.body.data as { calls_in_progress: number }).calls_in_progress).toBe(1);
    });

    it('§4 (secret None) there is no silent unsigned mode: a missing secret fails at boot', async () => {
      await expect(startLcApp({ adapter, options: { secret: undefined } })).rejects.toThrow(
        /option 'secret' is required/,
      );
    });
  },
);
