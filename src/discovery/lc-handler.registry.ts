import { Injectable } from '@nestjs/common';
import { LcConfigError } from '../options/lc-config-error.js';
import type { LcHandlerEntry } from '../call/lc-handler-entry.js';
/**
 * Etype → handler, detection name → handler, command name → handler. Filled once at boot;
 * lookups on the hot path are one or two Map reads.
 */
@Injectable()
export class LcHandlerRegistry {
  private readonly byEtype = new Map<string, LcHandlerEntry>();
  private readonly byDetection = new Map<string, LcHandlerEntry>();
  private readonly byCommand = new Map<string, LcHandlerEntry>();

  register(
    entry: LcHandlerEntry,
    detections: readonly string[] | undefined,
    command?: string,
  ): void {
    if (command !== undefined) {
      const other = this.byCommand.get(command);
      if (other !== undefined) throw duplicate(`command '${command}'`, other, entry);
      this.byCommand.set(command, entry);
      return;
    }
    if (detections !== undefined && detections.length > 0) {
      for (const name of detections) {
        const other = this.byDetection.get(name);
        if (other !== undefined) throw duplicate(`detection '${name}'`, other, entry);
        this.byDetection.set(name, entry);
      }
      return;
    }
    const other = this.byEtype.get(entry.etype);
    if (other !== undefined) throw duplicate(`etype '${entry.etype}'`, other, entry);
    this.byEtype.set(entry.etype, entry);
  }

  /**
   * Detections go to the handler of their name (`cat`) first, commands to the handler of their
   * `command_name`; then to the etype's catch-all.
   */
  find(etype: string, data: Record<string, unknown>): LcHandlerEntry | undefined {
    if (etype === 'detection' && this.byDetection.size > 0) {
      const cat = data.cat;
      const named = typeof cat === 'string' ? this.byDetection.get(cat) : undefined;
      if (named !== undefined) return named;
    } else if (etype === 'command' && this.byCommand.size > 0) {
      const name = data.command_name;
      const named = typeof name === 'string' ? this.byCommand.get(name) : undefined;
      if (named !== undefined) return named;
    }
    return this.byEtype.get(etype);
  }

  /** Etypes with at least one handler. */
  etypes(): string[] {
    const etypes = new Set(this.byEtype.keys());
    if (this.byDetection.size > 0) etypes.add('detection');
    if (this.byCommand.size > 0) etypes.add('command');
    return [...etypes];
  }

  detectionNames(): string[] {
    return [...this.byDetection.keys()];
  }
}

function duplicate(what: string, first: LcHandlerEntry, second: LcHandlerEntry): LcConfigError {
  const where =
    first.name === second.name
      ? `${first.name} is registered twice (is its class listed as a provider in two modules?)`
      : `${first.name} and ${second.name} both handle it`;
  return new LcConfigError(
    `LcServiceModule: two handlers for ${what}: ${where}. Keep one handler per ${what.split(' ')[0]}.`,
  );
}
