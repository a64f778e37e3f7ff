import { errorReply } from './http-io.js';
import type { FakeSensor } from './types.js';

/**
 * The part of LimaCharlie's sensor selector language (bexpr) the fake evaluates:
 * `field == value`, `field != value` and `value in tags`, joined by `and` / `or` (`and` binds
 * tighter; no parentheses). Fields: plat, arch, hostname, sid, iid, int_ip, ext_ip, isolated.
 * Values may be bare or quoted with backticks, double or single quotes. Anything else is a 400
 * naming the selector, so a test never silently matches the whole org.
 */
export function compileSelector(selector: string): (sensor: FakeSensor, tags: string[]) => boolean {
  const tokens = tokenize(selector);
  const alternatives: Clause[][] = [[]];
  for (let i = 0; i < tokens.length;) {
    const [left, op, right] = tokens.slice(i, i + 3);
    if (left === undefined || op === undefined || right === undefined) throw unsupported(selector);
    alternatives[alternatives.length - 1].push(clause(selector, left, op, right));
    i += 3;
    const joiner = tokens[i]?.toLowerCase();
    if (joiner === undefined) break;
    if (joiner === 'or' || joiner === '||') alternatives.push([]);
    else if (joiner !== 'and' && joiner !== '&&') throw unsupported(selector);
    i += 1;
    if (i >= tokens.length) throw unsupported(selector);
  }
  return (sensor, tags) =>
    alternatives.some((clauses) => clauses.every((test) => test(sensor, tags)));
}

type Clause = (sensor: FakeSensor, tags: string[]) => boolean;

const PLATFORMS: Record<string, number> = {
  windows: 0x10000000,
  linux: 0x20000000,
  macos: 0x30000000,
  ios: 0x40000000,
  android: 0x50000000,
  chrome: 0x60000000,
  chromeos: 0x60000000,
};

function clause(selector: string, left: string, op: string, right: string): Clause {
  if (op.toLowerCase() === 'in') {
    if (right.toLowerCase() !== 'tags') throw unsupported(selector);
    const tag = unquote(left);
    return (_sensor, tags) => tags.includes(tag);
  }
  if (op !== '==' && op !== '!=') throw unsupported(selector);
  const wanted = unquote(right);
  const read = field(selector, left);
  return op === '==' ? (s) => read(s) === wanted : (s) => read(s) !== wanted;
}

function field(selector: string, name: string): (sensor: FakeSensor) => string {
  switch (name) {
    case 'plat':
      return (s) => Object.keys(PLATFORMS).find((k) => PLATFORMS[k] === s.plat) ?? String(s.plat);
    case 'arch':
      return (s) => String(s.arch);
    case 'hostname':
      return (s) => s.hostname;
    case 'sid':
      return (s) => s.sid;
    case 'iid':
      return (s) => s.iid;
    case 'int_ip':
      return (s) => s.intIp;
    case 'ext_ip':
      return (s) => s.extIp;
    case 'isolated':
      return (s) => String(s.isolated);
    default:
      throw unsupported(selector);
  }
}

function tokenize(selector: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(`[^`]*`|"[^"]*"|'[^']*'|==|!=|&&|\|\||[^\s`"'=!&|]+)\s*/y;
  while (pattern.lastIndex < selector.length) {
    const match = pattern.exec(selector);
    if (!match) throw unsupported(selector);
    tokens.push(match[1]);
  }
  return tokens;
}

function unquote(value: string): string {
  return /^([`"']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

function unsupported(selector: string): Error {
  return errorReply(
    400,
    `fake LimaCharlie cannot evaluate the selector ${JSON.stringify(selector)}`,
  );
}
