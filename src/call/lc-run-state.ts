import { Injectable } from '@nestjs/common';

/**
 * Where the replica is in its life: not ready until the app has booted, then ready, then
 * draining from the first shutdown step on. Read by the readiness probe, the dispatcher and the drain.
 */
@Injectable()
export class LcRunState {
  ready = false;
  draining = false;
  /** Calls being handled now, handlers still running past their deadline included. */
  inFlight = 0;
}
