import { createServer, type ServerResponse } from 'node:http';
import {
  BODY_LIMIT,
  minimalAnswer,
  minimalExtAnswer,
  TOO_LARGE,
  type MinimalReply,
} from './minimal-answer.js';

/** The baseline: bare node:http around the minimum work (whole body read, then minimalAnswer). */

const JSON_TYPE = 'application/json; charset=utf-8';

function reply(res: ServerResponse, out: MinimalReply): void {
  res.writeHead(out.status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(out.body),
  });
  res.end(out.body);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > BODY_LIMIT) {
      reply(res, TOO_LARGE);
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    const extSig = req.headers['lc-ext-sig'];
    reply(
      res,
      extSig === undefined
        ? minimalAnswer(body, req.headers['lc-svc-sig'])
        : minimalExtAnswer(body, extSig),
    );
  });
});

server.listen(Number(process.env.PORT ?? 8081), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
