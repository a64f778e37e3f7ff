import { randomUUID } from 'node:crypto';
import type { ParamDef } from './service-profile.js';
import type { SimSensor } from './detections.js';

export type FilledArgs = { data: Record<string, unknown> } | { missing: string };

/**
 * Arguments for an advertised command or request form, as an analyst would fill them for one
 * sensor: a `sid` gets the sensor's id, a `uuid` a fresh one, an `enum` its first value, a `bool`
 * false. Optional parameters are left out. A value in `given` (from `--param`) wins over all of
 * this. A required `str`, `int` or `float` cannot be guessed: the call is not sent, and `missing`
 * names the parameter.
 */
export function fillArgs(
  defs: Record<string, ParamDef>,
  sensor: SimSensor,
  given: Record<string, unknown> = {},
): FilledArgs {
  const data: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(defs)) {
    if (Object.hasOwn(given, name)) {
      data[name] = given[name];
      continue;
    }
    if (!def.required) continue;
    if (def.type === 'sid') data[name] = sensor.sid;
    else if (def.type === 'uuid') data[name] = randomUUID();
    else if (def.type === 'enum' && def.values.length > 0) data[name] = def.values[0];
    else if (def.type === 'bool') data[name] = false;
    else return { missing: `${name} (${def.type})` };
  }
  return { data };
}
