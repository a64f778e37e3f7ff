import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';

/** The header LimaCharlie puts the body signature in. */
export const SIGNATURE_HEADER = 'lc-svc-sig';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** Lowercase hex HMAC-SHA256 of the exact body bytes, as LimaCharlie and the RI simulator sign. */
export function signBody(secret: string | Buffer, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Verifies `lc-svc-sig` against one or more shared secrets (several during a rotation).
 * Keys are prepared once; each check is an HMAC per secret plus a constant-time compare of the
 * 32 raw digest bytes.
 */
export class SignatureVerifier {
  private readonly keys: KeyObject[];

  constructor(secrets: readonly string[]) {
    this.keys = secrets.map((s) => createSecretKey(Buffer.from(s, 'utf8')));
  }

  verify(body: Buffer, header: unknown): boolean {
    // Only the exact lowercase form LimaCharlie sends is accepted: anything else cannot match.
    if (typeof header !== 'string' || !HEX_SHA256.test(header)) return false;
    const given = Buffer.from(header, 'hex');
    let ok = false;
    for (const key of this.keys) {
      const expected = createHmac('sha256', key).update(body).digest();
      // Every key is tried, so timing does not reveal which secret of a rotation matched.
      if (timingSafeEqual(expected, given)) ok = true;
    }
    return ok;
  }
}
