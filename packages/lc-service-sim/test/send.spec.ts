import { execFile } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  LcClient,
  LcData,
  LcHandler,
  lcResponse,
  LcSid,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { distFile } from '../../../test/helpers/dist.js';
import { SECRET, startLcApp, type LcTestApp } from '../../../test/helpers/lc-app.js';
import { pythonJsonDumps } from '../src/python-json.js';
import { freePort } from './cli-process.js';

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
    expect(usage.stderr).toContain(
      "unknown command 'frobnicate': expected one of send, ext, cloud",
    );
    const typo = await cli(['sned', t.url, 'request']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown command 'sned': did you mean 'send'?");
  });

  it('refuses an etype LimaCharlie does not send, naming the nearest one, unless --force', async () => {
    const typo = await cli(['send', t.url, 'org_instal', '--secret', SECRET, '--jwt', 'j']);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain(
      "unknown etype 'org_instal': did you mean 'org_install'? (--force sends it anyway)",
    );
    const far = await cli(['send', t.url, 'frobnicate', '--secret', SECRET]);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(
      /unknown etype 'frobnicate': expected one of health, get_resource, org_install/,
    );
    const forced = await cli([
      'send',
      t.url,
      'org_instal',
      '--secret',
      SECRET,
      '--jwt',
      'j',
      '--force',
    ]);
    expect(forced.code).toBe(1);
    expect(JSON.parse(forced.stdout)).toMatchObject({ success: false });
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

@Injectable()
class Installer {
  @LcHandler('org_install')
  async install(@LcClient() lc: LimaCharlieClient) {
    await lc.rules.set('sim-send-rule', {
      detect: { event: 'NEW_PROCESS', op: 'exists', path: 'event' },
      respond: [{ action: 'report', name: 'x' }],
    });
    return true;
  }
}

describe('lc-service-sim send --api', () => {
  let t: LcTestApp;
  let apiUrl: string;
  beforeAll(async () => {
    apiUrl = `http://127.0.0.1:${await freePort()}`;
    t = await startLcApp({ providers: [Installer], options: { limaCharlie: { apiUrl } } });
  });
  afterAll(() => t.close());

  it("emulates the API at the service's LC_API_URL and sends a JWT it accepts", async () => {
    const res = await cli(['send', t.url, 'org_install', '--secret', SECRET, '--api', apiUrl]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ success: true });
    expect(res.stderr).toMatch(/called the emulated API 1 time:\n {2}POST \/v1\/rules\//);
    expect(res.stderr).not.toContain('no --jwt');
  });

  it('says why the client cannot work without --jwt or --api, and refuses a busy --api port', async () => {
    const bare = await cli(['send', t.url, 'org_install', '--secret', SECRET]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain(
      "no --jwt: the call carries no JWT, so the handler's LimaCharlie client cannot work",
    );
    const busy = await cli([
      'send',
      t.url,
      'org_install',
      '--secret',
      SECRET,
      '--api',
      new URL(t.url).origin,
    ]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/--api: port \d+ on 127\.0\.0\.1 is in use/);
    const orgless = await cli(['send', t.url, 'health', '--secret', SECRET, '--api', apiUrl]);
    expect(orgless.code).toBe(2);
    expect(orgless.stderr).toContain("LimaCharlie sends 'health' without an org");
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
