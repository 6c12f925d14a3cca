/**
 * `generate`: a preset or scenario file → one file per format in --out, in one pass over the
 * patients, with progress on stderr and a summary on stdout.
 *
 * Each format's bytes go through the output chain of lib/output (format → gzip (--compress) →
 * AES-256-GCM (--encrypt)) into `NAME.partial`; the partial files are renamed when every one is
 * complete. With --zip the shared archive step reads the partial files once more into
 * `patients.zip.partial` (plus manifest.json with their sizes and SHA-256), which is renamed to
 * `patients.zip`; the loose files are kept only with --keep-files. A failed or interrupted run removes
 * every partial file and leaves no new file behind.
 */
import { randomInt } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { makeDirectory } from '../core/index.js';
import {
  CohortShortfallError,
  candidateBound,
  MAX_PATIENTS,
  plan,
  type ScenarioInput,
} from '../generation/index.js';
import {
  type ChainFile,
  encryptedFileName,
  type FhirBundleType,
  formatSpec,
  gzipFileName,
  isOutputFormat,
  OUTPUT_FORMATS,
  type OutputFormat,
  type OutputFormatOptions,
  runOutputChain,
  type StoredFile,
  SummaryCollector,
} from '../output/index.js';
import { listOption, parseCommandArgs, stringOption } from './args.js';
import { GENERATE_HELP } from './help-text.js';
import {
  CliFailure,
  type CliIo,
  EXIT_OK,
  fileProblem,
  onStopSignal,
  STOP_SIGNALS,
  type StopSignal,
  UsageError,
  writeLines,
} from './io.js';
import { lockOutDir } from './out-dir-lock.js';
import { MIN_PASSWORD_LENGTH, obtainPassword, parsePasswordEnv } from './password.js';
import { createProgress, PLAIN_PROGRESS_MIN } from './progress.js';
import { isJsonObject, presetInput, readScenarioFile, validateScenario } from './scenario-source.js';
import { tuneForShortRun } from './short-run-tuning.js';
import { formatRunReport, type WrittenFile } from './summary-report.js';
import { formatCount } from './text-table.js';

