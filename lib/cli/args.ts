/** node:util parseArgs (strict) with its errors turned into one-line UsageErrors that name the option. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;
/** What conflictingRepeats reads of parseArgs' tokens. */
interface Token {
  readonly kind: string;
  readonly name?: string;
  readonly value?: string;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

export function parseCommandArgs(
  command: string,
  args: readonly string[],
  options: Options,
  allowPositionals = false,
): ParsedArgs {
  let parsed: { values: unknown; positionals: string[]; tokens: Token[] };
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals, tokens: true });
  } catch (error) {
    throw new UsageError(describeParseError(command, error, options));
  }
  const repeated = conflictingRepeats(parsed.tokens, options);
  if (repeated.length > 0) throw new UsageError(repeated);
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
}

/** Longest part of a value quoted back in a message. */
const MAX_QUOTED = 40;

/**
 * A single-valued option given twice with different values (`--out a --out b`, `--seed 1 ... --seed
 * 2`): parseArgs keeps the last and drops the other without a word, so a run wrote where, or with
 * what, the user did not mean (fix 0162). Repeating the same value, or a flag, changes nothing and
 * passes; options declared `multiple` (--format, --scope) are lists.
 */
function conflictingRepeats(tokens: readonly Token[], options: Options): string[] {
  const seen = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined || token.value === undefined) continue;
    const option = options[token.name];
    if (option?.type !== 'string' || option.multiple) continue;
    seen.set(token.name, [...(seen.get(token.name) ?? []), token.value]);
  }
  const problems: string[] = [];
  for (const [name, given] of seen) {
    const distinct = [...new Set(given)];
    if (distinct.length < 2) continue;
    const times = given.length === 2 ? 'twice' : `${given.length} times`;
    const quoted = distinct.map((v) =>
      JSON.stringify(v.length > MAX_QUOTED ? `${v.slice(0, MAX_QUOTED)}…` : v),
    );
    problems.push(`--${name}: given ${times} with different values (${quoted.join(', ')}); give it once`);
  }
  return problems;
}

function describeParseError(command: string, error: unknown, options: Options): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const validOptions = Object.entries(options)
    .map(([name, o]) => `--${name}${o.short ? ` (-${o.short})` : ''}`)
    .join(', ');
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option "${quoted}" for "${command}"; valid options: ${validOptions}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
      if (/does not take an argument/.test(message)) return `${name}: takes no value`;
      return `${name}: needs a value (write ${name}=VALUE for a value starting with "-")`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}" for "${command}"`;
    default:
      return `${command}: ${message.split('\n')[0]}`;
  }
}

/** The single string value of an option (the last one when repeated). */
export function stringOption(values: ParsedArgs['values'], name: string): string | undefined {
  const v = values[name];
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a repeatable, comma-separated option, trimmed, empty items dropped. */
export function listOption(values: ParsedArgs['values'], name: string): string[] | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const items = (Array.isArray(v) ? v : [v]).map(String);
  return items
    .flatMap((item) => item.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
