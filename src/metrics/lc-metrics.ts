import type { Counter, Histogram, Registry } from 'prom-client';
import type { LcHttpReply } from '../call/lc-http-reply.js';
import { LcConfigError } from '../options/lc-config-error.js';
import { pendingBodyBytesNow } from '../transport/raw-body.js';
import type { ApiCallEvent } from '@nestjs-lc-service/limacharlie';
import { CRON_ETYPES, HANDLER_ETYPES, MODULE_ETYPES } from '../protocol/service/etypes.js';
import type { ResolvedLcMetrics } from '../options/metrics-options.js';
import type { LcModuleIdentity } from '../lc-service.constants.js';

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
type Protocol = LcModuleIdentity['protocol'];
type CallLabels = 'protocol' | 'etype' | 'outcome';

interface EtypeSeries {
  label: string;
  outcomes: Map<LcCallOutcome, Counter.Internal>;
  duration: Histogram.Internal<'protocol' | 'etype'>;
}

/**
 * The metrics of one registry. A Service and an Extension module given the same registry share
 * them, each with its own `protocol` label value: a registry holds each metric name once.
 */
interface LcInstruments {
  calls: Counter<CallLabels>;
  duration: Histogram<'protocol' | 'etype'>;
  apiCalls: Counter<'operation' | 'status'>;
  apiDuration: Histogram<'operation'>;
  replays: Counter<'protocol' | 'etype'>;
  /** Each module's count of calls in progress, by its protocol. */
  inFlight: Map<Protocol, () => number>;
}

const sharedInstruments = new WeakMap<object, LcInstruments>();

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

async function loadPromClient(moduleName: string): Promise<PromClient> {
  try {
    return await import('prom-client');
  } catch (err) {
    throw new LcConfigError(
      `${moduleName}: option 'metrics' needs the prom-client package: npm install prom-client (${(err as Error).message})`,
    );
  }
}

function createInstruments(
  prom: PromClient,
  registry: Registry,
  defaultMetrics: boolean,
  moduleName: string,
): LcInstruments {
  const registers = [registry];
  try {
    if (defaultMetrics) prom.collectDefaultMetrics({ register: registry });
    const inFlight = new Map<Protocol, () => number>();
    const instruments: LcInstruments = {
      calls: new prom.Counter({
        name: 'lc_service_calls_total',
        help: 'LimaCharlie calls received, by protocol (service, extension), etype (an extension: action or event) and outcome.',
        labelNames: ['protocol', 'etype', 'outcome'] as const,
        registers,
      }),
      duration: new prom.Histogram({
        name: 'lc_service_call_duration_seconds',
        help: 'Time to answer a LimaCharlie call, by protocol and etype.',
        labelNames: ['protocol', 'etype'] as const,
        buckets: CALL_BUCKETS,
        registers,
      }),
      apiCalls: new prom.Counter({
        name: 'lc_service_api_calls_total',
        help: 'LimaCharlie REST API requests made by handlers, by operation and HTTP status (0: no response).',
        labelNames: ['operation', 'status'] as const,
        registers,
      }),
      apiDuration: new prom.Histogram({
        name: 'lc_service_api_call_duration_seconds',
        help: 'LimaCharlie REST API request time, by operation.',
        labelNames: ['operation'] as const,
        buckets: API_BUCKETS,
        registers,
      }),
      replays: new prom.Counter({
        name: 'lc_service_idempotent_replays_total',
        help: 'Redelivered calls answered from the first delivery without running the handler.',
        labelNames: ['protocol', 'etype'] as const,
        registers,
      }),
      inFlight,
    };
    new prom.Gauge({
      name: 'lc_service_calls_in_flight',
      help: 'LimaCharlie calls being handled now, by protocol.',
      labelNames: ['protocol'] as const,
      registers,
      collect() {
        for (const [protocol, count] of inFlight) this.set({ protocol }, count());
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
    return instruments;
  } catch (err) {
    throw new LcConfigError(
      `${moduleName}: option 'metrics': ${(err as Error).message}. The 'metrics.registry' already has it: ` +
        'does the registry already collect default metrics (then set defaultMetrics: false), or hold metrics of another library with these names?',
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

  private constructor(
    readonly registry: Registry,
    private readonly instruments: LcInstruments,
    private readonly protocol: Protocol,
  ) {}

  /**
   * Loads prom-client (only now: without metrics the package need not be installed). A registry
   * another module of the app already fills is shared: one module of each protocol.
   */
  static async create(options: ResolvedLcMetrics, module: LcModuleIdentity): Promise<LcMetrics> {
    const prom = await loadPromClient(module.name);
    // The option is typed by shape (LcPromRegistry); what the app passes is a prom-client Registry.
    const registry = (options.registry as Registry | undefined) ?? new prom.Registry();
    let instruments = sharedInstruments.get(registry);
    if (instruments === undefined) {
      instruments = createInstruments(prom, registry, options.defaultMetrics, module.name);
      sharedInstruments.set(registry, instruments);
    }
    if (instruments.inFlight.has(module.protocol)) {
      throw new LcConfigError(
        `${module.name}: option 'metrics.registry' already holds the metrics of another ${module.name}: ` +
          `is ${module.name} imported twice with the same registry? Import it once, or give each its own registry.`,
      );
    }
    instruments.inFlight.set(module.protocol, () => 0);
    return new LcMetrics(registry, instruments, module.protocol);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The dispatcher's count of calls in progress, read at scrape time. */
  watchInFlight(source: () => number): void {
    this.instruments.inFlight.set(this.protocol, source);
  }

  /** One call answered. `etype` is undefined when the call was refused before it was parsed. */
  record(etype: string | undefined, reply: LcHttpReply, startedMs: number): void {
    const series = this.series(etype === undefined ? UNKNOWN_ETYPE : this.bounded(etype));
    const outcome = outcomeOf(reply);
    let counter = series.outcomes.get(outcome);
    if (counter === undefined) {
      counter = this.instruments.calls.labels(this.protocol, series.label, outcome);
      series.outcomes.set(outcome, counter);
    }
    counter.inc();
    if (etype !== undefined) series.duration.observe((performance.now() - startedMs) / 1000);
  }

  readonly apiCall = (event: ApiCallEvent): void => {
    const { apiCalls, apiDuration } = this.instruments;
    apiCalls.labels(event.operation, String(event.status)).inc();
    apiDuration.labels(event.operation).observe(event.durationMs / 1000);
  };

  readonly replayed = (etype: string): void => {
    this.instruments.replays.labels(this.protocol, this.bounded(etype)).inc();
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
      const duration = this.instruments.duration.labels(this.protocol, label);
      series = { label, outcomes: new Map(), duration };
      this.byEtype.set(label, series);
    }
    return series;
  }
}
