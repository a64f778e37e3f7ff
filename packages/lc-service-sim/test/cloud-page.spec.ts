import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { IsInt, IsOptional, IsString } from 'class-validator';
import {
  HexDump,
  Job,
  LcAction,
  LcData,
  LcExtensionEvent,
  LcField,
  lcExtResponse,
  JsonData,
  LcClient,
  LcCron,
  LcHandler,
  LcSid,
  lcResponse,
  Table,
  YamlData,
  type LimaCharlieClient,
} from 'nestjs-lc-service';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CloudSimulator } from '../src/cloud/cloud-simulator.js';
import { SECRET, startLcApp, type LcTestApp } from '../../../test/helpers/lc-app.js';
import { EXT_SECRET, startExtApp, type LcExtTestApp } from '../../../test/extension/helpers.js';
import { describeOrSkip } from '../../../test/helpers/skip.js';
import { freePort } from './cli-process.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const inCi = (process.env.CI ?? '') !== '' && process.env.CI !== 'false';
const hasChromium = existsSync(CHROMIUM);

/** Markup in everything the service controls: the page must show it as text and run none of it. */
const XSS_CAUSE = '<img src=x onerror="window.__xss = 1">suspicious download';
const XSS_CELL = '<script>window.__xss = 2</script>';
const XSS_ERROR = '<svg onload="window.__xss = 3">feed down';
const BYTES = Buffer.concat([
  Buffer.from([0x4d, 0x5a, 0x90, 0x00]),
  Buffer.from('hello, hex dump!'),
]);

@Injectable()
class Showcase {
  @LcHandler('org_install')
  async install(@LcClient() lc: LimaCharlieClient) {
    await lc.rules.set('suspicious-download', {
      detect: { event: 'NEW_DOCUMENT', op: 'ends with', path: 'event/FILE_PATH', value: '.exe' },
      respond: [{ action: 'report', name: 'suspicious-download' }],
    });
    return true;
  }

  @LcHandler('detection', { detections: ['suspicious-download'] })
  onDownload(@LcSid() sid: string) {
    const job = new Job();
    job.setCause(XSS_CAUSE);
    job.addSensor(sid);
    job.narrate(
      'looked at the file',
      [
        new Table('files', ['path', 'size'], [[XSS_CELL, 20]]),
        new HexDump('first bytes', BYTES),
        new YamlData('verdict', { verdict: 'malicious', score: 97 }),
        new JsonData('raw', { ok: true, n: null }),
      ],
      true,
    );
    job.close();
    return lcResponse({ jobs: [job] });
  }

  @LcCron('org_per_1h')
  hourly() {
    throw new Error(XSS_ERROR);
  }
}

// Under CI a missing browser fails the suite rather than skipping it unseen.
const suite = describeOrSkip(
  hasChromium || inCi
    ? undefined
    : `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`,
);

