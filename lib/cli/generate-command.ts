/**
 * `generate`: a preset or scenario file → one file per format in --out, in one pass over the
 * patients, with progress on stderr and a summary on stdout.
 *
 * Each format's bytes go format → gzip (--compress) → AES-256-GCM (--encrypt) → `NAME.partial`; the
 * partial files are renamed when every one is complete. With --zip the partial files are then read
 * once more into `patients.zip.partial` (plus manifest.json with their sizes and SHA-256), which is
 * renamed to `patients.zip`; the loose files are kept only with --keep-files. A failed or interrupted
 * run removes every partial file and leaves no new file behind.
 */
import { randomInt } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Transform, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { type EventPlan, MAX_PATIENTS, plan, type ScenarioInput } from '../generation/index.js';
import {
  createEncryptStream,
  createGzipStream,
  ENCRYPTION_DESCRIPTION,
  encryptedFileName,
  type FhirBundleType,
  formatSpec,
  gzipFileName,
  isOutputFormat,
  OUTPUT_FORMATS,
  type OutputFormat,
  type OutputFormatOptions,
  SummaryCollector,
  type WriteTarget,
  writePatients,
} from '../output/index.js';
import { listOption, parseCommandArgs, stringOption } from './args.js';
import { GENERATE_HELP } from './help-text.js';
import { CliFailure, type CliIo, EXIT_INTERRUPTED, EXIT_OK, UsageError, writeLines } from './io.js';
import { MIN_PASSWORD_LENGTH, obtainPassword, parsePasswordEnv } from './password.js';
import { createProgress, PLAIN_PROGRESS_MIN } from './progress.js';
import { presetInput, readJsonFile, validateScenario } from './scenario-source.js';
import { tuneForShortRun } from './short-run-tuning.js';
import { formatRunReport, type WrittenFile } from './summary-report.js';

