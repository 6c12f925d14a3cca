/**
 * `generate`: a preset or scenario file → one file per format in --out, in one pass over the
 * patients, with progress on stderr and a summary on stdout.
 */
import { randomInt } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { MAX_PATIENTS, plan, type ScenarioInput } from '../generation/index.js';
import {
  formatSpec,
  isOutputFormat,
  OUTPUT_FORMATS,
  type OutputFormat,
  SummaryCollector,
  type WriteTarget,
  writePatients,
} from '../output/index.js';
import { listOption, parseCommandArgs, stringOption } from './args.js';
import { GENERATE_HELP } from './help-text.js';
import { CliFailure, type CliIo, EXIT_INTERRUPTED, EXIT_OK, UsageError, writeLines } from './io.js';
import { createProgress } from './progress.js';
import { presetInput, readJsonFile, validateScenario } from './scenario-source.js';
import { formatRunReport, type WrittenFile } from './summary-report.js';

export const GENERATE_OPTIONS = {
  preset: { type: 'string' },
  scenario: { type: 'string' },
  count: { type: 'string' },
  seed: { type: 'string' },
  format: { type: 'string', multiple: true },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const DEFAULT_FORMATS: readonly OutputFormat[] = ['json', 'csv'];
export const DEFAULT_OUT_DIR = 'out';
const MAX_SEED_LENGTH = 128;

/** A --seed value: a non-negative safe integer when it is all digits, else the string itself. */
export function parseSeed(text: string): string | number {
  if (/^(0|[1-9]\d*)$/.test(text) && Number(text) <= Number.MAX_SAFE_INTEGER) return Number(text);
  if (text.length === 0) throw new UsageError('--seed: must not be empty');
  if (text.length > MAX_SEED_LENGTH)
    throw new UsageError(`--seed: must be at most ${MAX_SEED_LENGTH} characters`);
  return text;
}

export function parseCount(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_PATIENTS) {
    throw new UsageError(`--count: must be a whole number from 1 to ${MAX_PATIENTS}, got "${text}"`);
  }
  return n;
}

export function parseFormats(items: readonly string[] | undefined): OutputFormat[] {
  if (items === undefined) return [...DEFAULT_FORMATS];
  const unknown = items.filter((f) => !isOutputFormat(f));
  if (unknown.length > 0) {
    throw new UsageError(
      unknown.map((f) => `--format: unknown format "${f}"; valid formats: ${OUTPUT_FORMATS.join(', ')}`),
    );
  }
  const chosen = new Set(items);
  if (chosen.size === 0)
    throw new UsageError(`--format: no format given; valid formats: ${OUTPUT_FORMATS.join(', ')}`);
  return OUTPUT_FORMATS.filter((f) => chosen.has(f));
}

class Interrupted extends Error {}

export async function generateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('generate', args, GENERATE_OPTIONS);
  if (values.help) {
    io.stdout.write(GENERATE_HELP);
    return EXIT_OK;
  }

  // Check every option first, so one run reports every problem of the command line.
  const problems: string[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const presetId = stringOption(values, 'preset');
  const scenarioFile = stringOption(values, 'scenario');
  if (presetId !== undefined && scenarioFile !== undefined)
    problems.push('--preset and --scenario: give one, not both');
  if (presetId === undefined && scenarioFile === undefined) {
    problems.push('generate needs --preset ID or --scenario FILE (see "presets" for the ids)');
  }
  const countText = stringOption(values, 'count');
  const count = countText === undefined ? undefined : attempt(() => parseCount(countText));
  const seedText = stringOption(values, 'seed');
  const seedOption = seedText === undefined ? undefined : attempt(() => parseSeed(seedText));
  const formats = attempt(() => parseFormats(listOption(values, 'format'))) ?? [];
  let input: unknown;
  if (presetId !== undefined && scenarioFile === undefined) input = attempt(() => presetInput(presetId));
  if (problems.length > 0) throw new UsageError(problems);
  if (scenarioFile !== undefined) input = await readJsonFile(io.cwd, scenarioFile, '--scenario');

  if (count !== undefined && input !== null && typeof input === 'object' && !Array.isArray(input)) {
    input = { ...(input as ScenarioInput), total_patients: count };
  }
  const scenario = validateScenario(input);
  const outArg = stringOption(values, 'out') ?? DEFAULT_OUT_DIR;
  const outDir = resolve(io.cwd, outArg);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw new UsageError(
      `--out: cannot create directory "${outArg}": ${(error as { code?: string }).code ?? error}`,
    );
  }

  const seedWasRandom = seedOption === undefined && scenario.seed === undefined;
  const seed = seedOption ?? scenario.seed ?? randomInt(0, 2 ** 48 - 1);
  if (seedWasRandom) io.stderr.write(`seed ${seed} (random; rerun with --seed ${seed} to reproduce)\n`);

  const started = performance.now();
  const eventPlan = plan(scenario, seed);
  const files = formats.map((format) => {
    const path = join(outDir, formatSpec(format).fileName);
    return { format, path, partial: `${path}.partial` };
  });
  const targets: WriteTarget[] = files.map((f) => ({ format: f.format, sink: createWriteStream(f.partial) }));
  const collector = new SummaryCollector();
  const progress = createProgress(io.stderr, eventPlan.totalPatients);
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new Interrupted('interrupted'));
  if (io.ownsProcess) process.once('SIGINT', onSigint);
  let bytes: readonly number[];
  try {
    ({ bytes } = await writePatients(eventPlan, targets, {
      onRecord: collector.add,
      onProgress: (done) => progress.update(done),
      // At least one call per percent, so the plain progress lines land on their quarters.
      progressEvery: Math.max(1, Math.min(1000, Math.floor(eventPlan.totalPatients / 100))),
      signal: interrupt.signal,
    }));
    for (const f of files) await rename(f.partial, f.path);
  } catch (error) {
    // Best effort: a cleanup problem must not hide the error that stopped the run.
    await Promise.all(files.map((f) => rm(f.partial, { force: true }).catch(() => undefined)));
    if (error instanceof Interrupted) {
      progress.stop();
      io.stderr.write('\ninterrupted; partial files removed\n');
      return EXIT_INTERRUPTED;
    }
    if (isSystemError(error))
      throw new CliFailure(`cannot write the output files in "${outArg}": ${error.message}`);
    throw error;
  } finally {
    progress.stop();
    if (io.ownsProcess) process.off('SIGINT', onSigint);
  }
  const elapsedMs = performance.now() - started;

  const written: WrittenFile[] = files.map((f, i) => ({
    format: f.format,
    path: displayPath(io.cwd, f.path),
    bytes: bytes[i],
  }));
  const source =
    presetId !== undefined ? `${scenario.name} (preset ${presetId})` : `${scenario.name} (${scenarioFile})`;
  writeLines(
    io.stdout,
    formatRunReport({ source, seed, seedWasRandom, summary: collector.result(), elapsedMs, files: written }),
  );
  return EXIT_OK;
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function isSystemError(error: unknown): error is Error & { code: string } {
  return (
    error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && 'syscall' in error
  );
}