suite('the lc-service-sim cloud page in headless Chromium', () => {
  let service: LcTestApp;
  let sim: CloudSimulator;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!hasChromium)
      throw new Error(`${CHROMIUM} is missing and CI is set: install the chromium package`);
    // The service's client must reach this run's emulated API, so the API gets a known port.
    const apiPort = await freePort();
    service = await startLcApp({
      providers: [Showcase],
      options: { limaCharlie: { apiUrl: `http://127.0.0.1:${apiPort}` } },
    });
    sim = new CloudSimulator({
      service: new URL(service.url),
      secret: SECRET,
      apiPort,
      pagePort: 0,
      sensors: 1,
      speed: 1_000_000,
      cycles: 1,
      waitMs: 5000,
      timeoutMs: 10_000,
      uninstall: true,
      params: { any: {}, byForm: {} },
    });
    await sim.start();
    await sim.run();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    await page.goto(sim.pageUrl);
    await page.waitForSelector('body[data-status="finished"]');
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await sim?.close();
    await service?.close();
  });

  it('renders a job: narration in order, a table as a table, bytes as a hex dump, YAML and JSON highlighted', async () => {
    await page.click('[data-tab="jobs"]');
    const job = page.locator('article.job');
    await job.waitFor();
    expect(await job.count()).toBe(1);
    expect(await job.locator('h3').textContent()).toBe(XSS_CAUSE);
    expect(await job.locator('.badge.closed').textContent()).toMatch(/^closed after [\d.]+ s$/);
    expect(await job.locator('li.important .msg').textContent()).toBe('looked at the file');

    const table = job.locator('figure.attachment table.data');
    expect(await table.locator('th').allTextContents()).toEqual(['path', 'size']);
    expect(await table.locator('tbody td').allTextContents()).toEqual([XSS_CELL, '20']);

    const hex = (await job.locator('pre.hex').textContent()) ?? '';
    expect(hex.split('\n')[0]).toBe(
      '00000000  4d 5a 90 00 68 65 6c 6c  6f 2c 20 68 65 78 20 64  |MZ..hello, hex d|',
    );
    expect(hex.split('\n')[1]).toMatch(/^00000010  75 6d 70 21 +\|ump!\|$/);

    const yaml = job.locator('pre.yaml');
    expect(await yaml.locator('.k').allTextContents()).toEqual(['verdict', 'score']);
    expect(await yaml.locator('.num').allTextContents()).toEqual(['97']);
    const json = job.locator('figure.attachment pre.json');
    expect(await json.locator('.k').allTextContents()).toEqual(['"ok"', '"n"']);
    expect(await json.locator('.b').allTextContents()).toEqual(['true']);
    expect(await json.locator('.n').allTextContents()).toEqual(['null']);
  });

  it('lists the calls with their answers, the rules and the sensors, and runs none of the markup', async () => {
    await page.click('[data-tab="timeline"]');
    const failed = page.locator('tr.call.failed');
    expect(await failed.locator('td.etype').allTextContents()).toEqual(['org_per_1h']);
    expect(await failed.locator('td.note').textContent()).toContain(XSS_ERROR);
    await failed.click();
    const detail = page.locator('tr.call.failed + tr.detail');
    expect(await detail.isVisible()).toBe(true);
    expect(await detail.locator('p.bad').textContent()).toBe(`${XSS_ERROR} (asks for a retry)`);

    await page.click('[data-tab="rules"]');
    const rule = page.locator('article.rule');
    expect(await rule.locator('h3').textContent()).toBe('general / suspicious-download');
    expect(await rule.locator('.badge').textContent()).toBe('installed');

    await page.click('[data-tab="sensors"]');
    expect(await page.locator('#sensors table.data tbody td').first().textContent()).toBe(
      'sim-host-1',
    );

    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img, svg').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});

class LookupParams {
  @LcField({ label: 'Hash', description: 'The hash to look up' })
  @IsString()
  hash!: string;

  @LcField({ label: 'Rounds', description: 'How many times to check again' })
  @IsOptional()
  @IsInt()
  rounds?: number;
}

const extCalls: string[] = [];

@Injectable()
class Lookup {
  @LcAction('lookup', { params: LookupParams, description: 'Look a hash up' })
  lookup(@LcData() p: LookupParams) {
    extCalls.push(`lookup ${p.hash} ${p.rounds ?? 0}`);
    if ((p.rounds ?? 0) <= 0) return { hash: p.hash, verdict: 'clean' };
    return lcExtResponse({
      data: { queued: true },
      continuations: [
        { action: 'lookup', inDelaySec: 60, state: { hash: p.hash, rounds: p.rounds! - 1 } },
      ],
    });
  }

  @LcExtensionEvent('subscribe')
  subscribe() {
    extCalls.push('subscribe');
  }

  @LcExtensionEvent('unsubscribe')
  unsubscribe() {
    extCalls.push('unsubscribe');
  }
}

suite('the lc-service-sim cloud page driving an extension, in headless Chromium', () => {
  let ext: LcExtTestApp;
  let sim: CloudSimulator;
  let running: Promise<void>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!hasChromium)
      throw new Error(`${CHROMIUM} is missing and CI is set: install the chromium package`);
    ext = await startExtApp({ providers: [Lookup] });
    sim = new CloudSimulator({
      service: new URL(ext.url),
      secret: EXT_SECRET,
      apiPort: 0,
      pagePort: 0,
      sensors: 1,
      speed: 1_000_000,
      cycles: 1,
      waitMs: 5000,
      timeoutMs: 10_000,
      uninstall: true,
      params: { any: {}, byForm: {} },
      extension: { config: { region: 'eu' }, holdOpen: true },
    });
    await sim.start();
    running = sim.run();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    await page.goto(sim.pageUrl);
    await page.waitForSelector('body[data-status="running"]');
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await sim?.close();
    await ext?.close();
  });

  it("shows the schema's actions and sends a request with params; continuations follow", async () => {
    await page.click('#actions-tab');
    expect(await page.locator('#action option').allTextContents()).toEqual(['lookup']);
    expect(await page.locator('#action-desc').textContent()).toBe('Look a hash up');
    await page.fill('input[data-param="hash"]', 'abc');
    await page.fill('input[data-param="rounds"]', '2');
    await page.click('#action-send');
    await page.waitForSelector('#action-result:has-text("answered")');
    await page.click('[data-tab="timeline"]');
    await page.locator('tr.call td.etype').nth(4).waitFor({ timeout: 10_000 });
    expect(await page.locator('tr.call td.etype').allTextContents()).toEqual([
      'schema',
      'subscribe',
      'request',
      'request',
      'request',
    ]);
    expect(extCalls).toEqual(['subscribe', 'lookup abc 2', 'lookup abc 1', 'lookup abc 0']);
    expect(pageErrors).toEqual([]);
  });

  it('refuses a request from another origin, and unsubscribes when the run stops', async () => {
    const before = extCalls.length;
    const attack = await fetch(new URL('/api/request', sim.pageUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ action: 'lookup', params: { hash: 'x' } }),
    });
    expect(attack.status).toBe(403);
    const form = await fetch(new URL('/api/request', sim.pageUrl), {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: new URL(sim.pageUrl).origin },
      body: JSON.stringify({ action: 'lookup', params: { hash: 'x' } }),
    });
    expect(form.status).toBe(415);
    const typo = await fetch(new URL('/api/request', sim.pageUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: new URL(sim.pageUrl).origin },
      body: JSON.stringify({ action: 'lokup', params: {} }),
    });
    expect(typo.status).toBe(400);
    expect(await typo.json()).toEqual({ error: "unknown action 'lokup': did you mean 'lookup'?" });
    expect(extCalls.length).toBe(before);
    sim.stop();
    await running;
    expect(extCalls.at(-1)).toBe('unsubscribe');
  });
});
