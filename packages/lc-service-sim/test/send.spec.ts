import { execFile } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LcData, LcHandler, lcResponse, LcSid } from 'nestjs-lc-service';
import { distFile } from '../../../test/helpers/dist.js';
import { SECRET, startLcApp, type LcTestApp } from '../../../test/helpers/lc-app.js';
import { pythonJsonDumps } from '../src/python-json.js';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [distFile('main.js', 'packages/lc-service-sim'), ...args],
      { env: { PATH: process.env.PATH, ...env } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

@Injectable()
class Handlers {
  @LcHandler('request')
  request(@LcData() data: Record<string, unknown>, @LcSid() sid: string | undefined) {
    if (data.fail === true) return false;
    return lcResponse({ data: { echo: data, sid: sid ?? null } });
  }
}

describe('lc-service-sim send', () => {
  let t: LcTestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startLcApp({ providers: [Handlers] });
    dir = await mkdtemp(join(tmpdir(), 'lc-sim-'));
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the answer and exits 0 on success', async () => {
    const res = await cli([
      'send',
      t.url,
      'request',
      '--secret',
      SECRET,
      '--data',
      '{"x":"é"}',
      '--sid',
      'abc',
    ]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({
      success: true,
      data: { echo: { x: 'é', sid: 'abc' }, sid: 'abc' },
    });
    expect(res.stdout).toContain('\n  "success": true');
  });

  it('reads the secret from LC_SHARED_SECRET and data from a file', async () => {
    const file = join(dir, 'data.json');
    await writeFile(file, '{"fail": true}');
    const res = await cli(['send', t.url, 'request', '--data-file', file], {
      LC_SHARED_SECRET: SECRET,
    });
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toEqual({ success: false, retry: false, data: {} });
  });

  it('exits 2 with a clear message on a refused signature, an unreachable URL or bad arguments', async () => {
    const refused = await cli(['send', t.url, 'request', '--secret', 'wrong']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused the signature \(HTTP 401\): check --secret/);
    const unreachable = await cli(['send', 'http://127.0.0.1:9/', 'request', '--secret', SECRET]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/could not reach http:\/\/127\.0\.0\.1:9\//);
    const badData = await cli(['send', t.url, 'request', '--data', '{nope']);
    expect(badData.code).toBe(2);
    expect(badData.stderr).toMatch(/--data is not valid JSON/);
    const unknown = await cli(['send', t.url, 'request', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'/);
    const usage = await cli(['frobnicate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/expected 'send <url> <etype>'/);
  });

  it('prints usage with --help', async () => {
    const res = await cli(['--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/lc-service-sim send <url> <etype>/);
  });

  it("signs the Python simulator's exact byte format", async () => {
    let received: { body: string; signature: string | undefined } | undefined;
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = {
          body: Buffer.concat(chunks).toString('utf8'),
          signature: req.headers['lc-svc-sig'] as string,
        };
        res.setHeader('content-type', 'application/json');
        res.end('{"success":true,"data":{}}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const res = await cli([
        'send',
        `http://127.0.0.1:${port}/`,
        'org_install',
        '--secret',
        's3',
        '--oid',
        'o-1',
        '--jwt',
        'j',
        '--data',
        '{"b":[1,"ü"],"a":null}',
      ]);
      expect(res.code).toBe(0);
      const body = received!.body;
      expect(body).toMatch(
        /^\{"data": \{"a": null, "b": \[1, "\\u00fc"\]\}, "deadline": \d+, "etype": "org_install", "jwt": "j", "mid": "[0-9a-f-]{36}", "oid": "o-1"\}$/,
      );
      expect(received!.signature).toBe(createHmac('sha256', 's3').update(body).digest('hex'));
    } finally {
      server.close();
    }
  });
});

describe('pythonJsonDumps', () => {
  it('matches json.dumps(sort_keys=True)', () => {
    expect(pythonJsonDumps({ b: 1, a: [true, null, 'x'], c: { z: 1.5, y: '\n' } })).toBe(
      '{"a": [true, null, "x"], "b": 1, "c": {"y": "\\n", "z": 1.5}}',
    );
    expect(pythonJsonDumps({ '\u{1F600}': 1, ﬀ: 2 })).toBe('{"\\ufb00": 2, "\\ud83d\\ude00": 1}');
    expect(pythonJsonDumps('\u007f')).toBe('"\u007f"');
  });
});
