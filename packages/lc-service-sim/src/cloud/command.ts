import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CloudSimulator } from './cloud-simulator.js';
import { ConsoleReporter, summaryText } from './console-report.js';
import { CLOUD_DEFAULTS, cloudOptions } from './options.js';

export const CLOUD_USAGE = `  lc-service-sim cloud --service <url> --secret S [options]
    Emulates LimaCharlie on this machine: a REST API for the service's client (point it there
    with LC_API_URL), an org with sensors, and the calls the cloud makes: health, org_install,
    new_sensor, each advertised command it can fill in, a detection per subscription, every
    listed cron on an accelerated clock, the replies to the tasks the service sends, and
    org_uninstall. Prints a timeline and a summary; a web page shows it all.
    Exit code: 0 when every call succeeded, 1 when one failed, 2 when the service could not be
    reached or refused the signature, or on bad arguments.

    --service URL           the service's webhook URL (required, unless --extension)
    --extension URL         drive an extension instead: its schema, subscribe (with --config),
                            requests sent from the page while --keep-open holds the org
                            subscribed (continuations followed on the accelerated clock),
                            then unsubscribe
    --config key=value      the extension's org config (repeatable; JSON when it parses)
    --secret S              shared secret (default: $LC_SHARED_SECRET; required)
    --api-port N            port of the API emulator on 127.0.0.1 (default ${CLOUD_DEFAULTS.apiPort}; 0: any)
    --port N                port of the web page on 127.0.0.1 (default ${CLOUD_DEFAULTS.pagePort}; 0: any)
    --sensors N             sensors in the org (default ${CLOUD_DEFAULTS.sensors})
    --speed X               simulated seconds per real second (default ${CLOUD_DEFAULTS.speed}: an hour a second)
    --duration D            how long the crons run, simulated: 90s, 30m, 36h, 7d
                            (default: one period of the longest cron the service lists)
    --cycles N              run N periods of the longest listed cron instead
    --wait S                seconds to wait for the service to answer health (default ${CLOUD_DEFAULTS.waitSeconds})
    --timeout-seconds N     deadline of each call (default ${CLOUD_DEFAULTS.timeoutSeconds})
    --param name=value      a value for a required parameter the emulator cannot guess (text,
                            numbers) in the request and command forms; form:name=value for one
                            form only (request, or a command name). Repeatable; JSON when it
                            parses, else text
    --keep-installed        do not send org_uninstall at the end
    --keep-open             after the run, keep the page and the API up until Ctrl-C; with
                            --extension, the org stays subscribed for the page's requests
    --report FILE           write the run (timeline, tasks, jobs, rules) to FILE as JSON

    Ctrl-C stops early: calls in flight finish, org_uninstall is sent, the summary is printed.
    A second Ctrl-C quits at once (exit code 130).
`;

function realSpan(ms: number): string {
  return ms < 1000 ? `${Number(ms.toFixed(2))} ms` : `${Number((ms / 1000).toFixed(2))} s`;
}

function startError(err: unknown): Error {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e.code === 'EADDRINUSE') {
    return new Error(
      `port ${e.port ?? ''} on 127.0.0.1 is in use: pick another with --api-port or --port (0 picks a free one)`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** `lc-service-sim cloud`: runs the emulator until its run ends or Ctrl-C. */
export async function runCloudCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      extension: { type: 'string' },
      config: { type: 'string', multiple: true },
      secret: { type: 'string' },
      'api-port': { type: 'string' },
      port: { type: 'string' },
      sensors: { type: 'string' },
      speed: { type: 'string' },
      duration: { type: 'string' },
      cycles: { type: 'string' },
      wait: { type: 'string' },
      'timeout-seconds': { type: 'string' },
      'keep-installed': { type: 'boolean' },
      'keep-open': { type: 'boolean' },
      report: { type: 'string' },
      param: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`Usage:\n${CLOUD_USAGE}`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new Error(
      `unexpected argument '${positionals[0]}': cloud takes options only (--service <url>)`,
    );
  }
  const options = cloudOptions(values, process.env);
  const sim = new CloudSimulator(options);
  try {
    await sim.start();
  } catch (err) {
    throw startError(err);
  }

  const out = process.stdout;
  out.write(
    [
      'lc-service-sim cloud: LimaCharlie, emulated on this machine',
      `  ${options.extension === undefined ? 'service  ' : 'extension'}     ${options.service.href}`,
      `  API emulator  ${sim.apiUrl}   (run the service with LC_API_URL=${sim.apiUrl})`,
      `  page          ${sim.pageUrl}`,
      `  org           ${sim.oid} with ${sim.sensors.length} sensor${sim.sensors.length === 1 ? '' : 's'}: ${sim.sensors.map((s) => `${s.hostname} (${s.sid})`).join(', ')}`,
      `  speed         ${options.speed}x: a simulated hour takes ${realSpan(3_600_000 / options.speed)}`,
      '',
    ].join('\n') + '\n',
  );
  const reporter = new ConsoleReporter(out, sim);
  reporter.attach();

  let signals = 0;
  let release: () => void = () => undefined;
  const onSignal = () => {
    signals++;
    if (signals > 1) {
      process.stderr.write('lc-service-sim: interrupted again: quitting now\n');
      process.exit(130);
    }
    if (sim.status === 'finished' || sim.status === 'failed') {
      release();
      return;
    }
    reporter.line(
      `stopping: letting calls in flight finish, then ${options.extension === undefined ? 'org_uninstall' : 'unsubscribe'} (Ctrl-C again quits now)`,
    );
    sim.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = performance.now();
  try {
    await sim.run();
    reporter.detach();
    out.write(`\n${summaryText(sim, performance.now() - started)}`);
    if (values.report !== undefined) {
      await writeFile(values.report, `${JSON.stringify(sim.snapshot(0, Infinity), null, 2)}\n`);
    }
    if (values['keep-open'] === true && !sim.stopped) {
      out.write(`\nThe page (${sim.pageUrl}) and the API emulator stay up: Ctrl-C to exit.\n`);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    }
  } finally {
    reporter.detach();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await sim.close();
  }
  return sim.timeline.failures().length > 0 || sim.status === 'failed' ? 1 : 0;
}
