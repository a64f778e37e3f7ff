import { randomBytes } from 'node:crypto';

import { LcApiError } from '../src/index.js';
import { lastCall, newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const FORM = 'application/x-www-form-urlencoded';

describe('Payloads (limacharlie/sdk/payloads.py)', () => {
  const fake = useFakeLimaCharlie();

  it('payloads.list sends what limacharlie/sdk/payloads.py Payloads.list sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putPayload(oid, 'tool.exe', 'MZ\u0000\u0001');

    const payloads = await lc.payloads.list();

    expect(lastCall(fake())).toMatchObject({ method: 'GET', path: `/v1/payload/${oid}`, body: '' });
    expect(payloads).toEqual({
      'tool.exe': { name: 'tool.exe', size: 4, by: 'fake', created: expect.any(Number) },
    });
  });

  it('payloads.download sends what limacharlie/sdk/payloads.py Payloads.download sends', async () => {
    const { lc, oid, jwt } = newOrgClient(fake());
    const content = randomBytes(70_000);
    fake().putPayload(oid, 'big.bin', content);

    const bytes = await lc.payloads.download('big.bin');

    const [ask, fetchBytes] = fake().calls.slice(-2);
    expect(ask).toMatchObject({ method: 'GET', path: `/v1/payload/${oid}/big.bin`, body: '' });
    expect(ask.headers.authorization).toBe(`bearer ${jwt}`);
    // Step 2 of the SDK: a plain GET of the signed URL, without the JWT.
    expect(fetchBytes.method).toBe('GET');
    expect(fetchBytes.path).toMatch(/^\/storage\//);
    expect(fetchBytes.query).toHaveProperty('X-Goog-Signature');
    expect(fetchBytes.headers.authorization).toBeUndefined();
    expect(Buffer.from(bytes as Uint8Array).equals(content)).toBe(true);

    const missing = await rejectionOf(lc.payloads.download('nope'));
    expect(missing).toMatchObject({ status: 404 });
  });

  it('payloads.upload sends what limacharlie/sdk/payloads.py Payloads.upload sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    const content = randomBytes(5000);

    await lc.payloads.upload('collector.sh', content);

    const [ask, put] = fake().calls.slice(-2);
    expect(ask).toMatchObject({
      method: 'POST',
      path: `/v1/payload/${oid}/collector.sh`,
      body: '',
    });
    expect(ask.headers['content-type']).toBe(FORM);
    expect(put.method).toBe('PUT');
    expect(put.path).toMatch(/^\/storage\//);
    expect(put.headers['content-type']).toBe('application/octet-stream');
    expect(put.headers.authorization).toBeUndefined();
    expect(fake().getPayload(oid, 'collector.sh')?.content.equals(content)).toBe(true);

    await lc.payloads.upload('note.txt', 'echo hi\n');
    await expect(lc.payloads.download('note.txt')).resolves.toEqual(
      new Uint8Array(Buffer.from('echo hi\n')),
    );
  });

  it('payloads.delete sends what limacharlie/sdk/payloads.py Payloads.delete sends', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().putPayload(oid, 'old', 'x');

    await lc.payloads.delete('old');

    expect(lastCall(fake())).toMatchObject({
      method: 'DELETE',
      path: `/v1/payload/${oid}/old`,
      body: '',
    });
    expect(fake().getPayload(oid, 'old')).toBeUndefined();
  });

  it('a download larger than maxResponseBytes fails without being kept', async () => {
    const { lc, oid } = newOrgClient(fake(), { maxResponseBytes: 10_000 });
    fake().putPayload(oid, 'huge', randomBytes(50_000));

    const err = await rejectionOf(lc.payloads.download('huge'));

    expect(err).toBeInstanceOf(LcApiError);
    expect((err as LcApiError).message).toContain('maxResponseBytes');
    expect(err).toMatchObject({ retryable: false });
  });

  it('the storage transfer is retried on 503 and its errors leave out the URL signature', async () => {
    const { lc, oid, events } = newOrgClient(fake());
    fake().putPayload(oid, 'p', 'data');
    fake().failNext({ path: /^\/storage\//, status: 503 });

    await expect(lc.payloads.download('p')).resolves.toEqual(new Uint8Array(Buffer.from('data')));
    expect(events.map((e) => [e.operation, e.status])).toEqual([
      ['payloads.download', 200],
      ['payloads.download.content', 503],
      ['payloads.download.content', 200],
    ]);

    fake().failNext({ path: /^\/storage\//, status: 403, count: 3 });
    const err = await rejectionOf(lc.payloads.download('p'));
    expect(err).toBeInstanceOf(LcApiError);
    expect((err as LcApiError).message).not.toContain('Signature');
    expect(JSON.stringify((err as LcApiError).path)).not.toContain('?');
  });
});
