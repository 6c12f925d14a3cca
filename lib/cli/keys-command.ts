/**
 * `keys create|list|show|rotate|revoke|usage|bootstrap`: API keys of a deployment. Every subcommand but
 * bootstrap calls the admin API (keys-admin-client.ts: --api or MILMED_API_URL, the admin key from
 * MILMED_ADMIN_KEY); bootstrap writes the first admin key of a stage straight into its keys table with
 * the operator's AWS credentials (keys-bootstrap.ts, loaded only then: the AWS SDK is its bundle's).
 * Requests are checked with the admin API's own zod schemas (lib/domain/api-key.ts) before they are
 * sent, so bad input is exit 2 with one line naming the option, without a call.
 */
import * as z from 'zod';
import {
  ApiKeyDetailSchema,
  type ApiKeyView,
  ApiKeyViewSchema,
  CreateApiKeyRequestSchema,
  type IssuedApiKey,
  IssuedApiKeySchema,
  KEY_ID_PATTERN,
  KEY_SCOPES,
  type KeyLimits,
  KeyLimitsSchema,
  type KeyUsageDay,
  LIMIT_PRESETS,
  MAX_ROTATION_GRACE_HOURS,
  MAX_USAGE_DAYS,
  parseApiKey,
  RotateApiKeyRequestSchema,
} from '../domain/api-key.js';
import { type ParsedArgs, parseCommandArgs, stringOption } from './args.js';
import { KEYS_HELP } from './help-text.js';
import { type CliIo, EXIT_OK, UsageError, writeLines } from './io.js';
import { ADMIN_KEYS_PATH, AdminClient } from './keys-admin-client.js';
import { formatCount, formatTable } from './text-table.js';

export const KEYS_SUBCOMMANDS = ['create', 'list', 'show', 'rotate', 'revoke', 'usage', 'bootstrap'] as const;
type Subcommand = (typeof KEYS_SUBCOMMANDS)[number];

/** The admin API's bounds (lib/api/schemas.ts: list page size, days of usage of GET /admin/keys/{key_id}). */
export const MAX_LIST_LIMIT = 100;

const COMMON = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
const API = { api: { type: 'string' }, ...COMMON } as const;

/** The limit options of `create`, each one field of KeyLimits. */
const LIMIT_OPTIONS: Readonly<Record<string, keyof KeyLimits>> = {
  'max-patients-per-job': 'max_patients_per_job',
  'max-concurrent-jobs': 'max_concurrent_jobs',
  'daily-patient-quota': 'daily_patient_quota',
  'daily-job-quota': 'daily_job_quota',
  'requests-per-minute': 'requests_per_minute',
};

const OPTIONS = {
  create: {
    owner: { type: 'string' },
    name: { type: 'string' },
    scope: { type: 'string', multiple: true },
    'limits-preset': { type: 'string' },
    ...Object.fromEntries(Object.keys(LIMIT_OPTIONS).map((o) => [o, { type: 'string' } as const])),
    'expires-at': { type: 'string' },
    ...API,
  },
  list: { owner: { type: 'string' }, limit: { type: 'string' }, all: { type: 'boolean' }, ...API },
  show: { days: { type: 'string' }, ...API },
  rotate: { 'grace-hours': { type: 'string' }, ...API },
  revoke: { ...API },
  usage: { days: { type: 'string' }, ...API },
  bootstrap: {
    stage: { type: 'string' },
    owner: { type: 'string' },
    name: { type: 'string' },
    region: { type: 'string' },
    ...COMMON,
  },
} as const;

/** Which option a field of a create request comes from, for its error line. */
const CREATE_FIELD_OPTIONS: Readonly<Record<string, string>> = {
  owner: '--owner',
  name: '--name',
  scopes: '--scope',
  limits_preset: '--limits-preset',
  expires_at: '--expires-at',
  ...Object.fromEntries(Object.entries(LIMIT_OPTIONS).map(([o, f]) => [`limits.${f}`, `--${o}`])),
};

export const BOOTSTRAP_DEFAULT_OWNER = 'ops';
export const BOOTSTRAP_DEFAULT_NAME = 'bootstrap admin key';
/** The stage part of a key (lib/domain/api-key.ts API_KEY_PATTERN). */
const STAGE_PATTERN = /^[a-z0-9]{1,16}$/;

const SHOWN_ONCE = 'shown only now: store it (a secret manager, your CI secrets); it cannot be shown again';

