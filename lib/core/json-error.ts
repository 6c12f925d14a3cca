/**
 * `locateJsonError` for the CLI and the API: the place a text breaks JSON (json-error-place.ts), with
 * the parser loaded on an error only, so a command that reads good JSON never pays for it.
 */
import type { JsonErrorPlace } from './json-error-place.js';

export type { JsonErrorPlace } from './json-error-place.js';

/** The first place `text` breaks JSON, or undefined when the strict parser finds none. */
export async function locateJsonError(text: string): Promise<JsonErrorPlace | undefined> {
  // jsonc-parser's ES module build: the package's main is a UMD wrapper whose inner requires a bundler
  // cannot follow (the built CLI failed with "Cannot find module './impl/format'").
  const { jsonErrorPlace } = await import('./json-error-place.js');
  return jsonErrorPlace(text);
}

/**
 * Where and why `text` is not JSON, in words for its author (`unexpected "tru" at line 52, column 8`),
 * or undefined when the strict parser finds nothing wrong.
 */
export async function describeJsonError(
  text: string,
  quote?: (found: string) => string,
): Promise<string | undefined> {
  const { jsonErrorPlace, describeJsonErrorPlace } = await import('./json-error-place.js');
  const place = jsonErrorPlace(text);
  return place && describeJsonErrorPlace(place, quote);
}
