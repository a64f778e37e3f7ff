import { jest } from '@jest/globals';
import { ConsoleLogger, Injectable } from '@nestjs/common';
import {
  LcAction,
  LcCommand,
  LcExtensionEvent,
  LcHandler,
  LcResource,
  LcServiceModule,
} from 'nestjs-lc-service';
import { CapturingLogger, SECRET, startLcApp } from '../helpers/lc-app.js';
import { EXT_SECRET, startExtApp } from '../extension/helpers.js';

@Injectable()
class Detections {
  @LcHandler('org_install')
  install() {
    return true;
  }

  @LcHandler('detection', { detections: ['evil-hash', 'evil-domain'] })
  onEvil() {
    return true;
  }

  @LcCommand({ name: 'scan', description: 'scan a host' })
  scan() {
    return true;
  }

  @LcResource({ name: 'rules', category: 'detect' })
  rules() {
    return 'rule';
  }
}

@Injectable()
class Scanner {
  @LcAction('scan')
  scan() {
    return {};
  }

  @LcExtensionEvent('subscribe')
  subscribed() {
    return {};
  }
}

/** The lines a module logged, without their level and context. */
function linesOf(logger: CapturingLogger, level: string, context: string): string[] {
  const prefix = `${level} `;
  const suffix = ` ${context}`;
  return logger.lines
    .filter((l) => l.startsWith(prefix) && l.endsWith(suffix))
    .map((l) => l.slice(prefix.length, -suffix.length));
}

