import type { AddressInfo } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LC_OPTIONS } from '../lc-service.constants.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import { LcLogger } from '../logging/lc-logger.js';

/** What one handler serves (`org_install`, `detection: evil`, `action: scan`) and its method. */
export interface LcServedBy {
  what: string;
  by: string;
}

/** The protocol a module speaks, as the boot summary tells it. */
export interface LcBootProtocol {
  /** `LcServiceModule` or `LcExtensionModule`: the log context and the start of warnings. */
  moduleName: string;
  /** What the webhook route is called in the summary: `Webhook`, `Extension webhook`. */
  header: string;
  signatureHeader: string;
  /** How a module of this protocol finds its handlers, for the warning when it found none. */
  decorators: string;
  /** The `lc-service-sim send` line for a URL, when the simulator speaks this protocol. */
  tryIt?: (url: string) => string;
}

interface ListeningServer {
  once(event: 'listening', listener: () => void): unknown;
  address(): AddressInfo | string | null;
}

/** A URL a developer can paste: a wildcard bind address is reached through localhost. */
function reachableUrl(address: AddressInfo | string | null, path: string): string | undefined {
  if (address === null || typeof address === 'string') return undefined;
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard
    ? 'localhost'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  return `http://${host}:${address.port}${path}`;
}

/**
 * The module's part of the boot log, in the style of Nest's RoutesResolver: the routes it
 * mounted, each handler and what it serves, how calls are authenticated, and once the server
 * listens (only then is the port known) a simulator command to try it. Warnings (unknown
 * options, no handlers) are logged whatever `bootSummary` says.
 */
@Injectable()
export class LcBootSummary {
  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  log(protocol: LcBootProtocol, served: readonly LcServedBy[]): void {
    const { options } = this;
    const logger = new LcLogger(protocol.moduleName);
    for (const warning of options.warnings) logger.warn(warning);
    if (served.length === 0) {
      logger.warn(
        `${protocol.moduleName}: no handlers found. Handlers are methods decorated with ${protocol.decorators} ` +
          "on @Injectable() classes listed in the 'providers' of a module the app imports; " +
          'the module discovers them at boot, in every module of the app.',
      );
    }
    const level = options.bootSummary;
    if (level === false) return;
    const line = (text: string): void => logger[level](text);
    const http = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    const { path, probes, metrics } = options;
    if (http !== undefined && http !== null) {
      line(`${protocol.header} {${path}, POST}${options.fastPath ? ' (fast path)' : ''}`);
    }
    for (const { what, by } of served) line(`Mapped {${what}} to ${by}`);
    if (http !== undefined && http !== null && probes !== undefined) {
      line(`Probes {${probes.liveness}, GET} {${probes.readiness}, GET}`);
    }
    if (http !== undefined && http !== null && metrics?.path !== undefined) {
      line(`Metrics {${metrics.path}, GET}`);
    }
    line(this.signature(protocol.signatureHeader));
    const { tryIt } = protocol;
    const server = http?.getHttpServer() as ListeningServer | undefined;
    if (tryIt === undefined || typeof server?.once !== 'function') return;
    server.once('listening', () => {
      const url = reachableUrl(server.address(), path);
      if (url !== undefined) line(`Try it: ${tryIt(url)}`);
    });
  }

  private signature(header: string): string {
    const { secrets } = this.options;
    if (secrets.length === 0) return `Signature ${header}: not checked (allowUnsigned: true)`;
    const count = secrets.length === 1 ? '1 secret' : `${secrets.length} secrets (rotation)`;
    return `Signature ${header}: checked against ${count}`;
  }
}
