import { Injectable } from '@nestjs/common';
import { LcRunState } from '../call/lc-run-state.js';
import { LcHandlerRegistry } from '../discovery/lc-handler.registry.js';
import { LcServiceState } from '../service/lc-service.state.js';

/** `health.mtd`: what LimaCharlie learns about the service. */
export interface LcHealthMtd {
  detect_subscriptions: string[];
  callbacks: string[];
  request_params: Record<string, unknown>;
  commands: Record<string, unknown>;
}

/** Module-answered etypes the Python RI always lists, so LimaCharlie expects them. */
const ALWAYS_LISTED = ['health', 'get_resource'];

/**
 * Builds the `health` answer from what was discovered. The mtd JSON is rebuilt only when the
 * service state changed, so a health call costs one string concatenation.
 */
@Injectable()
export class LcHealth {
  private builtAt = -1;
  private mtdJson = '';

  constructor(
    private readonly registry: LcHandlerRegistry,
    private readonly state: LcServiceState,
    private readonly runState: LcRunState,
  ) {}

  mtd(): LcHealthMtd {
    const detections = new Set([
      ...this.registry.detectionNames(),
      ...this.state.detectSubscriptions,
    ]);
    const callbacks = new Set([
      ...ALWAYS_LISTED,
      ...this.registry.etypes(),
      ...this.state.moduleCallbacks,
    ]);
    return {
      detect_subscriptions: [...detections].sort(),
      callbacks: [...callbacks].sort(),
      request_params: this.state.requestParams ?? {},
      commands: this.state.commands,
    };
  }

  /** The whole reply body of a `health` call; it counts itself in progress, as the RI does. */
  replyBody(): string {
    if (this.builtAt !== this.state.revision) {
      this.mtdJson = JSON.stringify(this.mtd());
      this.builtAt = this.state.revision;
    }
    return `{"success":true,"data":{"version":1,"start_time":${this.state.startTime},"calls_in_progress":${this.runState.inFlight},"mtd":${this.mtdJson}}}`;
  }
}
