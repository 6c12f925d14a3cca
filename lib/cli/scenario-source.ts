/** Reads a scenario from a preset id or a JSON file, reporting every problem as a UsageError line. */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeJsonError } from '../core/index.js';
import { PRESETS } from '../data/index.js';
import {
  findPreset,
  parseScenario,
  presetScenario,
  type Scenario,
  type ScenarioInput,
} from '../generation/index.js';
import { fileProblem, UsageError } from './io.js';
import { formatCount } from './text-table.js';

/**
 * Largest scenario file read (bytes): the API's request body limit (MAX_REQUEST_BODY_BYTES of
 * lib/core/http-handler.ts, restated: importing it brings the HTTP stack's module into the CLI's
 * bundle; a test keeps them equal), far above any scenario the schema accepts. Reading stops one byte past
 * it, so a huge file, /dev/zero or an endless pipe is refused instead of filling memory (fix 0161).
 */
export const MAX_SCENARIO_FILE_BYTES = 1024 * 1024;

export function presetIds(): string[] {
  return PRESETS.map((p) => p.id);
}

export function presetInput(id: string, option = '--preset'): ScenarioInput {
  const preset = findPreset(id);
  if (!preset)
    throw new UsageError(`${option}: unknown preset "${id}"; valid presets: ${presetIds().join(', ')}`);
  return presetScenario(preset);
}

/**
 * Reads and parses a JSON file. Messages start with `option` and the file name when the file came
 * from an option (`--scenario "a.json": ...`), with the file name alone when it is an argument.
 */
export async function readJsonFile(cwd: string, file: string, option?: string): Promise<unknown> {
  const label = option ? `${option} "${file}"` : file;
  let bytes: Buffer;
  try {
    bytes = await readAtMost(resolve(cwd, file), MAX_SCENARIO_FILE_BYTES + 1);
  } catch (error) {
    throw new UsageError(`${label}: cannot read file: ${fileProblem(error)}`);
  }
  if (bytes.length > MAX_SCENARIO_FILE_BYTES) {
    throw new UsageError(
      `${label}: too large: more than ${formatCount(MAX_SCENARIO_FILE_BYTES)} bytes (1 MiB), the most a scenario file may have`,
    );
  }
  const raw = bytes.toString('utf8');
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${label}: not valid JSON: ${await jsonReason(error, text)}`);
  }
}

/**
 * Reads a scenario file: a scenario, or a saved answer of GET /api/v1/jobs/{id}/scenario (`job_id` and
 * `scenario`, the job's seed inside it), whose scenario writes that job's files again
 * (memory/fixes/0221). A scenario has neither field, so the two cannot be confused. A saved answer of
 * GET /api/v1/jobs/{id} (`job_id` and `config`) is refused in one line naming the route to save instead.
 */
export async function readScenarioFile(cwd: string, file: string, option?: string): Promise<unknown> {
  const value = await readJsonFile(cwd, file, option);
  if (!isJsonObject(value) || typeof value.job_id !== 'string') return value;
  if (isJsonObject(value.scenario)) return value.scenario;
  if (isJsonObject(value.config) && /^[\w-]{1,128}$/.test(value.job_id)) {
    // A saved GET /jobs/{id}: it names the job's scenario but does not hold it (a stored one's, never).
    const label = option ? `${option} "${file}"` : file;
    throw new UsageError(
      `${label}: a job (the answer of GET /api/v1/jobs/${value.job_id}), not a scenario: save the answer of GET /api/v1/jobs/${value.job_id}/scenario and give that file`,
    );
  }
  return value;
}

/** A JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Validates a scenario input; every problem becomes one `path: message` line. */
export function validateScenario(input: unknown): Scenario {
  const result = parseScenario(input);
  if (!result.ok) throw new UsageError(result.issues.map((i) => `${i.path}: ${i.message}`));
  return result.scenario;
}

/**
 * Reads a file, a pipe or a device to its end or to `limit` bytes, whichever comes first (a FIFO
 * or /dev/stdin has no size to check up front).
 */
async function readAtMost(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** Where and why the text is not JSON, with the line and column (memory/fixes/0208-cli-json-errors-without-line.md). */
async function jsonReason(error: unknown, text: string): Promise<string> {
  const described = await describeJsonError(text, escapeControls);
  return described ?? escapeControls(error instanceof Error ? error.message : String(error));
}

/** C0 and C1 control characters, DEL and the Unicode line and paragraph separators as `\uXXXX`. */
function escapeControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is escaped
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
