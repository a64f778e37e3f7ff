import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import {
  HexDump,
  Job,
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
