import { formatGcpCritical, formatGcpLog, writeGcpLog } from '../../src/logging/gcp-log.js';

const NOW = 1_700_000_000_123;

describe('GCP log lines', () => {
  it("formats the RI's log line", () => {
    expect(formatGcpLog('hash-checker', 'Starting up.', undefined, NOW)).toBe(
      '{"service":"hash-checker","timestamp":{"seconds":1700000000,"nanos":123000000},' +
        '"severity":"INFO","message":"Starting up."}',
    );
  });

  it('merges data at the top level, after the fixed fields, as the RI does', () => {
    const line = formatGcpLog('svc', 'hi', { oid: 'o1', severity: 'WARNING' }, NOW);

    expect(JSON.parse(line)).toEqual({
      service: 'svc',
      timestamp: { seconds: 1_700_000_000, nanos: 123_000_000 },
      severity: 'WARNING',
      message: 'hi',
      oid: 'o1',
    });
  });

  it('leaves the message out when there is none', () => {
    expect(JSON.parse(formatGcpLog('svc', null, { n: 1 }, NOW))).not.toHaveProperty('message');
  });

  it("formats the RI's critical line: actor, and severity ERROR", () => {
    expect(formatGcpCritical('svc', 'it broke', 5_250)).toBe(
      '{"message":"it broke","actor":"svc","timestamp":{"seconds":5,"nanos":250000000},' +
        '"severity":"ERROR"}',
    );
  });

  it('stays on one line whatever the message holds', () => {
    const line = formatGcpCritical('svc', 'Traceback:\n  line 1\n  line 2', NOW);

    expect(line).not.toContain('\n');
    expect(JSON.parse(line).message).toBe('Traceback:\n  line 1\n  line 2');
  });

  it('cannot throw on circular data, BigInt or errors', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const shared = { v: 1 };

    const line = formatGcpLog(
      'svc',
      'm',
      { circular, big: 12345678901234567890n, err: new TypeError('bad'), a: shared, b: shared },
      NOW,
    );

    expect(JSON.parse(line)).toMatchObject({
      circular: { name: 'loop', self: '[Circular]' },
      big: '12345678901234567890',
      err: { name: 'TypeError', message: 'bad' },
      a: { v: 1 },
      b: { v: 1 },
    });
  });

  it('falls back to the fixed fields when the payload cannot serialise at all', () => {
    const hostile = {
      toJSON(): never {
        throw new Error('no');
      },
    };

    const line = formatGcpLog('svc', 'still logged', { hostile }, NOW);

    expect(JSON.parse(line)).toEqual({
      service: 'svc',
      timestamp: { seconds: 1_700_000_000, nanos: 123_000_000 },
      severity: 'INFO',
      message: 'still logged',
      log_error: 'log payload could not be serialised',
    });
  });

  it('writes a line and its newline in a single write', () => {
    const chunks: string[] = [];

    writeGcpLog({ write: (chunk: string) => chunks.push(chunk) }, '{"a":1}');

    expect(chunks).toEqual(['{"a":1}\n']);
  });
});
