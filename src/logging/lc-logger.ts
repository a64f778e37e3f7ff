import { Logger } from '@nestjs/common';

/**
 * The module's own log lines. An app's logger that throws (a log shipper whose backend is down)
 * must not cost a call its answer, nor the app its shutdown: the line is dropped instead. Nest's
 * `Logger` does not catch what the app's logger throws, and the module logs inside its own error
 * paths, where a throw would leave the call unanswered and the rejection unhandled.
 */
export class LcLogger extends Logger {
  override log(message: unknown, ...rest: unknown[]): void {
    try {
      super.log(message, ...rest);
    } catch {
      // Dropped: see the class comment.
    }
  }

  override error(message: unknown, ...rest: unknown[]): void {
    try {
      super.error(message, ...rest);
    } catch {
      // Dropped: see the class comment.
    }
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    try {
      super.warn(message, ...rest);
    } catch {
      // Dropped: see the class comment.
    }
  }

  override debug(message: unknown, ...rest: unknown[]): void {
    try {
      super.debug(message, ...rest);
    } catch {
      // Dropped: see the class comment.
    }
  }

  override verbose(message: unknown, ...rest: unknown[]): void {
    try {
      super.verbose(message, ...rest);
    } catch {
      // Dropped: see the class comment.
    }
  }

  override fatal(message: unknown, ...rest: unknown[]): void {
    try {
      super.fatal(message, ...rest);
    } catch {
      // Dropped: see the class comment.
    }
  }
}
