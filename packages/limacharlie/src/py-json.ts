/**
 * JSON text as py's `json.dumps(value)` writes it with its defaults (`", "` and `": "`
 * separators, `ensure_ascii`), so that bodies the SDK builds with it are the same bytes here.
 * Keys keep their insertion order, as a Python dict does.
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return asciiString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === undefined || typeof item === 'function') continue;
      parts.push(`${asciiString(key)}: ${pyJsonDumps(item)}`);
    }
    return `{${parts.join(', ')}}`;
  }
  throw new TypeError(`cannot encode a ${typeof value} as JSON`);
}

/** JSON.stringify already escapes what py escapes below 0x20; py also escapes DEL and non-ASCII. */
function asciiString(text: string): string {
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A path segment as py's `quote(text, safe='')` escapes it (it also escapes `!'()*`). */
export function pyQuote(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