export async function keysCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(KEYS_HELP);
    return EXIT_OK;
  }
  if (!(KEYS_SUBCOMMANDS as readonly string[]).includes(first)) {
    const what = first.startsWith('-') ? 'option' : 'subcommand';
    throw new UsageError(
      `unknown ${what} "${first}" for "keys"; valid subcommands: ${KEYS_SUBCOMMANDS.join(', ')}`,
    );
  }
  const sub = first as Subcommand;
  const command = `keys ${sub}`;
  const takesKeyId = sub === 'show' || sub === 'rotate' || sub === 'revoke' || sub === 'usage';
  const parsed = parseCommandArgs(command, rest, OPTIONS[sub], takesKeyId);
  if (parsed.values.help) {
    io.stdout.write(KEYS_HELP);
    return EXIT_OK;
  }
  const json = parsed.values.json === true;
  switch (sub) {
    case 'create':
      return create(parsed, io, json);
    case 'list':
      return list(parsed, io, json);
    case 'show':
    case 'usage':
      return showOrUsage(sub, parsed, io, json);
    case 'rotate':
      return rotate(parsed, io, json);
    case 'revoke':
      return revoke(parsed, io, json);
    case 'bootstrap':
      return bootstrap(parsed, io, json);
  }
}

// ---- input ---------------------------------------------------------------------------------------

/** Collects the problems of every check, then throws them as one UsageError (one line each). */
class Problems {
  readonly lines: string[] = [];

  check<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      this.lines.push(...error.problems);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.lines.length > 0) throw new UsageError(this.lines);
  }
}

