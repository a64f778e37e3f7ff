import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { LcExtWireContinuation } from 'nestjs-lc-service/protocol';
import { parseAssignments } from './assignments.js';
import { continuationsOf, ExtClient, type ExtAnswer, type ExtOrg } from './ext-client.js';
import { checkRequest } from './ext-schema-check.js';
import { apiCallsText, NO_JWT_NOTE, orgAccess } from './org-access.js';
import { TransportError } from './send.js';
import { unknownName } from './suggest.js';

/** LimaCharlie clamps a continuation's delay to this many seconds (lc-extension's simulator too). */
const MAX_CONTINUATION_DELAY_SEC = 300;
const DEFAULT_MAX_CONTINUATIONS = 10;
const DEFAULT_IDENT = 'lc-service-sim@localhost';

const KINDS = ['schema', 'heartbeat', 'subscribe', 'unsubscribe', 'update', 'validate', 'request'];

export const EXT_USAGE = `  lc-service-sim ext <kind> <url> [action] [options]
    Sends one signed Extension message and prints each answer (HTTP status and JSON). kind:
    schema, heartbeat, subscribe, unsubscribe, update, validate (the --config), or
    request <action>. A request's continuations are followed as LimaCharlie does: after
    in_delay_sec (at most 300), the action is called with the continuation's state as its data.
    Exit code: 0 when every answer is HTTP 200, 1 otherwise, 2 when a message could not be
    delivered, the signature was refused, or on bad arguments.

    --secret S              shared secret to sign with (default: $LC_SHARED_SECRET, else '')
    --param key=value       a request parameter (repeatable); the value is JSON when it parses,
                            else text; a dotted key nests (a.b=1)
    --config key=value      the org's extension config, same syntax (repeatable)
    --oid OID               org id (default: a random UUID)
    --jwt JWT               the org JWT the extension acts with (default: none)
    --api URL               emulate the LimaCharlie API on this loopback URL (your extension's
                            LC_API_URL) and send its org's JWT instead of --jwt
    --ident ID              who acts (org.ident; default ${DEFAULT_IDENT})
    --gzip                  send the body gzip-compressed
    --speed X               divide continuation delays by X (default 1)
    --no-follow             print continuations, do not follow them
    --max-continuations N   follow at most N continuations (default ${DEFAULT_MAX_CONTINUATIONS})
    --force                 send even when the schema does not declare the action or params
    --timeout-seconds N     how long to wait for each answer (default 60)
`;

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new TransportError(`${name} must be a positive number, got '${value}'`);
  }
  return n;
}

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) {
    throw new TransportError(`${name} must be a whole number, got '${value}'`);
  }
  return Number(value);
}

function print(label: string, answer: ExtAnswer): void {
  const body =
    typeof answer.reply === 'string' ? answer.reply : JSON.stringify(answer.reply, null, 2);
  process.stdout.write(`${label}: HTTP ${answer.status}\n${body}\n`);
}

