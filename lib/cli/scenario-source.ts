/** Reads a scenario from a preset id or a JSON file, reporting every problem as a UsageError line. */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
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
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new UsageError(`${label}: not valid JSON: ${jsonReason(error, text)}`);
  }
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

/**
 * V8's message of a syntax error, on one line: its quote of the text around the error keeps the
 * text's line breaks and control characters (a terminal escape of a binary file would reach the
 * terminal), so they are written as JSON escapes (fix 0160); a position becomes a line and column.
 */
function jsonReason(error: unknown, text: string): string {
  const message = escapeControls(error instanceof Error ? error.message : String(error));
  const position = /position (\d+)/.exec(message);
  if (!position) return message;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}

/** C0 and C1 control characters, DEL and the Unicode line and paragraph separators as `\uXXXX`. */
function escapeControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is escaped
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
