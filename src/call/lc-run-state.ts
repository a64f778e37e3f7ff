import { Injectable } from '@nestjs/common';

/**
 * Where the replica is in its life: not ready until the app has booted, then ready, then
 * draining from the first shutdown step on. Read by the readiness probe, the dispatcher and the drain.
 */
@Injectable()
export class LcRunState {
  ready = false;
  draining = false;
  /** Calls being handled now; the dispatcher supplies the count, drain waits for it to reach 0. */
  callsInProgress: () => number = () => 0;
}
