/** A misconfiguration found at boot. The message names the option and the fix. */
export class LcConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LcConfigError';
  }
}
