const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const REDACTED = '[REDACTED]';

/**
 * JSON text, possibly cut short, with `secret` replaced in every string that contains it once
 * decoded: a match on the text itself misses a secret written with escapes (`\"`, `\\`, `\u0041`).
 * A string the cut left unterminated is dropped, since the part shown could begin the secret.
 */
export function redactJsonStrings(text: string, secret: string): string {
  let out = '';
  let copied = 0;
  let start = text.indexOf('"');
  while (start !== -1) {
    let end = start + 1;
    let escaped = false;
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        end++;
      }
      end++;
    }
    if (end >= text.length) return out + text.slice(copied, start);
    const value = escaped ? decode(text.slice(start, end + 1)) : text.slice(start + 1, end);
    if (value === undefined || value.includes(secret)) {
      const safe = value === undefined ? REDACTED : value.split(secret).join(REDACTED);
      out += text.slice(copied, start) + JSON.stringify(safe);
      copied = end + 1;
    }
    start = text.indexOf('"', end + 1);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function decode(token: string): string | undefined {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}
