/**
 * The milmed CLI entry: `main(argv, io)` returns the exit code (0 ok, 1 internal error, 2 bad input,
 * 130 interrupted) and never throws. Run directly (`node --import tsx lib/cli/main.ts ...`) it runs
 * main on the process's arguments; bin/milmed.js imports it.
 */
import { pathToFileURL } from 'node:url';
import { GENERATOR_VERSION } from '../generation/index.js';
import { decryptCommand } from './decrypt-command.js';
import { generateCommand } from './generate-command.js';
import { DECRYPT_HELP, GENERATE_HELP, MAIN_HELP, PRESETS_HELP, VALIDATE_HELP } from './help-text.js';
import {
  CliFailure,
  CliInterrupted,
  type CliIo,
  defaultIo,
  EXIT_INTERNAL,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
} from './io.js';
import { presetsCommand } from './presets-command.js';
import { validateCommand } from './validate-command.js';

type Command = (args: readonly string[], io: CliIo) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  generate: generateCommand,
  presets: presetsCommand,
  validate: validateCommand,
  decrypt: decryptCommand,
  help: helpCommand,
};

const COMMAND_HELP: Record<string, string> = {
  generate: GENERATE_HELP,
  presets: PRESETS_HELP,
  validate: VALIDATE_HELP,
  decrypt: DECRYPT_HELP,
  help: MAIN_HELP,
};

function helpCommand(args: readonly string[], io: CliIo): number {
  if (args.length > 1) throw new UsageError(`help takes at most one command, got: ${args.join(' ')}`);
  const topic = args[0];
  if (topic === undefined) {
    io.stdout.write(MAIN_HELP);
    return EXIT_OK;
  }
  const text = COMMAND_HELP[topic];
  if (!text) throw new UsageError(unknownCommand(topic));
  io.stdout.write(text);
  return EXIT_OK;
}

function unknownCommand(name: string): string {
  return `unknown command "${name}"; valid commands: ${Object.keys(COMMANDS).join(', ')}`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return helpCommand([], io);
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${GENERATOR_VERSION}\n`);
    return EXIT_OK;
  }
  if (!Object.hasOwn(COMMANDS, first)) {
    throw new UsageError(
      first.startsWith('-')
        ? `unknown option "${first}"; ${unknownCommand(first).split('; ')[1]}`
        : unknownCommand(first),
    );
  }
  return COMMANDS[first](rest, io);
}

export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(error.problems.map((p) => `${p}\n`).join(''));
      return EXIT_USAGE;
    }
    if (error instanceof CliInterrupted) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_INTERRUPTED;
    }
    const message = error instanceof Error ? error.message : String(error);
    const prefix = error instanceof CliFailure ? 'error' : 'internal error';
    io.stderr.write(`${prefix}: ${message.split('\n')[0]}\n`);
    if (process.env.MILMED_DEBUG && error instanceof Error && error.stack)
      io.stderr.write(`${error.stack}\n`);
    return EXIT_INTERNAL;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
