import { parseArgs } from 'node:util';
import { HANDLER_ETYPES, isOrglessEtype } from 'nestjs-lc-service/protocol';
import { apiCallsText, NO_JWT_NOTE, orgAccess } from './org-access.js';
import { send, TransportError } from './send.js';
import { unknownName } from './suggest.js';

/** Every etype LimaCharlie sends a service; another name is refused unless --force. */
const KNOWN_ETYPES: readonly string[] = ['health', 'get_resource', ...HANDLER_ETYPES];

export const SEND_USAGE = `  lc-service-sim send <url> <etype> [options]
    Signs one call the way the Python simulator does and prints the answer as pretty JSON.
    Exit code: 0 on success:true, 1 on success:false, 2 when the call could not be delivered or
    the signature was refused.

    --secret S              shared secret to sign with (default: $LC_SHARED_SECRET, else '')
    --data JSON             the call's data, a JSON object (default {})
    --data-file F           read the data from a JSON file instead
    --oid OID               org id (default: a random UUID)
    --sid SID               put a sensor id in data.sid
    --jwt JWT               a JWT for the service to use (default: none)
    --api URL               emulate the LimaCharlie API on this loopback URL (your service's
                            LC_API_URL) while the call runs, send its org's JWT, and list the
                            API calls the service made
    --force                 send an etype LimaCharlie does not send (default: refused, with the
                            nearest known one)
    --deadline-seconds N    deadline from now (default 590, like LimaCharlie)
    --timeout-seconds N     how long to wait for the answer (default 60)
`;

function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new TransportError(`${name} must be a positive number`);
  return n;
}

/** `lc-service-sim send`: one signed call, its answer on stdout. */
export async function runSendCommand(argv: string[]): Promise<number> {
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
      api: { type: 'string' },
      force: { type: 'boolean' },
      'deadline-seconds': { type: 'string' },
      'timeout-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`Usage:\n${SEND_USAGE}`);
    return 0;
  }
  const [url, etype, ...extra] = positionals;
  if (url === undefined || etype === undefined || extra.length > 0) {
    process.stderr.write(`lc-service-sim: expected 'send <url> <etype>'\n\nUsage:\n${SEND_USAGE}`);
    return 2;
  }
  if (!KNOWN_ETYPES.includes(etype) && values.force !== true) {
    process.stderr.write(
      `lc-service-sim: ${unknownName('etype', etype, KNOWN_ETYPES)} (--force sends it anyway)\n`,
    );
    return 2;
  }
  const deadlineSeconds = positiveNumber(values['deadline-seconds'], '--deadline-seconds', 590);
  const timeoutMs = positiveNumber(values['timeout-seconds'], '--timeout-seconds', 60) * 1000;
  const orgless = isOrglessEtype(etype);
  if (orgless && values.api !== undefined) {
    throw new TransportError(
      `--api: LimaCharlie sends '${etype}' without an org, so without a JWT`,
    );
  }
  const access = orgless ? undefined : await orgAccess(values);
  if (access !== undefined && access.jwt === undefined) process.stderr.write(NO_JWT_NOTE);
  try {
    const { status, reply } = await send({
      url,
      etype,
      secret: values.secret ?? process.env.LC_SHARED_SECRET ?? '',
      data: values.data,
      dataFile: values['data-file'],
      oid: access?.oid ?? values.oid,
      sid: values.sid,
      jwt: access?.jwt,
      deadlineSeconds,
      timeoutMs,
    });
    process.stdout.write(`${JSON.stringify(reply, null, 2)}\n`);
    if (status !== 200) process.stderr.write(`lc-service-sim: HTTP ${status}\n`);
    return (reply as { success?: unknown }).success === true ? 0 : 1;
  } finally {
    if (access?.fake !== undefined) {
      process.stderr.write(apiCallsText(access.fake));
      await access.fake.stop();
    }
  }
}
