import { Injectable } from '@nestjs/common';

/**
 * Whether the dispatcher enters `lcCallStorage` around handlers. Decided once at boot (option
 * `asyncContext`, else whether anything reads the storage); `LcContext` reads it to explain
 * itself when it is off.
 */
@Injectable()
export class LcCallTracking {
  enabled = false;
}
