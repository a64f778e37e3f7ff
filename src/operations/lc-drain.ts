import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LC_OPTIONS } from '../lc-service.constants.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import { LcRunState } from '../call/lc-run-state.js';
import { LcLogger } from '../logging/lc-logger.js';
import type { LcIdempotency } from '../idempotency/lc-idempotency.js';
import { LC_IDEMPOTENCY } from './operations.tokens.js';

const POLL_MS = 25;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `count` until it is 0 or `until` (epoch ms) passes; resolves with what is left. */
async function waitForNone(count: () => number, until: number): Promise<number> {
  while (count() > 0 && Date.now() < until) {
    await sleep(Math.min(POLL_MS, until - Date.now()));
  }
  return count();
}

/**
 * Graceful shutdown. On `app.close()` (SIGTERM with `enableShutdownHooks()`): readiness turns
 * false, new calls are answered 503 with `retry: true`, and calls in flight get up to
 * `shutdownGraceMs` to finish, and the idempotency records of their answers to be written. Then
 * Nest goes on: `LcService` timers stop, the server closes.
 */
@Injectable()
export class LcDrain implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new LcLogger('LcService');
  private drained: Promise<void> | undefined;

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    private readonly state: LcRunState,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LC_IDEMPOTENCY) private readonly idempotency: LcIdempotency | null,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (adapter === undefined || adapter === null) return;
    // The adapter's beforeClose is Nest's first shutdown step, ahead of every onModuleDestroy:
    // draining there lets calls in flight finish while the pools and clients they use, which
    // other providers close in their own hooks, are still open.
    const next = adapter.beforeClose.bind(adapter);
    adapter.beforeClose = async () => {
      await this.drain();
      next();
    };
  }

  onApplicationBootstrap(): void {
    this.state.ready = true;
  }

  /** Without an HTTP adapter (serverless, app context) this is the first hook that can drain. */
  onModuleDestroy(): Promise<void> {
    return this.drain();
  }

  drain(): Promise<void> {
    this.drained ??= this.waitForCalls();
    return this.drained;
  }

  private async waitForCalls(): Promise<void> {
    this.state.ready = false;
    this.state.draining = true;
    const grace = this.options.shutdownGraceMs;
    const pending = this.state.inFlight;
    this.logger.log(
      `shutting down: new calls are answered with retry; ${pending} in progress (waiting up to ${grace} ms)`,
    );
    const until = Date.now() + grace;
    const left = await waitForNone(() => this.state.inFlight, until);
    if (left > 0) {
      this.logger.warn(
        `${left} call(s) still in progress when shutdownGraceMs (${grace} ms) ran out: their connections are closed unanswered, so LimaCharlie delivers them again`,
      );
      this.cutConnections();
    }
    await this.waitForRecords(until, grace);
  }

  /**
   * Answers are recorded after they are sent: the store (a Redis client the app closes in its
   * own shutdown hook) must still be open for the last calls' records, or their redeliveries
   * would run the handlers again.
   */
  private async waitForRecords(until: number, grace: number): Promise<void> {
    const { idempotency } = this;
    if (idempotency === null) return;
    const left = await waitForNone(() => idempotency.pendingWrites, until);
    if (left > 0) {
      this.logger.warn(
        `${left} idempotency record(s) still being written when shutdownGraceMs (${grace} ms) ran out: redeliveries of those calls may run their handlers again`,
      );
    }
  }

  /**
   * The server's close waits for every request still open, so a handler that never returns would
   * hold the process past its grace until the orchestrator kills it. Past the grace nothing is
   * waited for: an unanswered call is retried by LimaCharlie.
   */
  private cutConnections(): void {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    const server = adapter?.getHttpServer() as { closeAllConnections?: () => void } | undefined;
    if (typeof server?.closeAllConnections !== 'function') return;
    try {
      server.closeAllConnections();
    } catch (err) {
      this.logger.warn(
        `could not close the connections still open: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}
