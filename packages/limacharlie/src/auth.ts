/** Where the transport gets the JWT each call carries. */
export interface JwtSource {
  /** The JWT to send now; a string when no exchange is needed, which keeps the hot path sync. */
  token(): string | Promise<string>;
  /**
   * After a 401 answered the call made with `rejected`: resolves true when a different JWT is
   * now available, so the call is worth one more try.
   */
  renew(rejected: string): Promise<boolean>;
  /** `text` with every secret this source knows (API key, JWTs) replaced by `[redacted]`. */
  redact(text: string): string;
}

/** The JWT of a protocol call: it cannot be renewed by the client, so a 401 is final. */
export class StaticJwt implements JwtSource {
  constructor(private readonly jwt: string) {}

  token(): string {
    return this.jwt;
  }

  renew(): Promise<boolean> {
    return Promise.resolve(false);
  }

  redact(text: string): string {
    return redactAll(text, [this.jwt]);
  }
}

/**
 * A token is renewed a tenth of its lifetime before `exp`, at most 5 minutes before: a call made
 * just before expiry still lands in time, and a short-lived token is not renewed on every call.
 */
const MAX_RENEW_AHEAD_MS = 5 * 60_000;
const RENEW_AHEAD_SHARE = 0.1;

/**
 * JWTs minted from an API key: fetched on first use, shared by concurrent calls (one exchange in
 * flight at a time), renewed ahead of the `exp` claim and once after a 401.
 */
export class ApiKeyJwt implements JwtSource {
  private jwt: string | undefined;
  private previous: string | undefined;
  private renewAtMs = 0;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly apiKey: string,
    private readonly mint: () => Promise<string>,
  ) {}

  token(): string | Promise<string> {
    if (this.jwt !== undefined && Date.now() < this.renewAtMs) return this.jwt;
    return this.exchange();
  }

  async renew(rejected: string): Promise<boolean> {
    // Another call may have renewed already; only the token that was refused is thrown away.
    if (this.jwt === rejected) this.renewAtMs = 0;
    return (await this.token()) !== rejected;
  }

  redact(text: string): string {
    return redactAll(text, [this.apiKey, this.jwt, this.previous]);
  }

  private exchange(): Promise<string> {
    this.pending ??= this.mint()
      .then((jwt) => {
        const fetchedAt = Date.now();
        this.previous = this.jwt;
        this.jwt = jwt;
        this.renewAtMs = renewTime(jwt, fetchedAt);
        return jwt;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

function renewTime(jwt: string, fetchedAt: number): number {
  const exp = jwtExpiry(jwt);
  if (exp === undefined) return Number.POSITIVE_INFINITY;
  const expMs = exp * 1000;
  const ahead = Math.min(MAX_RENEW_AHEAD_MS, Math.max(0, (expMs - fetchedAt) * RENEW_AHEAD_SHARE));
  return expMs - ahead;
}

/** The `exp` claim (epoch seconds) read without verifying the signature, as the SDK reads it. */
export function jwtExpiry(jwt: string): number | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    if (typeof payload !== 'object' || payload === null) return undefined;
    const exp = (payload as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}

function redactAll(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && out.includes(secret)) out = out.split(secret).join('[redacted]');
  }
  return out;
}
