import {
  detection,
  extRequest,
  forged,
  getResource,
  health,
  logEvent,
  type SignedCall,
} from './payloads.js';

export interface Scenario {
  name: string;
  /** What one call is, for the report. */
  description: string;
  connections: number;
  expectStatus: number;
  /** The sample the module server runs: the service (default) or `main.js extension`. */
  sample?: 'extension';
  call(secret: string): SignedCall;
}

const KB = 1024;
const MB = 1024 * KB;

/**
 * The sample app has no `log_event` handler: it answers "not implemented" after checking the
 * signature over and parsing the whole body, which is what the large-body scenarios measure.
 */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'detection-1k',
    description: '1 KB signed `detection` (catch-all handler)',
    connections: 32,
    expectStatus: 200,
    call: (secret) => detection(secret, KB),
  },
  {
    name: 'health',
    description: 'signed `health`',
    connections: 32,
    expectStatus: 200,
    call: health,
  },
  {
    name: 'log-100k',
    description: '100 KB signed `log_event`',
    connections: 8,
    expectStatus: 200,
    call: (secret) => logEvent(secret, 100 * KB),
  },
  {
    name: 'log-10m',
    description: '10 MB signed `log_event`, one at a time',
    connections: 1,
    expectStatus: 200,
    call: (secret) => logEvent(secret, 10 * MB),
  },
  {
    name: 'get-resource',
    description: '`get_resource` batch form, content included',
    connections: 32,
    expectStatus: 200,
    call: (secret) => getResource(secret, ['evil-hashes']),
  },
  {
    name: 'forged-flood',
    description: '1 KB calls with a forged `lc-svc-sig` (answered 401)',
    connections: 32,
    expectStatus: 401,
    call: forged,
  },
  {
    name: 'ext-request-1k',
    description: '1 KB signed Extension `request` (sample extension, `lookup` action)',
    connections: 32,
    expectStatus: 200,
    sample: 'extension',
    call: (secret) => extRequest(secret, KB),
  },
];
