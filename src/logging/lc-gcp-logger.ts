import { inspect } from 'node:util';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { lcCallStorage, requestCallTracking } from '../call/lc-call.storage.js';
import { formatGcpLog, writeGcpLog, type GcpLogWriter } from './gcp-log.js';

export interface LcGcpLoggerOptions {
  /** Levels written. Default `log`, `warn`, `error`, `fatal`: debug and verbose are opt-in. */
  logLevels?: LogLevel[];
  /** Where `log`, `warn`, `debug` and `verbose` lines go. Default `process.stdout`. */
  stdout?: GcpLogWriter;
  /** Where `error` and `fatal` lines go. Default `process.stderr`. */
  stderr?: GcpLogWriter;
}

/** Cloud Logging's severity names (LogSeverity). */
const SEVERITY: Record<LogLevel, string> = {
  verbose: 'DEBUG',
  debug: 'DEBUG',
  log: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

const DEFAULT_LEVELS: LogLevel[] = ['log', 'warn', 'error', 'fatal'];

function looksLikeStack(value: string): boolean {
  return /\n\s+at /.test(value);
}

function messageText(message: unknown): { text: string; stack?: string } {
  if (typeof message === 'string') return { text: message };
  if (message instanceof Error) return { text: message.message, stack: message.stack };
  return { text: inspect(message, { depth: 5, breakLength: Infinity }) };
}

/**
 * A Nest `LoggerService` writing one JSON line per entry in the RI's GCP structured format
 * (`service`, `timestamp: {seconds, nanos}`, `severity`, `message`), which Cloud Logging and
 * Cloud Run parse into structured entries. Use it app-wide:
 * `NestFactory.create(AppModule, adapter, { logger: new LcGcpLogger('my-service') })`.
 *
 * Inside a LimaCharlie call, entries carry its `etype`, `mid` and `oid` (an Extension call: its
 * `kind`, `action` or `event_name`, `idempotency_key` and `oid`), and the call's JWT is removed
 * from the text: building one turns on call tracking (option `asyncContext`).
 */
export class LcGcpLogger implements LoggerService {
  private levels: ReadonlySet<LogLevel>;
  private readonly stdout: GcpLogWriter;
  private readonly stderr: GcpLogWriter;

  constructor(
    private readonly serviceName: string,
    options: LcGcpLoggerOptions = {},
  ) {
    this.levels = new Set(options.logLevels ?? DEFAULT_LEVELS);
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    requestCallTracking();
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.levels = new Set(levels);
  }

  isLevelEnabled(level: LogLevel): boolean {
    return this.levels.has(level);
  }

  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.levels.has(level)) return;
    // Nest's Logger appends the context last, and passes `error(message, stack, context)`.
    const rest = params.filter((p) => p !== undefined);
    const last = rest.at(-1);
    const context =
      typeof last === 'string' && !looksLikeStack(last) ? (rest.pop() as string) : undefined;
    const { text, stack: ownStack } = messageText(message);
    const isError = level === 'error' || level === 'fatal';
    let stack = isError ? ownStack : undefined;
    if (isError) {
      const at = rest.findIndex((p) => typeof p === 'string' && looksLikeStack(p));
      if (at >= 0) stack = rest.splice(at, 1)[0] as string;
    }
    const call = lcCallStorage.getStore();
    const redact = (s: string): string => (call === undefined ? s : call.redact(s));
    const data: Record<string, unknown> = { severity: SEVERITY[level] };
    if (context !== undefined) data.context = context;
    if (call?.protocol === 'service') {
      data.etype = call.eventType;
      if (call.messageId !== undefined) data.mid = call.messageId;
      if (call.oid !== undefined) data.oid = call.oid;
    } else if (call !== undefined) {
      data.kind = call.kind;
      if (call.action !== undefined)
        data[call.kind === 'event' ? 'event_name' : 'action'] = call.action;
      if (call.messageId !== undefined) data.idempotency_key = call.messageId;
      if (call.oid !== undefined) data.oid = call.oid;
    }
    if (stack !== undefined) data.stack_trace = redact(stack);
    if (rest.length > 0) data.details = rest;
    const line = formatGcpLog(this.serviceName, redact(text), data);
    writeGcpLog(isError ? this.stderr : this.stdout, line);
  }
}
