import type { LcPlainReply } from '../transport/get-routes.js';
import type { LcRunState } from '../call/lc-run-state.js';

const JSON_TYPE = 'application/json; charset=utf-8';

// Probes say only whether to send traffic: no version, no names, nothing an outsider can use.
const LIVE: LcPlainReply = { status: 200, contentType: JSON_TYPE, body: '{"status":"ok"}' };
const READY: LcPlainReply = { status: 200, contentType: JSON_TYPE, body: '{"status":"ready"}' };
const STARTING: LcPlainReply = {
  status: 503,
  contentType: JSON_TYPE,
  body: '{"status":"starting"}',
};
const DRAINING: LcPlainReply = {
  status: 503,
  close: true,
  contentType: JSON_TYPE,
  body: '{"status":"draining"}',
};

/** Liveness: the event loop answers. A stuck process fails it by not answering at all. */
export function livenessReply(): LcPlainReply {
  return LIVE;
}

/** Where a replica is, as readiness sees it; also what `LcHealthIndicator` reports. */
export type LcReadiness = 'ready' | 'starting' | 'draining';

export function readinessOf(state: LcRunState): LcReadiness {
  if (state.draining) return 'draining';
  return state.ready ? 'ready' : 'starting';
}

const READINESS_REPLIES: Record<LcReadiness, LcPlainReply> = {
  ready: READY,
  starting: STARTING,
  draining: DRAINING,
};

/** Readiness: booted and not draining. */
export function readinessReply(state: LcRunState): LcPlainReply {
  return READINESS_REPLIES[readinessOf(state)];
}
