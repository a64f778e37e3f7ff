/**
 * Thrown by a handler to fail a call and choose whether LimaCharlie retries it.
 * Any other thrown error fails the call with retry.
 */
export class LcError extends Error {
  readonly retry: boolean;
  readonly data: Record<string, unknown> | undefined;

  constructor(message: string, options: { retry?: boolean; data?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'LcError';
    this.retry = options.retry ?? false;
    this.data = options.data;
  }
}
