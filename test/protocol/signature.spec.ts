import { createHmac } from 'node:crypto';
import { signBody, SignatureVerifier } from '../../src/protocol/service/signature.js';

describe('signature', () => {
  const body = Buffer.from('{"etype":"health"}');
  const hex = (secret: string) => createHmac('sha256', secret).update(body).digest('hex');

  it('signs as lowercase hex HMAC-SHA256 of the exact bytes', () => {
    expect(signBody('s', body)).toBe(hex('s'));
    expect(signBody('s', body.toString())).toBe(hex('s'));
  });

  it('verifies against every secret of a rotation', () => {
    const verifier = new SignatureVerifier(['old', 'new']);
    expect(verifier.verify(body, hex('old'))).toBe(true);
    expect(verifier.verify(body, hex('new'))).toBe(true);
    expect(verifier.verify(body, hex('other'))).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['an array header', [hex('s'), hex('s')]],
    ['uppercase', hex('s').toUpperCase()],
    ['too short', hex('s').slice(1)],
    ['too long', `${hex('s')}0`],
    ['non-hex', 'z'.repeat(64)],
    ['non-ASCII', 'é'.repeat(64)],
  ])('rejects %s', (_name, header) => {
    expect(new SignatureVerifier(['s']).verify(body, header)).toBe(false);
  });

  it('uses a secret as its UTF-8 bytes', () => {
    const verifier = new SignatureVerifier(['clé']);
    expect(
      verifier.verify(
        body,
        createHmac('sha256', Buffer.from('clé', 'utf8')).update(body).digest('hex'),
      ),
    ).toBe(true);
  });
});
