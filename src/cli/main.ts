#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { send, TransportError } from './send.js';

const USAGE = `lc-service-sim: sign and post LimaCharlie service calls.

Usage:
  lc-service-sim send <url> <etype> [options]

Options for send:
  --secret S              shared secret to sign with (default: $LC_SHARED_SECRET, else '')
  --data JSON             the call's data, a JSON object (default {})
  --data-file F           read the data from a JSON file instead
  --oid OID               org id (default: a random UUID)
  --sid SID               put a sensor id in data.sid
  --jwt JWT               a JWT for the service to use (default: none)
  --deadline-seconds N    deadline from now (default 590, like LimaCharlie)
  --timeout-seconds N     how long to wait for the answer (default 60)
  -h, --help              this text

Prints the answer as pretty JSON. Exit code: 0 on success:true, 1 on success:false,
2 when the call could not be delivered or the signature was refused.
`;

function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new TransportError(`${name} must be a positive number`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      secret: { type: 'string' },
      data: { type: 'string' },
      'data-file': { type: 'string' },
      oid: { type: 'string' },
      sid: { type: 'string' },
      jwt: { type: 'string' },
      'deadline-seconds': { type: 'string' },
      'timeout-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true || positionals.length === 0) {
    process.stdout.write(USAGE);
    return values.help === true ? 0 : 2;
  }
  const [command, url, etype, ...extra] = positionals;
  if (command !== 'send' || url === undefined || etype === undefined || extra.length > 0) {
    process.stderr.write(`lc-service-sim: expected 'send <url> <etype>'\n\n${USAGE}`);
    return 2;
  }
  const { status, reply } = await send({
    url,
    etype,
    secret: values.secret ?? process.env.LC_SHARED_SECRET ?? '',
    data: values.data,
    dataFile: values['data-file'],
    oid: values.oid,
    sid: values.sid,
    jwt: values.jwt,
    deadlineSeconds: positiveNumber(values['deadline-seconds'], '--deadline-seconds', 590),
    timeoutMs: positiveNumber(values['timeout-seconds'], '--timeout-seconds', 60) * 1000,
  });
  process.stdout.write(`${JSON.stringify(reply, null, 2)}\n`);
  if (status !== 200) process.stderr.write(`lc-service-sim: HTTP ${status}\n`);
  return (reply as { success?: unknown }).success === true ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`lc-service-sim: ${message}\n`);
    process.exitCode = 2;
  },
);
