/**
 * The scenario editor's model, DOM-free (unit-tested in test/unit/web/scenario-model.test.ts).
 *
 * The draft is plain JSON: the form reads it by path and writes it with `setIn`, which copies only
 * the objects on the path, so keys the form does not know (or the API rejects) survive every edit
 * and the JSON view shows them. memory/decisions/0710-console-scenario-and-jobs.md.
 */
import { describeJsonErrorPlace, jsonErrorPlace } from '../../../../lib/core/json-error-place.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Draft = { [key: string]: Json };
export type PathPart = string | number;
export type Path = readonly PathPart[];

/** Fields the API manages: dropped when a stored configuration is loaded into the editor. */
export const SERVER_FIELDS = ['id', 'version', 'created_at', 'updated_at', 'parent_config_id'] as const;

export function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getIn(root: Json | undefined, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === 'number') node = node[part];
    else if (isObject(node) && typeof part === 'string') node = node[part];
    else return undefined;
  }
  return node;
}

/**
 * A copy of `root` with `value` at `path` (undefined removes the key, or the array element).
 * Missing containers are created: an object for a string key, an array for a number.
 */
export function setIn<T extends Json>(root: T, path: Path, value: Json | undefined): T {
  if (path.length === 0) return (value ?? null) as T;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const list = Array.isArray(root) ? [...root] : [];
    if (rest.length === 0 && value === undefined) list.splice(head, 1);
    else list[head] = setIn((list[head] ?? (typeof rest[0] === 'number' ? [] : {})) as Json, rest, value);
    return list as T;
  }
  const obj: { [key: string]: Json } = isObject(root) ? { ...root } : {};
  if (rest.length === 0 && value === undefined) delete obj[head];
  else obj[head] = setIn((obj[head] ?? (typeof rest[0] === 'number' ? [] : {})) as Json, rest, value);
  return obj as T;
}

/** The editor's draft from a stored configuration: its body without the server's fields. */
export function draftFromConfiguration(configuration: { [key: string]: unknown }): Draft {
  const draft: Draft = {};
  for (const [key, value] of Object.entries(configuration)) {
    if (!(SERVER_FIELDS as readonly string[]).includes(key)) draft[key] = value as Json;
  }
  return draft;
}

export function formatJson(draft: Draft): string {
  return `${JSON.stringify(draft, null, 2)}\n`;
}

export type JsonParse =
  | { readonly ok: true; readonly draft: Draft }
  | { readonly ok: false; readonly message: string };

/** The JSON view's text as a draft, or why it is not one (the form keeps the last good draft). */
export function parseDraft(text: string): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The browser's own message quotes the text for a stray word and names no line: say where.
    const place = jsonErrorPlace(text);
    const reason = place
      ? describeJsonErrorPlace(place)
      : error instanceof Error
        ? error.message
        : String(error);
    return { ok: false, message: `Not valid JSON: ${reason}` };
  }
  if (!isObject(value)) return { ok: false, message: 'The scenario must be a JSON object { … }' };
  return { ok: true, draft: value };
}

/** Structural equality of two JSON values (key order ignored). */
export function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameJson(a[k], b[k]));
  }
  return false;
}

/**
 * One key per field, whatever the notation: the API answers `front_configs[0].name`, other tools
 * `front_configs.0.name`; both become `front_configs.0.name`. The root is ''.
 */
export function issueKey(path: string | Path): string {
  if (typeof path !== 'string') return path.map(String).join('.');
  if (path === '(root)' || path === '') return '';
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\./, '')
    .replace(/\.{2,}/g, '.');
}

/** The id of a field's input, derived from its key so an issue can point at it. */
export function fieldId(key: string): string {
  return `f-${key.replace(/[^A-Za-z0-9_-]/g, '-') || 'root'}`;
}

export interface Issue {
  readonly path: string;
  readonly message: string;
}

export interface PlacedIssues {
  /** Messages by the key of the field (or group) that shows them. */
  readonly byKey: ReadonlyMap<string, readonly string[]>;
  /** Issues that no field shows: the summary lists them. */
  readonly unplaced: readonly Issue[];
  /** Every issue with the key of the field that shows it (null: summary only), in the API's order. */
  readonly all: readonly (Issue & { readonly key: string | null })[];
}

