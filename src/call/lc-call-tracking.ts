import { Injectable } from '@nestjs/common';
import { callTrackingRequested } from './lc-call.storage.js';

/**
 * Whether the dispatcher enters `lcCallStorage` around handlers: the option `asyncContext` when
 * set, else whether the boot scan found a reader or an `LcGcpLogger` asked for it (read live, so
 * a logger built after boot counts too).
 */
@Injectable()
export class LcCallTracking {
  private option: boolean | undefined;
  private readersFound = false;
  private moduleName = 'LcServiceModule';

  /** Called once at boot. */
  decide(option: boolean | undefined, readersFound: boolean, moduleName: string): void {
    this.option = option;
    this.readersFound = readersFound;
    this.moduleName = moduleName;
  }

  get enabled(): boolean {
    return this.option ?? (this.readersFound || callTrackingRequested());
  }

  /** Why tracking is off and how to turn it on, for the error `LcContext` throws. */
  offReason(): string {
    return this.option === false
      ? `call tracking is off (${this.moduleName} option asyncContext: false). Remove the option, or set it to true.`
      : 'call tracking is off, because no provider injects LcContext (it was taken from the module ref at run time, ' +
          `which the boot scan cannot see). Inject LcContext in a constructor, or set the ${this.moduleName} option asyncContext: true.`;
  }
}
