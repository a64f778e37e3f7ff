import { randomUUID } from 'node:crypto';
import { ExtClient, SignatureRefusedError } from '../ext-client.js';
import { isRecord } from '../is-record.js';
import { TransportError } from '../send.js';
import type { CallOutcome } from './service-client.js';

/** One parameter of an extension action, as the page's form shows it. */
export interface ExtParamView {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

/** An action the extension's schema declares. */
export interface ExtActionView {
  name: string;
  description: string;
  params: ExtParamView[];
}

/**
 * The actions of a `schema_request` answer. A field is shown as required when a requirement set
 * names it alone; sets of alternatives are left to the extension to check.
 */
export function readExtActions(reply: unknown): ExtActionView[] | string {
  const data = isRecord(reply) ? reply.data : undefined;
  if (!isRecord(data) || !isRecord(data.request_schema)) {
    return 'the schema answer has no data.request_schema object';
  }
  return Object.entries(data.request_schema).map(([name, schema]) => {
    const request = isRecord(schema) ? schema : {};
    const parameters = isRecord(request.parameters) ? request.parameters : {};
    const fields = isRecord(parameters.fields) ? parameters.fields : {};
    const requirements = Array.isArray(parameters.requirements) ? parameters.requirements : [];
    const required = new Set(
      requirements
        .filter((set): set is unknown[] => Array.isArray(set) && set.length === 1)
        .map((set) => set[0]),
    );
    return {
      name,
      description: typeof request.short_description === 'string' ? request.short_description : '',
      params: Object.entries(fields).map(([field, element]) => {
        const e = isRecord(element) ? element : {};
        return {
          name: field,
          type: typeof e.data_type === 'string' ? e.data_type : 'string',
          required: required.has(field),
          description: typeof e.description === 'string' ? e.description : '',
        };
      }),
    };
  });
}

/** Sends one Extension message and reads its answer the way the timeline records calls. */
export async function extCall(
  client: ExtClient,
  message: Record<string, unknown>,
  idempotencyKey: string = randomUUID(),
): Promise<CallOutcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const { status, reply } = await client.send(message, idempotencyKey);
    const outcome: CallOutcome = { status, reply, unreachable: false, refused: false, ms: ms() };
    if (status !== 200) {
      const reason = isRecord(reply) && typeof reply.error === 'string' ? reply.error : '';
      outcome.error = `HTTP ${status}${reason === '' ? '' : `: ${reason}`}`;
    }
    return outcome;
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    const refused = err instanceof SignatureRefusedError;
    return { error: err.message, unreachable: !refused, refused, ms: ms() };
  }
}
