import { Logger } from '@nestjs/common';

/**
 * The module's own log lines. An app's logger that throws (a log shipper whose backend is down)
 * must not cost a call its answer, nor the app its shutdown: the line is dropped instead. Nest's
 * `Logger` does not catch what the app's logger throws, and the module logs inside its own error
 * paths, where a throw would leave the call unanswered and the rejection unhandled.
 */
export class LcLogger extends Logger {
  override log(message: unknown, ...rest: unknown[]): void {
    dropThrown(() => super.log(message, ...rest));
  }

  override error(message: unknown, ...rest: unknown[]): void {
    dropThrown(() => super.error(message, ...rest));
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    dropThrown(() => super.warn(message, ...rest));
  }

  override debug(message: unknown, ...rest: unknown[]): void {
    dropThrown(() => super.debug(message, ...rest));
  }

  override verbose(message: unknown, ...rest: unknown[]): void {
    dropThrown(() => super.verbose(message, ...rest));
  }

  override fatal(message: unknown, ...rest: unknown[]): void {
    dropThrown(() => super.fatal(message, ...rest));
  }
}

function dropThrown(write: () => void): void {
  try {
    write();
  } catch {
    // See LcLogger: a line the app's logger cannot take is not worth a call.
  }
}
