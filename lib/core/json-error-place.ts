/**
 * Where and why a text stops being JSON: the pure, synchronous half of `locateJsonError`, shared by
 * the CLI's scenario files, the API's request bodies and the web console's JSON tab (the one module of
 * lib/ the console's bundle takes: no Node API). V8's `JSON.parse` gives an offset for some errors
 * only; for the most common one, an unexpected token, it quotes the text instead (memory/fixes/0208,
 * 0209, 0210). jsonc-parser, strict (no comments, no trailing commas), reports every error's offset
 * (memory/decisions/0922).
 */
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser/lib/esm/main.js';

export interface JsonErrorPlace {
  /** 1-based, counted in lines of the text. */
  readonly line: number;
  /** 1-based, in UTF-16 code units from the line's start. */
  readonly column: number;
  /** The rule broken, in words ("a value was expected"); "unexpected text" for a stray word. */
  readonly problem: string;
  /** The unexpected text itself, for a stray word or character only; empty otherwise. */
  readonly found: string;
}

const PROBLEMS: Record<string, string> = {
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'the end of the text was expected (more than one value)',
  InvalidCommentToken: 'a comment, which JSON does not allow',
  UnexpectedEndOfComment: 'a comment, which JSON does not allow',
  UnexpectedEndOfString: 'a string that is not closed',
  UnexpectedEndOfNumber: 'a malformed number',
  InvalidUnicode: 'an invalid \\u escape in a string',
  InvalidEscapeCharacter: 'an invalid escape in a string',
  InvalidCharacter: 'a control character in a string (write it as an escape)',
};

/** The first place `text` breaks JSON, or undefined when the strict parser finds none. */
export function jsonErrorPlace(text: string): JsonErrorPlace | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  const before = text.slice(0, first.offset);
  const problem = PROBLEMS[printParseErrorCode(first.error)];
  return {
    line: before.split('\n').length,
    column: first.offset - before.lastIndexOf('\n'),
    problem: problem ?? 'unexpected text',
    found: problem ? '' : text.slice(first.offset, first.offset + first.length),
  };
}

/**
 * The place in words for the author of the text: `unexpected "tru" at line 52, column 8`, or the rule
 * (`a comma was expected at line 3, column 1`). A stray word is quoted, at most 20 characters of it,
 * through `quote` (the CLI escapes control characters there): it says what to look for on the line.
 */
export function describeJsonErrorPlace(
  place: JsonErrorPlace,
  quote: (found: string) => string = (s) => s,
): string {
  const shown = place.found.length > 20 ? `${place.found.slice(0, 20)}…` : place.found;
  const problem = place.found ? `unexpected "${quote(shown)}"` : place.problem;
  return `${problem} at line ${place.line}, column ${place.column}`;
}
