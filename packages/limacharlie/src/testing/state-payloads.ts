import { randomBytes } from 'node:crypto';

export interface FakePayload {
  name: string;
  content: Buffer;
  /** Epoch seconds of the last upload. */
  created: number;
  by: string;
}

/** What one signed storage URL allows: one method on one payload, until it expires. */
interface FakeSignedUrl {
  oid: string;
  name: string;
  method: 'GET' | 'PUT';
  author: string;
  expiresAt: number;
}

/** Where the fake serves signed storage URLs (outside `/v1/`, without a JWT). */
export const FAKE_STORAGE_PREFIX = '/storage/';

const SIGNED_URL_TTL_MS = 15 * 60_000;

export class FakePayloadsState {
  /** oid -> name -> payload. */
  readonly payloads = new Map<string, Map<string, FakePayload>>();
  private readonly signed = new Map<string, FakeSignedUrl>();

  of(oid: string): Map<string, FakePayload> {
    let payloads = this.payloads.get(oid);
    if (!payloads) {
      payloads = new Map();
      this.payloads.set(oid, payloads);
    }
    return payloads;
  }

  put(oid: string, name: string, content: Buffer, by: string): FakePayload {
    const payload = { name, content, created: Math.trunc(Date.now() / 1000), by };
    this.of(oid).set(name, payload);
    return payload;
  }

  /** A URL of the fake that performs `method` on the payload without Authorization. */
  sign(baseUrl: string, grant: Omit<FakeSignedUrl, 'expiresAt'>): string {
    const token = randomBytes(16).toString('hex');
    this.signed.set(token, { ...grant, expiresAt: Date.now() + SIGNED_URL_TTL_MS });
    const signature = randomBytes(16).toString('hex');
    return `${baseUrl}${FAKE_STORAGE_PREFIX}${token}?X-Goog-Signature=${signature}`;
  }

  /** The grant of a signed-URL token, or an HTTP status that refuses it. */
  redeem(token: string, method: string): FakeSignedUrl | 403 {
    const grant = this.signed.get(token);
    if (!grant || grant.method !== method || grant.expiresAt < Date.now()) return 403;
    return grant;
  }

  clear(): void {
    this.payloads.clear();
    this.signed.clear();
  }
}