/** A whole number in [min, max], or a UsageError naming the option and the rule. */
export function parseWholeNumber(option: string, text: string, min: number, max: number): number {
  const trimmed = text.trim();
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${option}: must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

function limitBounds(field: keyof KeyLimits): { min: number; max: number } {
  const schema = KeyLimitsSchema.shape[field];
  return { min: schema.minValue ?? 1, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
}

/**
 * The KEY_ID argument. Its text is not echoed: someone may paste a whole key, or its secret, by
 * mistake.
 */
function keyIdArgument(command: string, positionals: readonly string[]): string {
  if (positionals.length === 0) {
    throw new UsageError(`${command} needs a KEY_ID (the key id "milmed keys list" shows)`);
  }
  if (positionals.length > 1) {
    throw new UsageError(`${command} takes one KEY_ID, got ${positionals.length} arguments`);
  }
  const text = positionals[0].trim();
  if (parseApiKey(text)) {
    throw new UsageError(
      'KEY_ID: that is a whole API key; give only its key id (the 16 characters after mmpg_<stage>_)',
    );
  }
  if (!KEY_ID_PATTERN.test(text)) {
    throw new UsageError(
      'KEY_ID: must be 16 characters of a-z and 2-7 (the key id "milmed keys list" shows)',
    );
  }
  return text;
}

function daysOption(values: ParsedArgs['values']): number | undefined {
  const text = stringOption(values, 'days');
  return text === undefined ? undefined : parseWholeNumber('--days', text, 1, MAX_USAGE_DAYS);
}

/** The request body of `create`, checked by the admin API's own schema. */
export function createRequest(values: ParsedArgs['values']): Record<string, unknown> {
  const problems = new Problems();
  const body: Record<string, unknown> = {};
  const owner = stringOption(values, 'owner');
  const name = stringOption(values, 'name');
  if (owner === undefined) problems.lines.push('keys create needs --owner O (the tenant the key acts for)');
  else body.owner = owner;
  if (name === undefined) problems.lines.push('keys create needs --name N (what the key is for)');
  else body.name = name;

  const scopes =
    values.scope === undefined ? undefined : (values.scope as string[]).flatMap((s) => s.split(','));
  if (scopes !== undefined) {
    const items = scopes.map((s) => s.trim()).filter(Boolean);
    const unknown = items.filter((s) => !(KEY_SCOPES as readonly string[]).includes(s));
    for (const s of unknown) {
      problems.lines.push(`--scope: unknown scope "${s}"; valid scopes: ${KEY_SCOPES.join(', ')}`);
    }
    if (items.length === 0)
      problems.lines.push(`--scope: no scope given; valid scopes: ${KEY_SCOPES.join(', ')}`);
    body.scopes = items;
  }
  const preset = stringOption(values, 'limits-preset');
  if (preset !== undefined) {
    if (!(LIMIT_PRESETS as readonly string[]).includes(preset)) {
      problems.lines.push(
        `--limits-preset: unknown preset "${preset}"; valid presets: ${LIMIT_PRESETS.join(', ')}`,
      );
    }
    body.limits_preset = preset;
  }
  const limits: Partial<Record<keyof KeyLimits, number>> = {};
  for (const [option, field] of Object.entries(LIMIT_OPTIONS)) {
    const text = stringOption(values, option);
    if (text === undefined) continue;
    const { min, max } = limitBounds(field);
    const n = problems.check(() => parseWholeNumber(`--${option}`, text, min, max));
    if (n !== undefined) limits[field] = n;
  }
  if (Object.keys(limits).length > 0) body.limits = limits;
  const expiresAt = stringOption(values, 'expires-at');
  if (expiresAt !== undefined) {
    body.expires_at = expiresAt;
    const time = Date.parse(expiresAt);
    if (z.iso.datetime({ offset: false }).safeParse(expiresAt).success && time <= Date.now()) {
      problems.lines.push('--expires-at: must be in the future');
    }
  }
  // The schema's rules too, in the same run: but for an option already reported above (missing, not
  // a number, unknown), whose value the body lacks or the schema would report a second time.
  const parsed = CreateApiKeyRequestSchema.safeParse(body);
  const reported = [...problems.lines];
  const named = (option: string) =>
    reported.some((l) => l.startsWith(`${option}:`) || l.includes(` needs ${option} `));
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const path = issue.path.join('.');
    const option = CREATE_FIELD_OPTIONS[path] ?? CREATE_FIELD_OPTIONS[String(issue.path[0])] ?? path;
    if (!named(option)) problems.lines.push(`${option}: ${issue.message}`);
  }
  problems.throwIfAny();
  return body;
}

function rotateRequest(values: ParsedArgs['values']): Record<string, unknown> {
  const text = stringOption(values, 'grace-hours');
  if (text === undefined) return {};
  const trimmed = text.trim();
  const hours = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  const body = { grace_period_hours: hours };
  if (!RotateApiKeyRequestSchema.safeParse(body).success) {
    throw new UsageError(
      `--grace-hours: must be a number of hours from 0 to ${MAX_ROTATION_GRACE_HOURS}, got "${text}"`,
    );
  }
  return body;
}

function client(io: CliIo, values: ParsedArgs['values'], command: string): AdminClient {
  return AdminClient.fromEnvironment(io, { api: stringOption(values, 'api') }, command);
}

// ---- subcommands ---------------------------------------------------------------------------------

async function create(parsed: ParsedArgs, io: CliIo, json: boolean): Promise<number> {
  const problems = new Problems();
  const body = problems.check(() => createRequest(parsed.values));
  const api = problems.check(() => client(io, parsed.values, 'keys create'));
  problems.throwIfAny();
  const issued = await api!.call('POST', api!.url(ADMIN_KEYS_PATH), IssuedApiKeySchema, body);
  printIssued(io, issued, json, [`Created key ${issued.key_id} for owner "${issued.owner}".`]);
  return EXIT_OK;
}

const ApiKeyPageSchema = z.object({
  keys: z.array(ApiKeyViewSchema),
  next_cursor: z.string().nullable(),
});

async function list(parsed: ParsedArgs, io: CliIo, json: boolean): Promise<number> {
  const { values } = parsed;
  const problems = new Problems();
  const owner = stringOption(values, 'owner');
  if (owner !== undefined) {
    const check = CreateApiKeyRequestSchema.shape.owner.safeParse(owner);
    if (!check.success) problems.lines.push(`--owner: ${check.error.issues[0].message}`);
  }
  const limitText = stringOption(values, 'limit');
  const all = values.all === true;
  if (limitText !== undefined && all) problems.lines.push('--limit and --all: give one, not both');
  const limit = problems.check(() =>
    limitText === undefined ? undefined : parseWholeNumber('--limit', limitText, 1, MAX_LIST_LIMIT),
  );
  const api = problems.check(() => client(io, values, 'keys list'));
  problems.throwIfAny();

  const keys: ApiKeyView[] = [];
  let cursor: string | undefined;
  let more = false;
  do {
    const page = await api!.call(
      'GET',
      api!.url(ADMIN_KEYS_PATH, { owner, limit: all ? MAX_LIST_LIMIT : limit, cursor }),
      ApiKeyPageSchema,
    );
    keys.push(...page.keys);
    cursor = page.next_cursor ?? undefined;
    more = cursor !== undefined;
  } while (all && more);

  if (json) io.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
  else if (keys.length === 0)
    writeLines(io.stdout, [owner === undefined ? 'No keys.' : `No keys of owner "${owner}".`]);
  else writeLines(io.stdout, keyTable(keys));
  if (more) {
    writeLines(io.stderr, [`more keys than shown: run with --all, or --limit up to ${MAX_LIST_LIMIT}`]);
  }
  return EXIT_OK;
}

async function showOrUsage(
  sub: 'show' | 'usage',
  parsed: ParsedArgs,
  io: CliIo,
  json: boolean,
): Promise<number> {
  const command = `keys ${sub}`;
  const problems = new Problems();
  const keyId = problems.check(() => keyIdArgument(command, parsed.positionals));
  const days = problems.check(() => daysOption(parsed.values));
  const api = problems.check(() => client(io, parsed.values, command));
  problems.throwIfAny();
  const detail = await api!.call(
    'GET',
    api!.url(`${ADMIN_KEYS_PATH}/${keyId}`, { days }),
    ApiKeyDetailSchema,
  );
  if (sub === 'usage') {
    if (json) io.stdout.write(`${JSON.stringify(detail.usage, null, 2)}\n`);
    else {
      writeLines(io.stdout, [
        `Usage of key ${detail.key_id} (owner "${detail.owner}", ${detail.name}), UTC days, today first:`,
        ...usageTable(detail.usage),
      ]);
    }
    return EXIT_OK;
  }
  if (json) io.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
  else {
    writeLines(io.stdout, [
      ...describeKey(detail),
      '',
      ...limitsTable(detail.limits),
      '',
      `Usage, UTC days, today first:`,
      ...usageTable(detail.usage),
    ]);
  }
  return EXIT_OK;
}

async function rotate(parsed: ParsedArgs, io: CliIo, json: boolean): Promise<number> {
  const problems = new Problems();
  const keyId = problems.check(() => keyIdArgument('keys rotate', parsed.positionals));
  const body = problems.check(() => rotateRequest(parsed.values));
  const api = problems.check(() => client(io, parsed.values, 'keys rotate'));
  problems.throwIfAny();
  const issued = await api!.call(
    'POST',
    api!.url(`${ADMIN_KEYS_PATH}/${keyId}/rotate`),
    IssuedApiKeySchema,
    body,
  );
  const grace = issued.previous_secret_valid_until
    ? `The previous secret keeps working until ${formatTime(issued.previous_secret_valid_until)}, then stops.`
    : 'The previous secret stopped working at once.';
  printIssued(io, issued, json, [`Rotated key ${issued.key_id} (owner "${issued.owner}"). ${grace}`]);
  return EXIT_OK;
}

async function revoke(parsed: ParsedArgs, io: CliIo, json: boolean): Promise<number> {
  const problems = new Problems();
  const keyId = problems.check(() => keyIdArgument('keys revoke', parsed.positionals));
  const api = problems.check(() => client(io, parsed.values, 'keys revoke'));
  problems.throwIfAny();
  const view = await api!.call('DELETE', api!.url(`${ADMIN_KEYS_PATH}/${keyId}`), ApiKeyViewSchema);
  if (json) io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  else {
    writeLines(io.stdout, [
      `Revoked key ${view.key_id} (owner "${view.owner}", ${view.name}) at ${formatTime(view.revoked_at)}.`,
      "It stops working within the authorizer's cache time: at once in the local stack, at most 60 s deployed.",
    ]);
  }
  return EXIT_OK;
}

async function bootstrap(parsed: ParsedArgs, io: CliIo, json: boolean): Promise<number> {
  const { values } = parsed;
  const problems = new Problems();
  const stage = stringOption(values, 'stage');
  if (stage === undefined)
    problems.lines.push(
      'keys bootstrap needs --stage S (the stage to make the first admin key of, e.g. prod)',
    );
  else if (!STAGE_PATTERN.test(stage)) {
    problems.lines.push(
      '--stage: must be 1 to 16 lower-case letters or digits (a stage name such as dev or prod)',
    );
  }
  const owner = stringOption(values, 'owner') ?? BOOTSTRAP_DEFAULT_OWNER;
  const ownerCheck = CreateApiKeyRequestSchema.shape.owner.safeParse(owner);
  if (!ownerCheck.success) problems.lines.push(`--owner: ${ownerCheck.error.issues[0].message}`);
  const name = stringOption(values, 'name') ?? BOOTSTRAP_DEFAULT_NAME;
  const nameCheck = CreateApiKeyRequestSchema.shape.name.safeParse(name);
  if (!nameCheck.success) problems.lines.push(`--name: ${nameCheck.error.issues[0].message}`);
  const region = stringOption(values, 'region');
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    problems.lines.push('--region: must be an AWS region such as eu-west-1');
  }
  problems.throwIfAny();
  const { bootstrapAdminKey } = await import('./keys-bootstrap.js');
  const result = await bootstrapAdminKey(
    { stage: stage!, owner: ownerCheck.data!, name: nameCheck.data!, region },
    io,
  );
  printIssued(io, result.key, json, [
    `Wrote admin key ${result.key.key_id} (owner "${result.key.owner}") to table ${result.table}${result.region ? ` in ${result.region}` : ''}.`,
  ]);
  return EXIT_OK;
}