describe('boot summary', () => {
  it('logs the webhook, each handler, the probes, the metrics, the signature mode, then how to try it', async () => {
    const logger = new CapturingLogger();
    const t = await startLcApp({
      providers: [Detections],
      logger,
      options: { secret: [SECRET, 'old-secret'], path: '/lc', metrics: { registry: undefined } },
    });
    try {
      const port = new URL(t.url).port;
      expect(linesOf(logger, 'log', 'LcServiceModule')).toEqual([
        'Webhook {/lc, POST} (fast path)',
        'Mapped {org_install} to Detections.install',
        'Mapped {detection: evil-hash, evil-domain} to Detections.onEvil',
        'Mapped {command: scan} to Detections.scan',
        'Mapped {resource: rules} to Detections.rules',
        'Probes {/healthz, GET} {/readyz, GET}',
        'Metrics {/metrics, GET}',
        'Signature lc-svc-sig: checked against 2 secrets (rotation)',
        `Try it: npx lc-service-sim send http://127.0.0.1:${port}/lc health --secret "$LC_SHARED_SECRET"`,
      ]);
      // Like Nest's route lines, the mapping comes before "successfully started"; the port only
      // once the server listens.
      const started = logger.lines.findIndex((l) => l.includes('successfully started'));
      const mapped = logger.lines.findIndex((l) => l.includes('Mapped {org_install}'));
      const tryIt = logger.lines.findIndex((l) => l.includes('Try it:'));
      expect(mapped).toBeLessThan(started);
      expect(tryIt).toBeGreaterThan(started);
      expect(logger.lines.join('\n')).not.toContain(SECRET);
      expect(logger.lines.join('\n')).not.toContain('old-secret');
    } finally {
      await t.close();
    }
  });

  it('says when calls are not authenticated', async () => {
    const logger = new CapturingLogger();
    const t = await startLcApp({
      providers: [Detections],
      logger,
      options: { secret: undefined, allowUnsigned: true, probes: false },
    });
    await t.close();
    const lines = linesOf(logger, 'log', 'LcServiceModule');
    expect(lines).toContain('Signature lc-svc-sig: not checked (allowUnsigned: true)');
    expect(lines.some((l) => l.startsWith('Probes'))).toBe(false);
  });

  it("logs it at debug level with bootSummary: 'debug', and not at all with false", async () => {
    const debug = new CapturingLogger();
    const a = await startLcApp({
      providers: [Detections],
      logger: debug,
      options: { bootSummary: 'debug' },
    });
    await a.close();
    expect(linesOf(debug, 'log', 'LcServiceModule')).toEqual([]);
    expect(linesOf(debug, 'debug', 'LcServiceModule')).toContain(
      'Mapped {org_install} to Detections.install',
    );

    const off = new CapturingLogger();
    const b = await startLcApp({
      providers: [Detections],
      logger: off,
      options: { bootSummary: false },
    });
    await b.close();
    expect(off.lines.filter((l) => l.endsWith(' LcServiceModule'))).toEqual([]);
  });

  it("goes through Nest's logger: written by its ConsoleLogger, nothing with logger: false", async () => {
    const stdout = async (logger: ConsoleLogger | undefined): Promise<string> => {
      const written: string[] = [];
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
      try {
        const t = await startLcApp({ providers: [Detections], logger });
        await t.close();
      } finally {
        spy.mockRestore();
      }
      return written.join('');
    };
    expect(await stdout(new ConsoleLogger({ colors: false }))).toMatch(
      /\[LcServiceModule\] Mapped \{org_install\} to Detections\.install/,
    );
    expect(await stdout(undefined)).not.toMatch(/Mapped \{|Try it:|Webhook \{/);
  });

  it('logs an Extension module the same way, actions and events included', async () => {
    const logger = new CapturingLogger();
    const t = await startExtApp({ providers: [Scanner], logger, options: { path: '/ext' } });
    await t.close();
    expect(linesOf(logger, 'log', 'LcExtensionModule')).toEqual([
      'Extension webhook {/ext, POST} (fast path)',
      'Mapped {action: scan} to Scanner.scan',
      'Mapped {event: subscribe} to Scanner.subscribed',
      'Probes {/healthz, GET} {/readyz, GET}',
      'Signature lc-ext-sig: checked against 1 secret',
      expect.stringMatching(
        /^Try it: npx lc-service-sim ext schema http:\/\/127\.0\.0\.1:\d+\/ext --secret "\$LC_EXT_SECRET"$/,
      ),
    ]);
    expect(logger.lines.join('\n')).not.toContain(EXT_SECRET);
  });
});

describe('boot warnings', () => {
  it.each([
    [{ tracecomms: true }, "unknown option 'tracecomms' is ignored. Did you mean 'traceComms'?"],
    [
      { limaCharlie: { apiURL: 'http://127.0.0.1:1' } },
      "unknown option 'limaCharlie.apiURL' is ignored. Did you mean 'limaCharlie.apiUrl'?",
    ],
    [{ zzz: 1 }, "unknown option 'zzz' is ignored; the options are path, traceComms,"],
  ])('warns about an unknown option %j', async (options, warning) => {
    const logger = new CapturingLogger();
    const t = await startLcApp({ providers: [Detections], logger, options: options as object });
    await t.close();
    expect(linesOf(logger, 'warn', 'LcServiceModule').join('\n')).toContain(
      `LcServiceModule: ${warning}`,
    );
  });

  it('checks what a forRootAsync factory resolves to', async () => {
    const logger = new CapturingLogger();
    const t = await startLcApp({
      providers: [Detections],
      logger,
      lcModule: LcServiceModule.forRootAsync({
        useFactory: () => ({ serviceName: 'test-service', secret: SECRET, bodylimit: 10 }),
      }),
    });
    await t.close();
    expect(linesOf(logger, 'warn', 'LcServiceModule')).toContain(
      "LcServiceModule: unknown option 'bodylimit' is ignored. Did you mean 'bodyLimit'?",
    );
  });

  it('warns with the summary off, and says nothing of known options', async () => {
    const logger = new CapturingLogger();
    const t = await startLcApp({
      providers: [Detections],
      logger,
      options: { bootSummary: false, traceComms: false },
    });
    await t.close();
    expect(linesOf(logger, 'warn', 'LcServiceModule')).toEqual([]);
  });

  it('warns when a module found no handlers, saying how they are found', async () => {
    const logger = new CapturingLogger();
    const t = await startLcApp({ logger, options: { bootSummary: false } });
    await t.close();
    expect(linesOf(logger, 'warn', 'LcServiceModule')).toEqual([
      expect.stringMatching(
        /^LcServiceModule: no handlers found\. Handlers are methods decorated with @LcHandler, .* on @Injectable\(\) classes listed in the 'providers' of a module the app imports/,
      ),
    ]);

    const ext = new CapturingLogger();
    const e = await startExtApp({ logger: ext });
    await e.close();
    expect(linesOf(ext, 'warn', 'LcExtensionModule')).toEqual([
      expect.stringMatching(/^LcExtensionModule: no handlers found\. .*@LcAction/),
    ]);
  });
});