export const GENERATE_OPTIONS = {
  preset: { type: 'string' },
  scenario: { type: 'string' },
  count: { type: 'string' },
  cohort: { type: 'string' },
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

/** A --cohort value: a JSON object of criteria (checked with the scenario: cohort.* errors, exit 2). */
export function parseCohort(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('--cohort: not valid JSON; give an object such as \'{"triage":["T1"]}\'');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError('--cohort: must be a JSON object of criteria');
  return value as Record<string, unknown>;
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

/** The plan; a cohort too rare to find is the run's one error line (exit 1), not a stack trace. */
function planOrFail(scenario: Parameters<typeof plan>[0], seed: string | number): ReturnType<typeof plan> {
  try {
    return plan(scenario, seed);
  } catch (error) {
    if (error instanceof CohortShortfallError) throw new CliFailure(error.message);
    throw error;
  }
}

/**
 * Writes `bytes` to `path`; on failure waits until the file's descriptor is closed (so the caller can
 * remove it) before rejecting.
 */
async function writeFileFrom(bytes: Readable, path: string, signal: AbortSignal): Promise<void> {
  const file = createWriteStream(path);
  try {
    await pipeline(bytes, file, { signal });
  } catch (error) {
    if (!file.closed) {
      file.destroy();
      await finished(file).catch(() => undefined);
    }
    throw error;
  }
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
  const cohortText = stringOption(values, 'cohort');
  const cohort = cohortText === undefined ? undefined : attempt(() => parseCohort(cohortText));
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
  const outArg = stringOption(values, 'out') ?? DEFAULT_OUT_DIR;
  // An empty value (`--out "$DIR"` with DIR unset) would resolve to the working directory.
  if (outArg.trim() === '') problems.push('--out: must not be empty (a directory; default ./out)');
  let input: unknown;
  if (presetId !== undefined && scenarioFile === undefined) input = attempt(() => presetInput(presetId));
  if (problems.length > 0) throw new UsageError(problems);
  if (scenarioFile !== undefined) input = await readScenarioFile(io.cwd, scenarioFile, '--scenario');

  if (count !== undefined && isJsonObject(input)) {
    input = { ...(input as ScenarioInput), total_patients: count };
  }
  if (cohort !== undefined && isJsonObject(input)) {
    input = { ...(input as ScenarioInput), cohort };
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
  const outDir = resolve(io.cwd, outArg);
  try {
    // Not Node's recursive mkdir: it never returns for a directory that cannot be made (memory/fixes/0202).
    makeDirectory(outDir);
  } catch (error) {
    throw new UsageError(`--out: cannot create directory "${outArg}": ${fileProblem(error)}`);
  }
  const formatOptions: OutputFormatOptions = { fhir: { bundleType: bundleType ?? 'collection' } };
  // The ZIP writer (archiver and its dependencies) is the heaviest module: loaded for --zip only.
  const zipWriter = zip ? await loadZipWriter() : undefined;
  await refuseDirectoriesInTheWay(io.cwd, outDir, {
    loose: fileNamesOf(formats, formatOptions, compress, encrypt),
    keptLoose: !zip || keepFiles,
    zip: zipWriter?.ZIP_FILE_NAME,
  });

  const seedWasRandom = seedOption === undefined && scenario.seed === undefined;
  const seed = seedOption ?? scenario.seed ?? randomInt(0, 2 ** 48 - 1);

  const started = performance.now();
  // A cohort's search plays the exercise with many candidates before the first patient is written
  // (seconds to tens of seconds): said up front, where progress shows, so the silence is explained.
  if (scenario.cohort && (io.stderr.isTTY || scenario.totalPatients >= PLAIN_PROGRESS_MIN)) {
    io.stderr.write(
      `cohort: finding ${formatCount(scenario.totalPatients)} matching patients among up to ${formatCount(candidateBound(scenario.totalPatients))} candidates (no progress until found)\n`,
    );
  }
  const eventPlan = planOrFail(scenario, seed);
  tuneForShortRun(eventPlan.totalPatients, io.ownsProcess);
  const interrupt = new AbortController();
  // After planning, which can hold the event loop for longer than the lock stays fresh untouched.
  const releaseOutDir = await lockOutDir(outDir, outArg, (error) => {
    interrupt.abort(new CliFailure(`lost the lock on "${outArg}" (${error.message}); partial files removed`));
  });
  // Once the run holds --out: a run refused there (exit 2) never ran, and its one line is the refusal.
  if (seedWasRandom) io.stderr.write(`seed ${seed} (random; rerun with --seed ${seed} to reproduce)\n`);
  const progress = await createProgress(io.stderr, eventPlan.totalPatients);
  const pathOf = (file: ChainFile) => join(outDir, file.fileName);
  const partialOf = (file: ChainFile) => `${pathOf(file)}.partial`;
  // Every partial file a sink opened, so that a failure removes each one.
  const opened: string[] = [];
  const sink = (file: ChainFile, bytes: Readable, signal: AbortSignal) => {
    opened.push(partialOf(file));
    return writeFileFrom(bytes, partialOf(file), signal);
  };
  const collector = new SummaryCollector();
  let stoppedBy: StopSignal = 'SIGINT';
  const removeStopHandlers = onStopSignal(io, (signal) => {
    stoppedBy = signal;
    interrupt.abort(new Interrupted(signal));
  });
  let files: StoredFile[] = [];
  let zipFile: StoredFile | undefined;
  try {
    // The report needs sizes only; the ZIP's manifest hashes what it reads back.
    files = await runOutputChain(eventPlan, {
      formats,
      formatOptions,
      compress,
      password,
      sha256: false,
      sink,
      signal: interrupt.signal,
      onRecord: collector.add,
      onProgress: (done) => progress.update(done),
      // At least one call per percent, so the plain progress lines land on their quarters.
      progressEvery: Math.max(1, Math.min(1000, Math.floor(eventPlan.totalPatients / 100))),
    });
    progress.stop();
    if (zipWriter) {
      if (io.stderr.isTTY || eventPlan.totalPatients >= PLAIN_PROGRESS_MIN) {
        const zipPath = join(outDir, zipWriter.ZIP_FILE_NAME);
        io.stderr.write(
          `zipping ${files.length} file${files.length === 1 ? '' : 's'} into ${displayPath(io.cwd, zipPath)}\n`,
        );
      }
      zipFile = await zipWriter.writeOutputArchive({
        plan: eventPlan,
        files,
        formatOptions,
        compress,
        encrypted: encrypt,
        open: (file) => createReadStream(partialOf(file)),
        sink,
        signal: interrupt.signal,
      });
    }
    if (!zip || keepFiles) for (const f of files) await rename(partialOf(f), pathOf(f));
    if (zipFile) {
      await rename(partialOf(zipFile), pathOf(zipFile));
      if (!keepFiles) await Promise.all(files.map((f) => rm(partialOf(f), { force: true })));
    }
  } catch (error) {
    // Best effort: a cleanup problem must not hide the error that stopped the run.
    await Promise.all(opened.map((p) => rm(p, { force: true }).catch(() => undefined)));
    if (interrupt.signal.reason instanceof CliFailure) throw interrupt.signal.reason;
    if (interrupt.signal.aborted) {
      progress.stop();
      io.stderr.write(`\n${STOP_SIGNALS[stoppedBy].word}; partial files removed\n`);
      return STOP_SIGNALS[stoppedBy].exitCode;
    }
    if (isSystemError(error))
      throw new CliFailure(`cannot write the output files in "${outArg}": ${error.message}`);
    throw error;
  } finally {
    progress.stop();
    removeStopHandlers();
    await releaseOutDir();
  }
  const elapsedMs = performance.now() - started;

  const zipDisplay = zipFile ? displayPath(io.cwd, pathOf(zipFile)) : '';
  const written: WrittenFile[] = files.map((f) => ({
    format: f.format,
    path: zip && !keepFiles ? `${f.fileName} (in ${zipDisplay})` : displayPath(io.cwd, pathOf(f)),
    bytes: f.size,
  }));
  if (zipFile) written.push({ format: 'zip', path: zipDisplay, bytes: zipFile.size });
  const source =
    presetId !== undefined ? `${scenario.name} (preset ${presetId})` : `${scenario.name} (${scenarioFile})`;
  writeLines(
    io.stdout,
    formatRunReport({ source, seed, seedWasRandom, summary: collector.result(), elapsedMs, files: written }),
  );
  return EXIT_OK;
}

/** The file names a run writes in --out, as the output chain names them (format, .gz, .enc). */
function fileNamesOf(
  formats: readonly OutputFormat[],
  formatOptions: OutputFormatOptions,
  compress: boolean,
  encrypt: boolean,
): string[] {
  return formats.map((format) => {
    let name = formatSpec(format, formatOptions).fileName;
    if (compress) name = gzipFileName(name);
    if (encrypt) name = encryptedFileName(name);
    return name;
  });
}

/**
 * A directory under the name of a file the run renames into place would fail the run only at its
 * end, when every patient was generated, and after the files before it in the rename loop had
 * replaced the last run's (fix 0163): refused before anything is written instead. The loose files
 * keep their names only without --zip or with --keep-files.
 */
async function refuseDirectoriesInTheWay(
  cwd: string,
  outDir: string,
  run: { loose: readonly string[]; keptLoose: boolean; zip: string | undefined },
): Promise<void> {
  const names = [...(run.keptLoose ? run.loose : []), ...(run.zip === undefined ? [] : [run.zip])];
  for (const name of names) {
    const path = join(outDir, name);
    const found = await lstat(path).catch(() => undefined);
    if (found?.isDirectory()) {
      throw new UsageError(
        `--out: "${displayPath(cwd, path)}" is a directory where this run writes a file; remove or rename it, or choose another --out`,
      );
    }
  }
}

type ZipWriter = Pick<typeof import('../output/index.js'), 'writeOutputArchive' | 'ZIP_FILE_NAME'>;

async function loadZipWriter(): Promise<ZipWriter> {
  const { writeOutputArchive, ZIP_FILE_NAME } = await import('../output/index.js');
  return { writeOutputArchive, ZIP_FILE_NAME };
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