// ---- output --------------------------------------------------------------------------------------

/** The key in clear, once: on stdout with its warning; with --json the warning goes to stderr. */
function printIssued(io: CliIo, issued: IssuedApiKey, json: boolean, intro: readonly string[]): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(issued, null, 2)}\n`);
    writeLines(io.stderr, [`The api_key above is ${SHOWN_ONCE}.`]);
    return;
  }
  const { api_key: key, ...view } = issued;
  writeLines(io.stdout, [
    ...intro,
    '',
    `API key, ${SHOWN_ONCE}:`,
    `  ${key}`,
    '',
    ...describeKey(view),
    '',
    ...limitsTable(view.limits),
  ]);
}

/** An ISO time without milliseconds; "-" for none. */
export function formatTime(iso: string | null): string {
  return iso === null ? '-' : iso.replace(/\.\d+Z$/, 'Z');
}

function describeKey(key: ApiKeyView): string[] {
  const rows: [string, string][] = [
    ['Key id', key.key_id],
    ['Owner', key.owner],
    ['Name', key.name],
    ['Scopes', key.scopes.join(', ')],
    ['Status', key.status],
    ['Created', `${formatTime(key.created_at)} by ${key.created_by}`],
    ['Expires', key.expires_at === null ? 'never' : formatTime(key.expires_at)],
    ['Revoked', formatTime(key.revoked_at)],
    [
      'Rotated',
      key.rotated_at === null
        ? '-'
        : `${formatTime(key.rotated_at)}${key.previous_secret_valid_until ? ` (previous secret works until ${formatTime(key.previous_secret_valid_until)})` : ''}`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${value}`);
}

