/**
 * One path segment escaped like py `urllib.parse.quote(s, safe='')`: everything but letters,
 * digits and `_.-~` is percent-encoded, so `!'()*` too (which `encodeURIComponent` keeps).
 */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
