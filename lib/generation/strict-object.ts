/**
 * Objects that refuse unknown keys, with an error that names them (a few, cut short: an error never
 * carries a long value back) and the valid names. One wording for the scenario, the cohort, the
 * generation request and the results query: `unknown field "count"; valid names: name, ...`.
 */
import * as z from 'zod';

/** Unknown keys named in an error, at most: the rest are counted. */
const MAX_NAMED_KEYS = 5;

/** An unknown key as an error names it. */
function keyName(key: string): string {
  return key.length > 40 ? `"${key.slice(0, 40)}…"` : `"${key}"`;
}

/** A strict object whose unknown-key error names the keys, as `what` (one) or `whatPlural` (several). */
export function strictWith<T extends z.ZodRawShape>(shape: T, what: string, whatPlural = `${what}s`) {
  const valid = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const named = issue.keys.slice(0, MAX_NAMED_KEYS).map(keyName).join(', ');
      const more =
        issue.keys.length > MAX_NAMED_KEYS ? ` and ${issue.keys.length - MAX_NAMED_KEYS} more` : '';
      return `unknown ${issue.keys.length === 1 ? what : whatPlural} ${named}${more}; valid names: ${valid}`;
    },
  });
}
