import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SIGNATURE_HEADER, signBody } from '../protocol/service/signature.js';
import { pythonJsonDumps } from './python-json.js';

export interface SendOptions {
  url: string;
  etype: string;
  secret: string;
  data?: string;
  dataFile?: string;
  oid?: string;
  sid?: string;
  jwt?: string;
  deadlineSeconds: number;
  timeoutMs: number;
}

/** A failure to deliver or authenticate: exit code 2. */
export class TransportError extends Error {}

async function readData(options: SendOptions): Promise<Record<string, unknown>> {
  if (options.data !== undefined && options.dataFile !== undefined) {
    throw new TransportError('use either --data or --data-file, not both');
  }
  const text =
    options.dataFile !== undefined
      ? await readFile(options.dataFile, 'utf8')
      : (options.data ?? '{}');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new TransportError(`--data is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TransportError('--data must be a JSON object');
  }
  return data as Record<string, unknown>;
}

/**
 * The Python simulator's envelope (no `version`; `deadline` = now + 590 s by default), serialised
 * and signed the way it does, so a signature made here verifies in either implementation.
 */
export async function buildSignedBody(
  options: SendOptions,
): Promise<{ body: string; signature: string }> {
  const data = await readData(options);
  if (options.sid !== undefined) data.sid = options.sid;
  const envelope: Record<string, unknown> = {
    data,
    deadline: Math.floor(Date.now() / 1000) + options.deadlineSeconds,
    etype: options.etype,
    mid: randomUUID(),
    oid: options.oid ?? randomUUID(),
  };
  if (options.jwt !== undefined) envelope.jwt = options.jwt;
  const body = pythonJsonDumps(envelope);
  return { body, signature: signBody(options.secret, body) };
}

export interface SendResult {
  status: number;
  reply: unknown;
}

export async function send(options: SendOptions): Promise<SendResult> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TransportError(`not a URL: ${options.url}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TransportError(`the URL must be http:// or https://, got ${url.protocol}`);
  }
  const { body, signature } = await buildSignedBody(options);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'lc-services',
        [SIGNATURE_HEADER]: signature,
      },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause;
    throw new TransportError(
      `could not reach ${url.href}: ${cause?.message ?? (err as Error).message}`,
    );
  }
  const text = await res.text();
  if (res.status === 401) {
    throw new TransportError(`${url.href} refused the signature (HTTP 401): check --secret`);
  }
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw new TransportError(
      `HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`,
    );
  }
  return { status: res.status, reply };
}
