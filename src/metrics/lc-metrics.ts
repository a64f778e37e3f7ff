import type { Counter, Histogram, Registry } from 'prom-client';
import type { LcHttpReply } from '../call/lc-http-reply.js';
import { LcConfigError } from '../options/lc-config-error.js';
import { pendingBodyBytesNow } from '../transport/raw-body.js';
import type { ApiCallEvent } from '@nestjs-lc-service/limacharlie';
import { CRON_ETYPES, HANDLER_ETYPES, MODULE_ETYPES } from '../protocol/service/etypes.js';
import type { ResolvedLcMetrics } from '../options/metrics-options.js';

/** How one call ended, as the `outcome` label says it. */
export type LcCallOutcome =
  'success' | 'failure' | 'retry' | 'rejected-signature' | 'bad-request' | 'unavailable';

/** The label of every etype LimaCharlie does not define, and of calls that were never parsed. */
export const UNKNOWN_ETYPE = 'unknown';

const KNOWN_ETYPES: ReadonlySet<string> = new Set<string>([
  ...HANDLER_ETYPES,
  ...MODULE_ETYPES,
  ...CRON_ETYPES,
]);

/** From milliseconds to LimaCharlie's ten-minute deadline. */
const CALL_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];
const API_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type PromClient = typeof import('prom-client');
type CallLabels = 'etype' | 'outcome';

interface EtypeSeries {
  label: string;
  outcomes: Map<LcCallOutcome, Counter.Internal>;
  duration: Histogram.Internal<'etype'>;
}

/** How a reply ended; also the `lc.outcome` of a call's span. */
export function outcomeOf(reply: LcHttpReply): LcCallOutcome {
  // Protocol answers say how they ended (an Extension failure is an HTTP 400 or 500).
  if (reply.outcome !== undefined) return reply.outcome;
  switch (reply.status) {
    case 200:
      return 'success';
    case 401:
      return 'rejected-signature';
    case 503:
      return 'unavailable';
    default:
      return 'bad-request';
  }
}

async function loadPromClient(): Promise<PromClient> {
  try {
    return await import('prom-client');
  } catch (err) {
    throw new LcConfigError(
      `LcServiceModule: option 'metrics' needs the prom-client package: npm install prom-client (${(err as Error).message})`,
    );
  }
}

/**
 * The module's Prometheus metrics. Labels are bounded: no oid, no sid, no mid; etypes outside the
 * protocol's list share one label value, so a caller cannot grow the series without limit.
 */
export class LcMetrics {
  private readonly byEtype = new Map<string, EtypeSeries>();
  private readonly labels = new Set(KNOWN_ETYPES);
  private inFlightSource: () => number = () => 0;

  private constructor(
    readonly registry: Registry,
    private readonly calls: Counter<CallLabels>,
    private readonly duration: Histogram<'etype'>,
    private readonly apiCalls: Counter<'operation' | 'status'>,
    private readonly apiDuration: Histogram<'operation'>,
    private readonly replays: Counter<'etype'>,
  ) {}

  /** Loads prom-client (only now: without metrics the package need not be installed). */
  static async create(options: ResolvedLcMetrics): Promise<LcMetrics> {
    const prom = await loadPromClient();
    // The option is typed by shape (LcPromRegistry); what the app passes is a prom-client Registry.
    const registry = (options.registry as Registry | undefined) ?? new prom.Registry();
    const registers = [registry];
    try {
      if (options.defaultMetrics) prom.collectDefaultMetrics({ register: registry });
      const metrics: LcMetrics = new LcMetrics(
        registry,
        new prom.Counter({
          name: 'lc_service_calls_total',
          help: 'LimaCharlie calls received, by etype and outcome.',
          labelNames: ['etype', 'outcome'] as const,
          registers,
        }),
        new prom.Histogram({
          name: 'lc_service_call_duration_seconds',
          help: 'Time to answer a LimaCharlie call, by etype.',
          labelNames: ['etype'] as const,
          buckets: CALL_BUCKETS,
          registers,
        }),
        new prom.Counter({
          name: 'lc_service_api_calls_total',
          help: 'LimaCharlie REST API requests made by handlers, by operation and HTTP status (0: no response).',
          labelNames: ['operation', 'status'] as const,
          registers,
        }),
        new prom.Histogram({
          name: 'lc_service_api_call_duration_seconds',
          help: 'LimaCharlie REST API request time, by operation.',
          labelNames: ['operation'] as const,
          buckets: API_BUCKETS,
          registers,
        }),
        new prom.Counter({
          name: 'lc_service_idempotent_replays_total',
          help: 'Redelivered calls answered from the first delivery without running the handler.',
          labelNames: ['etype'] as const,
          registers,
        }),
      );
      new prom.Gauge({
        name: 'lc_service_calls_in_flight',
        help: 'LimaCharlie calls being handled now.',
        registers,
        collect() {
          this.set(metrics.inFlightSource());
        },
      });
      new prom.Gauge({
        name: 'lc_service_pending_body_bytes',
        help: "Bytes of call bodies being read, not yet verified, in the process (bounded by 'maxPendingBodyBytes').",
        registers,
        collect() {
          this.set(pendingBodyBytesNow());
        },
      });
      return metrics;
    } catch (err) {
      throw new LcConfigError(
        `LcServiceModule: option 'metrics': ${(err as Error).message}. The 'metrics.registry' already has it: ` +
          'is LcServiceModule imported twice with the same registry, or does the registry already collect default metrics (then set defaultMetrics: false)?',
      );
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The dispatcher's count of calls in progress, read at scrape time. */
  watchInFlight(source: () => number): void {
    this.inFlightSource = source;
  }

  /** One call answered. `etype` is undefined when the call was refused before it was parsed. */
  record(etype: string | undefined, reply: LcHttpReply, startedMs: number): void {
    const series = this.series(etype === undefined ? UNKNOWN_ETYPE : this.bounded(etype));
    const outcome = outcomeOf(reply);
    let counter = series.outcomes.get(outcome);
    if (counter === undefined) {
      counter = this.calls.labels(series.label, outcome);
      series.outcomes.set(outcome, counter);
    }
    counter.inc();
    if (etype !== undefined) series.duration.observe((performance.now() - startedMs) / 1000);
  }

  readonly apiCall = (event: ApiCallEvent): void => {
    this.apiCalls.labels(event.operation, String(event.status)).inc();
    this.apiDuration.labels(event.operation).observe(event.durationMs / 1000);
  };

  readonly replayed = (etype: string): void => {
    this.replays.labels(this.bounded(etype)).inc();
  };

  /**
   * Labels a protocol declares at boot beyond the Service etypes (an extension's actions and
   * events): bounded by the code, never by what callers send.
   */
  allowLabels(labels: Iterable<string>): void {
    for (const label of labels) this.labels.add(label);
  }

  private bounded(etype: string): string {
    return this.labels.has(etype) ? etype : UNKNOWN_ETYPE;
  }

  private series(label: string): EtypeSeries {
    let series = this.byEtype.get(label);
    if (series === undefined) {
      series = { label, outcomes: new Map(), duration: this.duration.labels(label) };
      this.byEtype.set(label, series);
    }
    return series;
  }
}
