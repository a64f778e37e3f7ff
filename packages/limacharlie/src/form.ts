import type { FormParams, FormScalar, JsonObject } from './types.js';

/** Encodes like py's `urlencode(doseq=True)` after the SDK has JSON-dumped nested objects. */
export function encodeParams(params: FormParams | undefined): URLSearchParams {
  const out = new URLSearchParams();
  if (!params) return out;
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly (FormScalar | JsonObject)[]) {
        out.append(key, encodeValue(item));
      }
    } else {
      out.append(key, encodeValue(value as FormScalar | JsonObject));
    }
  }
  return out;
}

function encodeValue(value: FormScalar | JsonObject): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
