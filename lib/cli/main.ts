/**
 * The milmed CLI entry: `main(argv, io)` returns the exit code (0 ok, 1 internal error, 2 bad input,
 * 130 interrupted) and never throws. Shipped as the esbuild bundles of scripts/build-cli.mjs, which
 * bin/milmed.js runs; run directly (`node --import tsx lib/cli/main.ts ...`) it runs main on the
 * process's arguments.
 */
import { pathToFileURL } from 'node:url';
import {
  CliFailure,
  CliInterrupted,
  type CliIo,
  defaultIo,
  EXIT_INTERNAL,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_USAGE,
  fileProblem,
  UsageError,
} from './io.js';

type Command = (args: readonly string[], io: CliIo) => number | Promise<number>;

// Each command is loaded when it runs, so `presets` or `help` never load the engine, zod, the
// writers or the ZIP library: start-up time is most of a short run (memory/decisions/0511-cli-build.md).
const COMMANDS: Record<string, () => Promise<Command>> = {
  generate: async () => (await import('./generate-command.js')).generateCommand,
  presets: async () => (await import('./presets-command.js')).presetsCommand,
  validate: async () => (await import('./validate-command.js')).validateCommand,
  decrypt: async () => (await import('./decrypt-command.js')).decryptCommand,
  keys: async () => (await import('./keys-command.js')).keysCommand,
  help: async () => helpCommand,
};

async function helpCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.length > 1) throw new UsageError(`help takes at most one command, got: ${args.join(' ')}`);
  const help = await import('./help-text.js');
  const texts: Record<string, string> = {
    generate: help.GENERATE_HELP,
    presets: help.PRESETS_HELP,
    validate: help.VALIDATE_HELP,
    decrypt: help.DECRYPT_HELP,
    keys: help.KEYS_HELP,
    help: help.MAIN_HELP,
  };
  const topic = args[0];
  // `milmed help --help` asks for help on help: the usage, as `milmed --help` gives.
  if (topic === undefined || topic === '--help' || topic === '-h') {
    io.stdout.write(help.MAIN_HELP);
    return EXIT_OK;
  }
  const text = Object.hasOwn(texts, topic) ? texts[topic] : undefined;
  if (!text) throw new UsageError(unknownCommand(topic));
  io.stdout.write(text);
  return EXIT_OK;
}

function unknownCommand(name: string): string {
  return `unknown command "${name}"; valid commands: ${Object.keys(COMMANDS).join(', ')}`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  // `milmed --help generate` is `milmed help generate`; an unknown or second word is refused there.
  if (first === undefined || first === '--help' || first === '-h') return helpCommand(rest, io);
  if (first === '--version' || first === '-v') {
    if (rest.length > 0) throw new UsageError(`${first} takes no argument, got: ${rest.join(' ')}`);
    const { GENERATOR_VERSION } = await import('../generation/index.js');
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
  const command = await COMMANDS[first]();
  return command(rest, io);
}

export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  if (!io.ownsProcess) return runAndReport(argv, io);
  const stdout = watchStdout(io);
  const code = await runAndReport(argv, io);
  // A failed write to a file or device is reported a tick after the write.
  await new Promise((settle) => setImmediate(settle));
  return stdout.settle(code);
}

/**
 * Standard output redirected to a full disk (`> summary.txt`, /dev/full) fails its writes with an
 * 'error' event that, unheard, crashed the process with a stack trace after the command had
 * finished (fix 0165): heard here, it is one line on stderr and exit code 1. A reader that closed
 * the pipe early (`| head`) wants no more output: EPIPE is quiet and changes no exit code.
 */
function watchStdout(io: CliIo): { settle(code: number): number } {
  let failure: Error | undefined;
  let settled = false;
  const report = (error: Error) => {
    io.stderr.write(`error: cannot write to standard output: ${fileProblem(error)}\n`);
  };
  io.stdout.on('error', (error: Error) => {
    if ((error as { code?: string }).code === 'EPIPE' || failure) return;
    failure = error;
    if (!settled) return;
    report(error);
    process.exitCode = EXIT_INTERNAL;
  });
  // Nothing is left to tell when stderr itself cannot be written.
  io.stderr.on('error', () => {});
  return {
    settle(code) {
      settled = true;
      if (!failure) return code;
      report(failure);
      return code === EXIT_OK ? EXIT_INTERNAL : code;
    },
  };
}

async function runAndReport(argv: readonly string[], io: CliIo): Promise<number> {
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