export const GENERATE_OPTIONS = {
  preset: { type: 'string' },
  scenario: { type: 'string' },
  count: { type: 'string' },
  seed: { type: 'string' },
  format: { type: 'string', multiple: true },
  'fhir-bundle': { type: 'string' },
  compress: { type: 'boolean' },
  encrypt: { type: 'boolean' },
  'password-env': { type: 'string' },
  zip: { type: 'boolean' },
  'keep-files': { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const DEFAULT_FORMATS: readonly OutputFormat[] = ['json', 'csv'];
export const DEFAULT_OUT_DIR = 'out';
export const FHIR_BUNDLE_TYPES: readonly FhirBundleType[] = ['collection', 'transaction'];
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

export function parseFhirBundle(text: string): FhirBundleType {
  const type = FHIR_BUNDLE_TYPES.find((t) => t === text);
  if (!type) {
    throw new UsageError(
      `--fhir-bundle: unknown bundle type "${text}"; valid: ${FHIR_BUNDLE_TYPES.join(', ')}`,
    );
  }
  return type;
}

class Interrupted extends Error {}

/** One format's output: its file name after compression/encryption and the chain that writes it. */
interface Output {
  readonly format: OutputFormat;
  /** File name as stored, e.g. patients.json.gz.enc. */
  readonly name: string;
  readonly path: string;
  readonly partial: string;
  /** Where writePatients writes the format's bytes: the first stage, or the file itself. */
  readonly sink: Writable;
  readonly file: WriteStream;
  /** Settles when the file is written: undefined, or the error of the chain after the format. */
  readonly done: Promise<unknown>;
}

interface OutputOptions {
  readonly compress: boolean;
  readonly password: string | undefined;
}

function openOutput(format: OutputFormat, outDir: string, options: OutputOptions): Output {
  let name = formatSpec(format).fileName;
  const stages: Transform[] = [];
  if (options.compress) {
    stages.push(createGzipStream());
    name = gzipFileName(name);
  }
  if (options.password !== undefined) {
    stages.push(createEncryptStream(options.password));
    name = encryptedFileName(name);
  }
  const path = join(outDir, name);
  const partial = `${path}.partial`;
  const file = createWriteStream(partial);
  const chain = stages.length > 0 ? pipeline([...stages, file]) : finished(file);
  const done = chain.then(
    () => undefined,
    (error: unknown) => error,
  );
  return { format, name, path, partial, sink: stages[0] ?? file, file, done };
}

/** Waits until a (possibly destroyed) file stream has closed its descriptor. */
async function closed(file: WriteStream): Promise<void> {
  if (file.closed) return;
  file.destroy();
  await finished(file).catch(() => undefined);
}

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
  const bundleText = stringOption(values, 'fhir-bundle');
  const bundleType = bundleText === undefined ? undefined : attempt(() => parseFhirBundle(bundleText));
  if (bundleText !== undefined && formats.length > 0 && !formats.includes('fhir')) {
    problems.push('--fhir-bundle: applies to the fhir format only; add fhir to --format');
  }
  const compress = values.compress === true;
  const encrypt = values.encrypt === true;
  const zip = values.zip === true;
  const keepFiles = values['keep-files'] === true;
  const passwordEnvText = stringOption(values, 'password-env');
  const passwordEnv = attempt(() => parsePasswordEnv(passwordEnvText));
  if (passwordEnvText !== undefined && !encrypt) problems.push('--password-env: applies to --encrypt only');
  if (keepFiles && !zip) problems.push('--keep-files: applies to --zip only');
  let input: unknown;
  if (presetId !== undefined && scenarioFile === undefined) input = attempt(() => presetInput(presetId));
  if (problems.length > 0) throw new UsageError(problems);
  if (scenarioFile !== undefined) input = await readJsonFile(io.cwd, scenarioFile, '--scenario');

  if (count !== undefined && input !== null && typeof input === 'object' && !Array.isArray(input)) {
    input = { ...(input as ScenarioInput), total_patients: count };
  }
  const scenario = validateScenario(input);
  // Before any file is touched: a missing password must not leave an empty directory behind.
  const password = encrypt
    ? await obtainPassword(io, {
        envName: passwordEnv ?? '',
        confirm: true,
        minLength: MIN_PASSWORD_LENGTH,
      })
    : undefined;
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
  tuneForShortRun(eventPlan.totalPatients, io.ownsProcess);
  const formatOptions: OutputFormatOptions = { fhir: { bundleType: bundleType ?? 'collection' } };
  // The ZIP writer (archiver and its dependencies) is the heaviest module: loaded for --zip only.
  const zipWriter = zip ? await loadZipWriter() : undefined;
  const progress = await createProgress(io.stderr, eventPlan.totalPatients);
  const outputs = formats.map((format) => openOutput(format, outDir, { compress, password }));
  const zipPath = zipWriter ? join(outDir, zipWriter.ZIP_FILE_NAME) : '';
  const zipPartial = zipWriter ? `${zipPath}.partial` : '';
  const collector = new SummaryCollector();
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new Interrupted('interrupted'));
  if (io.ownsProcess) process.once('SIGINT', onSigint);
  let zipBytes = 0;
  try {
    await writeAll(eventPlan, outputs, formatOptions, {
      onRecord: collector.add,
      onProgress: (done) => progress.update(done),
      // At least one call per percent, so the plain progress lines land on their quarters.
      progressEvery: Math.max(1, Math.min(1000, Math.floor(eventPlan.totalPatients / 100))),
      signal: interrupt.signal,
    });
    progress.stop();
    if (zipWriter) {
      const extra = {
        output: {
          formats,
          ...(formats.includes('fhir') ? { fhir_bundle: bundleType ?? 'collection' } : {}),
          compression: compress ? 'gzip' : null,
          encryption: encrypt ? ENCRYPTION_DESCRIPTION : null,
        },
      };
      if (io.stderr.isTTY || eventPlan.totalPatients >= PLAIN_PROGRESS_MIN) {
        io.stderr.write(`zipping ${outputs.length} files into ${displayPath(io.cwd, zipPath)}\n`);
      }
      zipBytes = await writeZip(zipWriter, eventPlan, outputs, zipPartial, extra, encrypt, interrupt.signal);
    }
    if (!zip || keepFiles) for (const o of outputs) await rename(o.partial, o.path);
    if (zip) {
      await rename(zipPartial, zipPath);
      if (!keepFiles) await Promise.all(outputs.map((o) => rm(o.partial, { force: true })));
    }
  } catch (error) {
    // Best effort: a cleanup problem must not hide the error that stopped the run.
    await Promise.all(
      [...outputs.map((o) => o.partial), ...(zip ? [zipPartial] : [])].map((p) =>
        rm(p, { force: true }).catch(() => undefined),
      ),
    );
    if (interrupt.signal.aborted) {
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

  const zipDisplay = displayPath(io.cwd, zipPath);
  const written: WrittenFile[] = outputs.map((o) => ({
    format: o.format,
    path: zip && !keepFiles ? `${o.name} (in ${zipDisplay})` : displayPath(io.cwd, o.path),
    bytes: o.file.bytesWritten,
  }));
  if (zip) written.push({ format: 'zip', path: zipDisplay, bytes: zipBytes });
  const source =
    presetId !== undefined ? `${scenario.name} (preset ${presetId})` : `${scenario.name} (${scenarioFile})`;
  writeLines(
    io.stdout,
    formatRunReport({ source, seed, seedWasRandom, summary: collector.result(), elapsedMs, files: written }),
  );
  return EXIT_OK;
}

/**
 * Writes every output in one pass. On failure every file stream is closed before this rejects (so
 * the caller can delete the partial files), with the root cause: the interruption, else a file
 * system error of a chain, else the generator's error.
 */
async function writeAll(
  eventPlan: EventPlan,
  outputs: readonly Output[],
  formatOptions: OutputFormatOptions,
  options: Parameters<typeof writePatients>[2] & { signal: AbortSignal },
): Promise<void> {
  const targets: WriteTarget[] = outputs.map((o) => ({ format: o.format, sink: o.sink, formatOptions }));
  let failure: { readonly error: unknown } | undefined;
  try {
    await writePatients(eventPlan, targets, options);
  } catch (error) {
    failure = { error };
  }
  const chainErrors = (await Promise.all(outputs.map((o) => o.done))).filter((e) => e !== undefined);
  if (!failure && chainErrors.length === 0) return;
  await Promise.all(outputs.map((o) => closed(o.file)));
  if (options.signal.aborted) throw options.signal.reason;
  throw chainErrors.find(isSystemError) ?? (failure ? failure.error : chainErrors[0]);
}

type ZipWriter = Pick<typeof import('../output/index.js'), 'createZipStream' | 'ZIP_FILE_NAME'>;

async function loadZipWriter(): Promise<ZipWriter> {
  const { createZipStream, ZIP_FILE_NAME } = await import('../output/index.js');
  return { createZipStream, ZIP_FILE_NAME };
}

/** patients.zip.partial from the partial files (entries under their final names) plus manifest.json. */
async function writeZip(
  { createZipStream }: ZipWriter,
  eventPlan: EventPlan,
  outputs: readonly Output[],
  zipPartial: string,
  extra: Readonly<Record<string, unknown>>,
  encrypted: boolean,
  signal: AbortSignal,
): Promise<number> {
  const entries = outputs.map((o) => ({ name: o.name, source: () => createReadStream(o.partial) }));
  const file = createWriteStream(zipPartial);
  try {
    const manifest = { plan: eventPlan, extra, withholdReproduction: encrypted };
    await pipeline(createZipStream(entries, manifest), file, { signal });
  } catch (error) {
    await closed(file);
    throw error;
  }
  return file.bytesWritten;
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
