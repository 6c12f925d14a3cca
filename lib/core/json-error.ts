/**
 * Where and why a text stops being JSON, for the messages of the CLI's scenario files and the API's
 * request bodies. V8's `JSON.parse` gives an offset for some errors only; for the most common one,
 * an unexpected token, it quotes the text instead (memory/fixes/0208, 0209). jsonc-parser, strict (no
 * comments, no trailing commas), reports every error's offset (memory/decisions/0922).
 */
import type { ParseError } from 'jsonc-parser/lib/esm/main.js';

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
export async function locateJsonError(text: string): Promise<JsonErrorPlace | undefined> {
  // Loaded on an error only. Its ES module build: the package's main is a UMD wrapper whose inner
  // requires a bundler cannot follow (the built CLI failed with "Cannot find module './impl/format'").
  const { parse, printParseErrorCode } = await import('jsonc-parser/lib/esm/main.js');
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
