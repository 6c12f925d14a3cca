/**
 * Filters of GET /jobs/{id}/results, applied to each stored record's text as the file streams by.
 * Exact fields (triage, status, nationality, front) are matched on the text with anchored patterns
 * (`"triage_category":"T1"`), so a non-matching record is never parsed; the search `q` reads only the
 * id, uuid, names and service number out of the text. A JSON string cannot contain an unescaped quote,
 * so `"key":"value"` only ever matches a real key and its whole value. Only a key's first occurrence
 * is the record's own field: the record writer (lib/output/patient-json.ts) puts every top-level field
 * before the nested lists, where a re-triage event also carries a `triage_category`.
 */

export interface ResultsFilter {
  /** Words, each matching the id (exactly), the uuid (prefix), a given or family name or the service number (part). */
  readonly q?: string;
  /** Any of these triage categories. */
  readonly triage?: readonly string[];
  /** Any of these statuses (KIA, DOW, RTD, Remains_Role4). */
  readonly status?: readonly string[];
  /** Any of these nations (ISO 3166 alpha-3). */
  readonly nationality?: readonly string[];
  /** The front's name or id, exactly. */
  readonly front?: string;
}

export function hasFilter(filter: ResultsFilter): boolean {
  return Boolean(
    filter.q?.trim() ||
      filter.triage?.length ||
      filter.status?.length ||
      filter.nationality?.length ||
      filter.front,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether the first occurrence of each key holds one of the values (as JSON strings); whitespace
 * allowed around the colon. A record matches when any of the keys does.
 */
function fieldMatcher(keys: readonly string[], values: readonly string[]): (text: string) => boolean {
  const wanted = new Set(values.map((value) => JSON.stringify(value)));
  const patterns = keys.map(
    (key) => new RegExp(`"${escapeRegExp(key)}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*"|null)`),
  );
  return (text) =>
    patterns.some((pattern) => {
      const value = pattern.exec(text)?.[1];
      return value !== undefined && wanted.has(value);
    });
}

const STRING = '"((?:[^"\\\\]|\\\\.)*)"';
const ID = /"id"\s*:\s*(\d+)/;
const UUID = new RegExp(`"uuid"\\s*:\\s*${STRING}`);
const GIVEN = new RegExp(`"given_name"\\s*:\\s*${STRING}`);
const FAMILY = new RegExp(`"family_name"\\s*:\\s*${STRING}`);
const SERVICE = new RegExp(`"service_number"\\s*:\\s*${STRING}`);

// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is the range tested
const NOT_ASCII = /[^\u0000-\u007f]/;

/** Lower case without diacritics, so "jozef" finds "Józef". */
export function fold(text: string): string {
  // Most names are ASCII: nothing to decompose (the search runs once per patient of a job).
  if (!NOT_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function stringField(pattern: RegExp, text: string): string {
  const raw = pattern.exec(text)?.[1];
  if (raw === undefined) return '';
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function searchMatcher(q: string): ((text: string) => boolean) | null {
  const words = fold(q).split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  return (text) => {
    const id = ID.exec(text)?.[1] ?? '';
    const uuid = stringField(UUID, text).toLowerCase();
    const names = [stringField(GIVEN, text), stringField(FAMILY, text), stringField(SERVICE, text)].map(fold);
    return words.every(
      (word) => word === id || uuid.startsWith(word) || names.some((name) => name.includes(word)),
    );
  };
}

/** A predicate over a record's JSON text; null when the filter selects everything. */
export function recordMatcher(filter: ResultsFilter): ((text: string) => boolean) | null {
  const tests: ((text: string) => boolean)[] = [];
  const exact = (keys: readonly string[], values: readonly string[] | undefined) => {
    if (!values?.length) return;
    tests.push(fieldMatcher(keys, values));
  };
  exact(['triage_category'], filter.triage);
  exact(['status'], filter.status);
  exact(['nationality'], filter.nationality);
  exact(['front', 'front_id'], filter.front ? [filter.front] : undefined);
  const search = filter.q ? searchMatcher(filter.q) : null;
  if (search) tests.push(search);
  if (tests.length === 0) return null;
  return (text) => tests.every((test) => test(text));
}