/** `lc-service-sim ext`: one Extension message, its continuations followed. */
export async function runExtCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      secret: { type: 'string' },
      param: { type: 'string', multiple: true },
      config: { type: 'string', multiple: true },
      oid: { type: 'string' },
      jwt: { type: 'string' },
      api: { type: 'string' },
      ident: { type: 'string' },
      gzip: { type: 'boolean' },
      speed: { type: 'string' },
      'no-follow': { type: 'boolean' },
      'max-continuations': { type: 'string' },
      force: { type: 'boolean' },
      'timeout-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`Usage:\n${EXT_USAGE}`);
    return 0;
  }
  const [kind, rawUrl, action, ...extra] = positionals;
  if (kind === undefined || rawUrl === undefined) {
    process.stderr.write(`lc-service-sim: expected 'ext <kind> <url>'\n\nUsage:\n${EXT_USAGE}`);
    return 2;
  }
  if (!KINDS.includes(kind)) {
    process.stderr.write(`lc-service-sim: ${unknownName('ext kind', kind, KINDS)}\n`);
    return 2;
  }
  if (kind === 'request' ? action === undefined || extra.length > 0 : action !== undefined) {
    process.stderr.write(
      kind === 'request'
        ? "lc-service-sim: expected 'ext request <url> <action>'\n"
        : `lc-service-sim: 'ext ${kind}' takes no action, got '${action}'\n`,
    );
    return 2;
  }
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new TransportError(`not a URL: ${rawUrl}`);
  }
  if (values.param !== undefined && kind !== 'request') {
    throw new TransportError(`--param is for 'ext request', not 'ext ${kind}'`);
  }
  const params = parseAssignments(values.param ?? [], '--param');
  const config = parseAssignments(values.config ?? [], '--config');
  const speed = positive(values.speed, '--speed', 1);
  const maxContinuations = wholeNumber(
    values['max-continuations'],
    '--max-continuations',
    DEFAULT_MAX_CONTINUATIONS,
  );
  const client = new ExtClient(
    url,
    values.secret ?? process.env.LC_SHARED_SECRET ?? '',
    values.gzip === true,
    positive(values['timeout-seconds'], '--timeout-seconds', 60) * 1000,
  );

  if (kind === 'schema' || kind === 'heartbeat') {
    const answer = await client.send(
      kind === 'schema' ? { schema_request: {} } : { heartbeat: {} },
    );
    print(kind, answer);
    return answer.status === 200 ? 0 : 1;
  }

  if (kind === 'request' && values.force !== true) {
    const schema = await client.send({ schema_request: {} });
    const data =
      typeof schema.reply === 'object' && schema.reply !== null
        ? (schema.reply as { data?: unknown }).data
        : undefined;
    if (schema.status !== 200) {
      process.stderr.write(
        `lc-service-sim: the schema request answered HTTP ${schema.status}: sending '${action}' unchecked\n`,
      );
    } else {
      const problems = checkRequest(data, action!, params);
      if (problems.length > 0) {
        process.stderr.write(
          `${problems.map((p) => `lc-service-sim: ${p}\n`).join('')}(checked against the extension's schema; --force sends anyway)\n`,
        );
        return 2;
      }
    }
  }

  const access = await orgAccess(values);
  if (access.jwt === undefined) process.stderr.write(NO_JWT_NOTE);
  const org: ExtOrg = {
    oid: access.oid,
    jwt: access.jwt ?? '',
    ident: values.ident ?? DEFAULT_IDENT,
  };
  try {
    if (kind === 'validate') {
      const answer = await client.send({ conf_validation: { org, conf: config } });
      print('validate', answer);
      return answer.status === 200 ? 0 : 1;
    }
    if (kind !== 'request') {
      const answer = await client.send({ event: { org, event_name: kind, data: {}, config } });
      print(kind, answer);
      return answer.status === 200 ? 0 : 1;
    }
    return await requestWithContinuations(client, org, action!, params, config, {
      follow: values['no-follow'] !== true,
      speed,
      maxContinuations,
    });
  } finally {
    if (access.fake !== undefined) {
      process.stderr.write(apiCallsText(access.fake));
      await access.fake.stop();
    }
  }
}

interface Follow {
  follow: boolean;
  speed: number;
  maxContinuations: number;
}

/**
 * The request, then its continuations in the order they were asked for, as LimaCharlie sends
 * them (lc-extension's simulator): a request of the continuation's action with its `state` as
 * `data`, the same org and config, and the idempotency key of the message that asked for it with
 * `:<level>` appended.
 */
async function requestWithContinuations(
  client: ExtClient,
  org: ExtOrg,
  action: string,
  params: Record<string, unknown>,
  config: Record<string, unknown>,
  follow: Follow,
): Promise<number> {
  const request = (name: string, data: Record<string, unknown>) => ({
    request: { org, action: name, data, config, resource_state: {}, inv_id: '' },
  });
  const rootKey: string = randomUUID();
  let failed = false;
  const first = await client.send(request(action, params), rootKey);
  print(`request ${action}`, first);
  failed ||= first.status !== 200;
  const queue: { c: LcExtWireContinuation; key: string; level: number }[] = continuationsOf(
    first.reply,
  ).map((c) => ({ c, key: rootKey, level: 1 }));
  let followed = 0;
  if (!follow.follow && queue.length > 0) {
    process.stderr.write(
      `lc-service-sim: ${queue.length} continuation(s) not followed (--no-follow)\n`,
    );
    return failed ? 1 : 0;
  }
  while (queue.length > 0) {
    if (followed >= follow.maxContinuations) {
      process.stderr.write(
        `lc-service-sim: stopped after ${followed} continuation(s), ${queue.length} left (see --max-continuations)\n`,
      );
      break;
    }
    const { c, key, level } = queue.shift()!;
    followed++;
    const delay = Math.min(c.in_delay_sec, MAX_CONTINUATION_DELAY_SEC);
    const waitMs = (delay * 1000) / follow.speed;
    process.stdout.write(
      `continuation ${followed}: '${c.action}' in ${c.in_delay_sec} s${c.in_delay_sec > delay ? ` (LimaCharlie waits at most ${MAX_CONTINUATION_DELAY_SEC} s)` : ''}${follow.speed === 1 ? '' : `, waiting ${Number((waitMs / 1000).toFixed(3))} s at --speed ${follow.speed}`}\n`,
    );
    await sleep(waitMs);
    const childKey = `${key}:${level}`;
    const answer = await client.send(request(c.action, c.state ?? {}), childKey);
    print(`request ${c.action} (continuation ${followed})`, answer);
    failed ||= answer.status !== 200;
    for (const next of continuationsOf(answer.reply)) {
      queue.push({ c: next, key: childKey, level: level + 1 });
    }
  }
  return failed ? 1 : 0;
}
