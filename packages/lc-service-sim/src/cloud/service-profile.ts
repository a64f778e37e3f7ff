import { isRecord } from '../is-record.js';

/** One parameter of a command or of the request form, as `health.mtd` advertises it. */
export interface ParamDef {
  type: string;
  required: boolean;
  values: string[];
}

/** What a service told the emulator in its `health` answer. */
export interface ServiceProfile {
  callbacks: Set<string>;
  detectSubscriptions: string[];
  commands: { name: string; args: Record<string, ParamDef> }[];
  requestParams: Record<string, ParamDef>;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function params(value: unknown): Record<string, ParamDef> {
  const out: Record<string, ParamDef> = {};
  if (!isRecord(value)) return out;
  for (const [name, def] of Object.entries(value)) {
    if (!isRecord(def)) continue;
    out[name] = {
      type: typeof def.type === 'string' ? def.type : 'str',
      required: def.is_required === true,
      values: strings(def.values),
    };
  }
  return out;
}

/**
 * Reads `health.data.mtd`. Returns a reason instead when it is missing or not an object, the one
 * thing the emulator cannot work without; malformed parts inside it are skipped.
 */
export function readProfile(reply: unknown): ServiceProfile | string {
  const data = isRecord(reply) ? reply.data : undefined;
  const mtd = isRecord(data) ? data.mtd : undefined;
  if (!isRecord(mtd)) return 'the health answer has no data.mtd object';
  const commands = isRecord(mtd.commands)
    ? Object.entries(mtd.commands).map(([name, def]) => ({
        name,
        args: params(isRecord(def) ? def.args : undefined),
      }))
    : [];
  return {
    callbacks: new Set(strings(mtd.callbacks)),
    detectSubscriptions: strings(mtd.detect_subscriptions),
    commands,
    requestParams: params(mtd.request_params),
  };
}
