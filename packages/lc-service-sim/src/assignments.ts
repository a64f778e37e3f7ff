import { isRecord } from './is-record.js';

/**
 * A value typed on the command line: JSON when it parses (`5`, `true`, `["a"]`, `{"k":1}`,
 * `"007"` for a string of digits), else the text as typed.
 */
export function commandLineValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Repeated `--param key=value` (or `--config`) as an object. A dotted key nests (`a.b=1` gives
 * `{a: {b: 1}}`); the same key twice is refused, as it is surely a mistake.
 */
export function parseAssignments(
  items: readonly string[],
  option: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`${option} takes key=value, got '${item}'`);
    const path = item.slice(0, eq).split('.');
    if (path.some((part) => part === '')) throw new Error(`${option}: empty key in '${item}'`);
    let target = out;
    for (const part of path.slice(0, -1)) {
      const next = Object.hasOwn(target, part) ? target[part] : undefined;
      if (next !== undefined && !isRecord(next)) {
        throw new Error(`${option}: '${part}' is given both as a value and as an object`);
      }
      const child = next ?? {};
      Object.defineProperty(target, part, {
        value: child,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      target = child as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (Object.hasOwn(target, last))
      throw new Error(`${option}: '${item.slice(0, eq)}' is given twice`);
    Object.defineProperty(target, last, {
      value: commandLineValue(item.slice(eq + 1)),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
