import { AsyncLocalStorage } from 'node:async_hooks';
import type { LcExtCall } from './lc-ext-call.js';
import type { LcCall } from './lc-request.js';

/**
 * The current call of either protocol, for code deep below a handler. Entered by the invokers around each handler,
 * after the signature and envelope checks (a context started in a Fastify hook can be lost on
 * POSTs with a body, nest#8843), and only when something reads it (`LcCallTracking`).
 */
export const lcCallStorage = new AsyncLocalStorage<LcCall | LcExtCall>();

let requestedOutsideDi = false;

/**
 * For readers the module cannot find among the app's providers (a logger built before the app).
 * On Node 20 the first `AsyncLocalStorage.run()` turns on promise hooks for the whole process.
 */
export function requestCallTracking(): void {
  requestedOutsideDi = true;
}

export function callTrackingRequested(): boolean {
  return requestedOutsideDi;
}