/**
 * Puts each issue at the field whose key is its path, else at the nearest enclosing group the form
 * shows (a front, a list, a block of flags), else in the summary. `prefix` strips a request prefix
 * such as `configuration.` from POST /generation issues.
 */
export function placeIssues(
  issues: readonly Issue[],
  placeable: ReadonlySet<string>,
  prefix = '',
): PlacedIssues {
  const byKey = new Map<string, string[]>();
  const unplaced: Issue[] = [];
  const all: (Issue & { key: string | null })[] = [];
  for (const issue of issues) {
    let key = issueKey(issue.path);
    if (prefix) {
      if (key === prefix) key = '';
      else if (key.startsWith(`${prefix}.`)) key = key.slice(prefix.length + 1);
    }
    let target: string | null = null;
    for (let probe = key; probe; probe = probe.includes('.') ? probe.slice(0, probe.lastIndexOf('.')) : '') {
      if (placeable.has(probe)) {
        target = probe;
        break;
      }
    }
    if (target === null) unplaced.push({ path: key || '(scenario)', message: issue.message });
    else {
      const list = byKey.get(target) ?? [];
      list.push(target === key ? issue.message : `${key.slice(target.length + 1)}: ${issue.message}`);
      byKey.set(target, list);
    }
    all.push({ path: key || '(scenario)', message: issue.message, key: target });
  }
  return { byKey, unplaced, all };
}

/** Issues without repeats: the validator and a rejected save or generate may report the same one. */
export function uniqueIssues(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const id = `${issueKey(i.path)}\n${i.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * A field's path in the planner's words: `front_configs.0.nationality_distribution.1.percentage` →
 * "Poland Front › nation 2 › percentage" (front and facility names from the draft).
 */
export function issueLabel(key: string, draft: Draft): string {
  if (key === '' || key === '(scenario)') return 'Scenario';
  const parts = key.split('.');
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const next = parts[i + 1];
    if (
      (part === 'front_configs' || part === 'facility_configs') &&
      next !== undefined &&
      /^\d+$/.test(next)
    ) {
      const n = Number(next);
      const name = getIn(draft, [part, n, 'name']);
      const noun = part === 'front_configs' ? 'front' : 'facility';
      words.push(typeof name === 'string' && name.trim() ? name : `${noun} ${n + 1}`);
      i++;
    } else if (part === 'nationality_distribution' && next !== undefined && /^\d+$/.test(next)) {
      words.push(`nation ${Number(next) + 1}`);
      i++;
    } else if (/^\d+$/.test(part)) words.push(`item ${Number(part) + 1}`);
    else words.push(part.replace(/_/g, ' '));
  }
  return words.join(' › ');
}

/** Number input text → JSON value: '' removes the field, text that is no number stays text (the API says why). */
export function numberFromInput(text: string): Json | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

/** A seed as typed: digits within the safe range become an integer, anything else stays text; '' is none. */
export function seedFromInput(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d{1,16}$/.test(trimmed)) {
    const n = Number(trimmed);
    if (Number.isSafeInteger(n)) return n;
  }
  return trimmed;
}

/** Sum of the injury mix as entered (fractions or percentages), for the hint next to it. */
export function injuryMixSum(draft: Draft): number {
  const mix = draft.injury_distribution;
  if (!isObject(mix)) return 0;
  let sum = 0;
  for (const v of Object.values(mix)) if (typeof v === 'number') sum += v;
  return Number(sum.toFixed(6));
}

/** Sum of a front's nation percentages, for the hint next to it. */
export function nationShareSum(front: Json | undefined): number {
  const list = getIn(front, ['nationality_distribution']);
  if (!Array.isArray(list)) return 0;
  let sum = 0;
  for (const n of list) {
    const p = getIn(n, ['percentage']);
    if (typeof p === 'number') sum += p;
  }
  return Number(sum.toFixed(6));
}

/** A fresh, unused id for a new list item: front_4, role2_2... */
export function nextId(list: Json | undefined, stem: string): string {
  const used = new Set(Array.isArray(list) ? list.map((item) => String(getIn(item, ['id']) ?? '')) : []);
  for (let n = (Array.isArray(list) ? list.length : 0) + 1; ; n++) {
    const id = `${stem}_${n}`;
    if (!used.has(id)) return id;
  }
}
