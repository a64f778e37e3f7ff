import { Agent, request } from 'node:http';
import { connect } from 'node:net';

export interface Answer {
  /** 0 when no HTTP answer came (connection closed or reset first). */
  status: number;
  contentType: string | undefined;
  body: string;
}

/** One POST on a keep-alive agent; never rejects, gives up after `timeoutMs`. */
export function post(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs = 15_000,
): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', () => resolve({ status: 0, contentType: undefined, body: '' }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ status: 0, contentType: undefined, body: String(err) }));
    req.end(body);
  });
}

export interface RawExchange {
  /** Status of the first answer on the socket, 0 when none came. */
  status: number;
  /** Everything the server wrote, as text. */
  text: string;
  /** The server ended the connection (rather than the test giving up waiting). */
  closedByServer: boolean;
}

/**
 * Writes `parts` to a fresh socket `gapMs` apart (a slow client), optionally half-closes it, and
 * collects what the server answers until it closes or `waitMs` pass.
 */
export function rawExchange(
  port: number,
  parts: Buffer[],
  options: { gapMs?: number; endAfter?: boolean; waitMs?: number } = {},
): Promise<RawExchange> {
  const { gapMs = 0, endAfter = false, waitMs = 3000 } = options;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: status === null ? 0 : Number(status[1]), text, closedByServer });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (isComplete(Buffer.concat(chunks).toString('latin1'))) finish();
    });
    socket.on('end', () => {
      closedByServer = true;
      finish();
    });
    socket.on('error', () => {
      closedByServer = true;
      finish();
    });
    socket.on('connect', async () => {
      for (const part of parts) {
        if (socket.destroyed) return;
        socket.write(part);
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      }
      if (endAfter && !socket.destroyed) socket.end();
    });
  });
}

/** One whole response with a Content-Length body has arrived (the server may keep the socket). */
function isComplete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
  return length !== null && text.length - end - 4 >= Number(length[1]);
}

/** The head of a POST to `/` with these headers, as raw bytes. */
export function requestHead(headers: Record<string, string>): Buffer {
  const lines = ['POST / HTTP/1.1', 'Host: 127.0.0.1'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}
