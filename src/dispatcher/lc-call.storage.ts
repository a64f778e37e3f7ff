import { AsyncLocalStorage } from 'node:async_hooks';
import type { LcCall } from './lc-request.js';

/**
 * The current call, for code deep below a handler. Entered by the dispatcher around each handler,
 * after the signature and envelope checks (a context started in a Fastify hook can be lost on
 * POSTs with a body, nest#8843).
 */
export const lcCallStorage = new AsyncLocalStorage<LcCall>();
