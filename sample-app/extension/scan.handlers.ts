import { Injectable } from '@nestjs/common';
import {
  LcAction,
  LcClient,
  LcConfig,
  LcConfigValidator,
  LcData,
  LcError,
  LcExtensionEvent,
  lcExtResponse,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { EVIL_HASHES } from '../rules.js';
import { Config, LookupParams, RescanState, ScanParams } from './dto.js';

export const EXT_RULE = 'sample-ext-evil-hash';
/** How long a queued scan waits for its sensor to come back online, and how many times. */
export const RESCAN_DELAY_SEC = 60;
export const RESCAN_ATTEMPTS = 3;

const evil = new Set(EVIL_HASHES);

@Injectable()
export class ScanHandlers {
  /** Scans an online sensor now; an offline one is queued as a continuation, not a local timer. */
  @LcAction('scan', {
    params: ScanParams,
    label: 'Scan',
    description: 'Scan a sensor for known-bad files',
    default: true,
    messages: { inProgress: 'Scanning…', success: 'Scan started' },
  })
  scan(@LcData() p: ScanParams, @LcClient() lc: LimaCharlieClient) {
    return this.scanOrQueue(lc, { sid: p.sid, depth: p.depth, attempt: 0 });
  }

  /** The continuation of a queued scan: LimaCharlie sends back the `state` it was given. */
  @LcAction('rescan', {
    params: RescanState,
    description: 'Retry a scan queued while its sensor was offline',
    userFacing: false,
  })
  rescan(@LcData() state: RescanState, @LcClient() lc: LimaCharlieClient) {
    return this.scanOrQueue(lc, state);
  }

  /** Needs no API call: what the benchmark measures. */
  @LcAction('lookup', {
    params: LookupParams,
    label: 'Look up',
    description: 'Is this hash known-bad?',
  })
  lookup(@LcData() p: LookupParams) {
    return { hash: p.hash, known: evil.has(p.hash) };
  }

  /** Redelivered subscribes are normal: `replace` makes a second install a no-op overwrite. */
  @LcExtensionEvent('subscribe')
  async subscribe(@LcClient() lc: LimaCharlieClient, @LcConfig() config: Config) {
    await lc.rules.set(
      EXT_RULE,
      {
        detect: { event: 'NEW_PROCESS', op: 'is', path: 'event/HASH', value: EVIL_HASHES[0] },
        respond: [
          { action: 'report', name: 'evil-hash' },
          { action: 'add tag', tag: config.tag ?? 'evil-hash-seen' },
        ],
      },
      { replace: true },
    );
  }

  @LcExtensionEvent('unsubscribe')
  async unsubscribe(@LcClient() lc: LimaCharlieClient) {
    await lc.rules.delete(EXT_RULE, { missingOk: true });
  }

  /** Beyond what the DTO checks: refused here, the user sees the message in the web app. */
  @LcConfigValidator()
  validate(@LcConfig() config: Config) {
    if (config.apiKey.length < 16) {
      throw new LcError('apiKey is shorter than 16 characters: paste the whole key');
    }
  }

  private async scanOrQueue(lc: LimaCharlieClient, state: RescanState) {
    const sensor = lc.sensor(state.sid);
    if (await sensor.isOnline()) {
      await sensor.task(['os_processes']);
      return { status: 'scanning', sid: state.sid, depth: state.depth ?? 1 };
    }
    if (state.attempt >= RESCAN_ATTEMPTS) return { status: 'offline', sid: state.sid };
    return lcExtResponse({
      data: { status: 'queued', sid: state.sid },
      continuations: [
        {
          action: 'rescan',
          inDelaySec: RESCAN_DELAY_SEC,
          state: { sid: state.sid, depth: state.depth, attempt: state.attempt + 1 },
        },
      ],
    });
  }
}