const LIMIT_LABELS: Readonly<Record<keyof KeyLimits, string>> = {
  max_patients_per_job: 'Patients per job',
  max_concurrent_jobs: 'Jobs queued or running at once',
  daily_patient_quota: 'Patients per UTC day',
  daily_job_quota: 'Jobs per UTC day',
  requests_per_minute: 'Requests per minute',
};

function limitsTable(limits: KeyLimits): string[] {
  return formatTable(
    [{ title: 'Limit' }, { title: 'Value', align: 'right' }],
    (Object.keys(LIMIT_LABELS) as (keyof KeyLimits)[]).map((f) => [LIMIT_LABELS[f], formatCount(limits[f])]),
  );
}

function usageTable(days: readonly KeyUsageDay[]): string[] {
  const total = (f: 'requests' | 'jobs' | 'patients') => days.reduce((n, d) => n + d[f], 0);
  return formatTable(
    [
      { title: 'Day' },
      { title: 'Requests', align: 'right' },
      { title: 'Jobs', align: 'right' },
      { title: 'Patients', align: 'right' },
    ],
    [
      ...days.map((d) => [d.day, formatCount(d.requests), formatCount(d.jobs), formatCount(d.patients)]),
      ['Total', formatCount(total('requests')), formatCount(total('jobs')), formatCount(total('patients'))],
    ],
  );
}

function keyTable(keys: readonly ApiKeyView[]): string[] {
  return formatTable(
    [
      { title: 'Key id' },
      { title: 'Owner' },
      { title: 'Name' },
      { title: 'Scopes' },
      { title: 'Status' },
      { title: 'Created' },
      { title: 'Expires' },
    ],
    keys.map((k) => [
      k.key_id,
      k.owner,
      k.name,
      k.scopes.join(','),
      k.status,
      formatTime(k.created_at),
      k.expires_at === null ? 'never' : formatTime(k.expires_at),
    ]),
  );
}
