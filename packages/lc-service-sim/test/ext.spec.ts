import { Injectable } from '@nestjs/common';
import { IsInt, IsOptional, IsString } from 'class-validator';
import {
  LcAction,
  LcClient,
  LcConfig,
  LcData,
  LcExtensionEvent,
  LcField,
  LcReq,
  lcExtResponse,
  type LcExtRequest,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { EXT_SECRET, startExtApp, type LcExtTestApp } from '../../../test/extension/helpers.js';
import { freePort, runCli } from './cli-process.js';

class ScanParams {
  @LcField({ label: 'Target', description: 'What to scan' })
  @IsString()
  target!: string;

  @LcField({ label: 'Depth', description: 'How deep' })
  @IsOptional()
  @IsInt()
  depth?: number;
}

class PollState {
  @LcField({ label: 'Round', description: 'Rounds so far' })
  @IsInt()
  round!: number;
}

const calls: { action: string; data: unknown; key: string; config: unknown }[] = [];

@Injectable()
class Scanner {
  @LcAction('scan', { params: ScanParams })
  scan(@LcData() p: ScanParams, @LcReq() req: LcExtRequest, @LcConfig() config: unknown) {
    calls.push({ action: 'scan', data: { ...p }, key: req.idempotencyKey, config });
    return lcExtResponse({
      data: { queued: p.target },
      continuations: [{ action: 'poll', inDelaySec: 2, state: { round: 1 } }],
    });
  }

  @LcAction('poll', { params: PollState })
  poll(@LcData() s: PollState, @LcReq() req: LcExtRequest) {
    calls.push({ action: 'poll', data: { ...s }, key: req.idempotencyKey, config: undefined });
    if (s.round >= 3) return { done: true, rounds: s.round };
    return lcExtResponse({
      data: { round: s.round },
      continuations: [{ action: 'poll', inDelaySec: 1, state: { round: s.round + 1 } }],
    });
  }

  @LcExtensionEvent('subscribe')
  async onSubscribe(@LcClient() lc: LimaCharlieClient) {
    await lc.rules.set('ext-sim-rule', {
      detect: { event: 'NEW_PROCESS', op: 'exists', path: 'event' },
      respond: [{ action: 'report', name: 'x' }],
    });
    return { installed: true };
  }
}

const SECRET = ['--secret', EXT_SECRET];

describe('lc-service-sim ext', () => {
  let t: LcExtTestApp;
  let apiUrl: string;
  beforeAll(async () => {
    apiUrl = `http://127.0.0.1:${await freePort()}`;
    t = await startExtApp({ providers: [Scanner], options: { limaCharlie: { apiUrl } } });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    calls.length = 0;
  });

  it('follows continuations as LimaCharlie does: state as data, same config, key:level', async () => {
    const res = await runCli([
      'ext',
      'request',
      t.url,
      'scan',
      ...SECRET,
      '--param',
      'target=host-1',
      '--param',
      'depth=2',
      '--config',
      'feed.region=eu',
      '--speed',
      '1000',
    ]);
    expect(res.stderr).not.toMatch(/not followed|stopped after/);
    expect(res.code).toBe(0);
    expect(calls.map((c) => [c.action, c.data])).toEqual([
      ['scan', { target: 'host-1', depth: 2 }],
      ['poll', { round: 1 }],
      ['poll', { round: 2 }],
      ['poll', { round: 3 }],
    ]);
    expect(calls[0].config).toEqual({ feed: { region: 'eu' } });
    const root = calls[0].key;
    expect(calls.slice(1).map((c) => c.key)).toEqual([`${root}:1`, `${root}:1:2`, `${root}:1:2:3`]);
    expect(res.stdout).toMatch(/request scan: HTTP 200\n\{\n {2}"error": ""/);
    expect(res.stdout).toMatch(/continuation 1: 'poll' in 2 s, waiting 0\.002 s at --speed 1000/);
    expect(res.stdout).toContain('"done": true');
  });

  it('stops at --max-continuations, and --no-follow follows none', async () => {
    const bounded = await runCli([
      'ext',
      'request',
      t.url,
      'scan',
      ...SECRET,
      '--param',
      'target=a',
      '--speed',
      '1000',
      '--max-continuations',
      '1',
    ]);
    expect(bounded.code).toBe(0);
    expect(calls.map((c) => c.action)).toEqual(['scan', 'poll']);
    expect(bounded.stderr).toContain(
      'stopped after 1 continuation(s), 1 left (see --max-continuations)',
    );
    calls.length = 0;
    const none = await runCli([
      'ext',
      'request',
      t.url,
      'scan',
      ...SECRET,
      '--param',
      'target=a',
      '--no-follow',
    ]);
    expect(none.code).toBe(0);
    expect(calls.map((c) => c.action)).toEqual(['scan']);
    expect(none.stdout).toContain('"in_delay_sec": 2');
    expect(none.stderr).toContain('1 continuation(s) not followed (--no-follow)');
  });

  it('checks the action and params against the schema, suggesting the nearest names', async () => {
    const action = await runCli(['ext', 'request', t.url, 'scna', ...SECRET]);
    expect(action.code).toBe(2);
    expect(action.stderr).toContain("unknown action 'scna': did you mean 'scan'?");
    const param = await runCli(['ext', 'request', t.url, 'scan', ...SECRET, '--param', 'targt=x']);
    expect(param.code).toBe(2);
    expect(param.stderr).toContain("did you mean 'target'?");
    expect(param.stderr).toContain("'scan' requires --param target=...");
    const type = await runCli([
      'ext',
      'request',
      t.url,
      'scan',
      ...SECRET,
      '--param',
      'target=x',
      '--param',
      'depth=deep',
    ]);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain('--param depth must be a whole number (integer), got "deep"');
    expect(calls).toEqual([]);
    const forced = await runCli(['ext', 'request', t.url, 'scna', ...SECRET, '--force']);
    expect(forced.code).toBe(1);
    expect(forced.stdout).toMatch(/request scna: HTTP 400/);
    const kind = await runCli(['ext', 'subscirbe', t.url, ...SECRET]);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("unknown ext kind 'subscirbe': did you mean 'subscribe'?");
  });

  it('sends schema, heartbeat and validate, gzip-compressed on --gzip; a refused signature exits 2', async () => {
    const schema = await runCli(['ext', 'schema', t.url, ...SECRET, '--gzip']);
    expect(schema.code).toBe(0);
    expect(schema.stdout).toMatch(/^schema: HTTP 200\n/);
    const body = JSON.parse(schema.stdout.slice(schema.stdout.indexOf('\n') + 1)) as {
      data: { request_schema: Record<string, unknown> };
    };
    expect(Object.keys(body.data.request_schema).sort()).toEqual(['poll', 'scan']);
    const beat = await runCli(['ext', 'heartbeat', t.url, ...SECRET]);
    expect(beat.code).toBe(0);
    const validate = await runCli(['ext', 'validate', t.url, ...SECRET, '--config', 'a=1']);
    expect(validate.code).toBe(0);
    const refused = await runCli(['ext', 'heartbeat', t.url, '--secret', 'wrong']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refused the signature (HTTP 401): check --secret');
  });

  it('gives the extension a working client with --api, and says so when there is no JWT', async () => {
    const res = await runCli(['ext', 'subscribe', t.url, ...SECRET, '--api', apiUrl]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('"installed": true');
    expect(res.stderr).toMatch(/called the emulated API 1 time:\n {2}POST \/v1\/rules\//);
    const bare = await runCli(['ext', 'subscribe', t.url, ...SECRET]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('no --jwt');
    expect(bare.stderr).toContain('--api http://127.0.0.1:<port>');
  });
});
