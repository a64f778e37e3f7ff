#!/usr/bin/env node
import { CLOUD_USAGE, runCloudCommand } from './cloud/command.js';
import { EXT_USAGE, runExtCommand } from './ext-command.js';
import { runSendCommand, SEND_USAGE } from './send-command.js';
import { unknownName } from './suggest.js';

const USAGE = `lc-service-sim: simulate LimaCharlie against a LimaCharlie service.

Usage:
${SEND_USAGE}
${EXT_USAGE}
${CLOUD_USAGE}
  lc-service-sim <command> --help    one command's usage
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  send: runSendCommand,
  ext: runExtCommand,
  cloud: runCloudCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    process.stderr.write(
      `lc-service-sim: ${unknownName('command', command, Object.keys(COMMANDS))}\n\n${USAGE}`,
    );
    return 2;
  }
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`lc-service-sim: ${message}\n`);
    process.exitCode = 2;
  },
);
