/**
 * `milmed keys` against a running local stack (infra/local/local-stack.ts): every subcommand through the
 * real admin API and authorizer, tables and --json, the API's refusals as one line, and bootstrap
 * writing straight into the stack's DynamoDB keys table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import {
  API_KEY_PATTERN,
  ApiKeyDetailSchema,
  ApiKeyViewSchema,
  DEMO_KEY_LIMITS,
  IssuedApiKeySchema,
  KeyUsageDaySchema,
  parseApiKey,
} from '../../lib/domain/index.js';
import { apiKeysTableName } from '../../lib/infrastructure/index.js';
import { type CliRun, runCli } from '../unit/cli/support.js';

let stack: LocalStack;
/** What the CLI sees: the stack's URL and admin key, nothing else. */
let adminEnv: Record<string, string>;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, logLevel: 'ERROR', workers: 1 });
  adminEnv = { MILMED_API_URL: stack.url, MILMED_ADMIN_KEY: stack.adminKey };
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const keys = (args: readonly string[], env: Record<string, string> = adminEnv) =>
  runCli(['keys', ...args], process.cwd(), { env });

function ok(run: CliRun): CliRun {
  expect(run.code, run.stderr).toBe(0);
  return run;
}

/** The one key line of a table-mode create or rotate. */
function printedKey(run: CliRun): string {
  const lines = run.stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('API key, shown only now:'));
  expect(at).toBeGreaterThanOrEqual(0);
  return lines[at + 1].trim();
}

/** A generate-scope call with `key`: the status the gateway answers. */
async function jobsStatus(key: string): Promise<number> {
  const response = await fetch(`${stack.url}/api/v1/jobs`, { headers: { 'X-API-Key': key } });
  await response.arrayBuffer();
  return response.status;
}

describe('milmed keys against the local stack: tables', () => {
  it('creates, lists, shows, rotates, revokes a key and reports its usage', async () => {
    // Act: create
    const created = ok(
      await keys([
        'create',
        '--owner',
        'team-a',
        '--name',
        'exercise one',
        '--limits-preset',
        'demo',
        '--max-patients-per-job',
        '20',
      ]),
    );
    // Assert: the key once, its warning, the key's fields and limits
    const key = printedKey(created);
    expect(key).toMatch(API_KEY_PATTERN);
    const keyId = parseApiKey(key)!.keyId;
    expect(parseApiKey(key)!.stage).toBe('local');
    expect(created.stdout).toContain(`Created key ${keyId} for owner "team-a".`);
    expect(created.stdout).toContain(
      'API key, shown only now: store it (a secret manager, your CI secrets); it cannot be shown again:',
    );
    expect(created.stdout).toMatch(/^Key id: +[a-z2-7]{16}$/m);
    expect(created.stdout).toMatch(/^Scopes: +generate$/m);
    expect(created.stdout).toMatch(/^Status: +active$/m);
    expect(created.stdout).toMatch(/^Patients per job +20$/m);
    expect(created.stdout).toMatch(new RegExp(`^Jobs per UTC day +${DEMO_KEY_LIMITS.daily_job_quota}$`, 'm'));
    expect(created.stderr).toBe('');
    expect(await jobsStatus(key)).toBe(200);

    // Act: list
    const listed = ok(await keys(['list', '--owner', 'team-a']));
    // Assert
    const listLines = listed.stdout.trimEnd().split('\n');
    expect(listLines[0]).toMatch(/^Key id +Owner +Name +Scopes +Status +Created +Expires$/);
    expect(listLines[1]).toMatch(/^-+( +-+){6}$/);
    expect(listLines.slice(2)).toEqual([
      expect.stringMatching(new RegExp(`^${keyId} +team-a +exercise one +generate +active +\\S+Z +never$`)),
    ]);

    // Act: show
    const shown = ok(await keys(['show', keyId, '--days', '3']));
    // Assert: the request above counts today
    expect(shown.stdout).toMatch(new RegExp(`^Key id: +${keyId}$`, 'm'));
    expect(shown.stdout).toMatch(/^Created: +\S+Z by [a-z2-7]{16}$/m);
    expect(shown.stdout).not.toContain(key);
    const usageAt = shown.stdout.split('\n').findIndex((l) => l.startsWith('Day '));
    const usageRows = shown.stdout.split('\n').slice(usageAt + 2, usageAt + 6);
    const today = new Date().toISOString().slice(0, 10);
    expect(usageRows[0]).toMatch(new RegExp(`^${today} +[1-9]\\d* +0 +0$`));
    expect(usageRows[3]).toMatch(/^Total +[1-9]\d* +0 +0$/);

    // Act: rotate without grace
    const rotated = ok(await keys(['rotate', keyId, '--grace-hours', '0']));
    // Assert: the new key works, the old one no longer
    const newKey = printedKey(rotated);
    expect(parseApiKey(newKey)!.keyId).toBe(keyId);
    expect(newKey).not.toBe(key);
    expect(rotated.stdout).toContain(
      `Rotated key ${keyId} (owner "team-a"). The previous secret stopped working at once.`,
    );
    expect(await jobsStatus(newKey)).toBe(200);
    expect(await jobsStatus(key)).toBe(401);

    // Act: revoke
    const revoked = ok(await keys(['revoke', keyId]));
    // Assert: at once in the local stack
    expect(revoked.stdout).toMatch(
      new RegExp(`^Revoked key ${keyId} \\(owner "team-a", exercise one\\) at \\S+Z\\.$`, 'm'),
    );
    expect(await jobsStatus(newKey)).toBe(401);

    // Act: usage
    const usage = ok(await keys(['usage', keyId, '--days', '2']));
    // Assert
    const usageLines = usage.stdout.trimEnd().split('\n');
    expect(usageLines[0]).toBe(
      `Usage of key ${keyId} (owner "team-a", exercise one), UTC days, today first:`,
    );
    expect(usageLines[1]).toMatch(/^Day +Requests +Jobs +Patients$/);
    expect(usageLines.slice(3)).toEqual([
      expect.stringMatching(new RegExp(`^${today} +[1-9]\\d* +0 +0$`)),
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} +\d+ +0 +0$/),
      expect.stringMatching(/^Total +[1-9]\d* +0 +0$/),
    ]);
  });

  it('tells when a page holds fewer keys than there are, and --all lists them all', async () => {
    // Prepare
    for (const name of ['one', 'two', 'three'])
      ok(await keys(['create', '--owner', 'team-paged', '--name', name]));
    // Act
    const page = ok(await keys(['list', '--owner', 'team-paged', '--limit', '2']));
    const all = ok(await keys(['list', '--owner', 'team-paged', '--all']));
    const none = ok(await keys(['list', '--owner', 'nobody']));
    // Assert: newest first
    expect(
      page.stdout
        .trimEnd()
        .split('\n')
        .slice(2)
        .map((l) => l.split(/ +/)[2]),
    ).toEqual(['three', 'two']);
    expect(page.stderr).toBe('more keys than shown: run with --all, or --limit up to 100\n');
    expect(
      all.stdout
        .trimEnd()
        .split('\n')
        .slice(2)
        .map((l) => l.split(/ +/)[2]),
    ).toEqual(['three', 'two', 'one']);
    expect(all.stderr).toBe('');
    expect(none.stdout).toBe('No keys of owner "nobody".\n');
  });
});

describe('milmed keys against the local stack: --json', () => {
  it('prints the API answers as JSON, and the one-time warning on stderr', async () => {
    // Act
    const created = ok(
      await keys([
        'create',
        '--owner',
        'team-json',
        '--name',
        'ci',
        '--scope',
        'generate,admin',
        '--expires-at',
        '2099-01-01T00:00:00Z',
        '--json',
      ]),
    );
    // Assert
    const issued = IssuedApiKeySchema.parse(JSON.parse(created.stdout));
    expect(issued).toMatchObject({
      owner: 'team-json',
      name: 'ci',
      scopes: ['generate', 'admin'],
      expires_at: '2099-01-01T00:00:00Z',
      status: 'active',
    });
    expect(issued.api_key).toMatch(API_KEY_PATTERN);
    expect(created.stderr).toBe(
      'The api_key above is shown only now: store it (a secret manager, your CI secrets); it cannot be shown again.\n',
    );

    // Act
    const listed = ok(await keys(['list', '--owner', 'team-json', '--json']));
    const shown = ok(await keys(['show', issued.key_id, '--json']));
    const usage = ok(await keys(['usage', issued.key_id, '--days', '4', '--json']));
    const rotated = ok(await keys(['rotate', issued.key_id, '--json']));
    const revoked = ok(await keys(['revoke', issued.key_id, '--json']));
    // Assert
    expect(
      ApiKeyViewSchema.array()
        .parse(JSON.parse(listed.stdout))
        .map((k) => k.key_id),
    ).toEqual([issued.key_id]);
    expect(listed.stdout).not.toContain('api_key');
    const detail = ApiKeyDetailSchema.parse(JSON.parse(shown.stdout));
    expect(detail.usage).toHaveLength(7);
    expect(KeyUsageDaySchema.array().parse(JSON.parse(usage.stdout))).toHaveLength(4);
    const reissued = IssuedApiKeySchema.parse(JSON.parse(rotated.stdout));
    expect(reissued.api_key).not.toBe(issued.api_key);
    expect(Date.parse(reissued.previous_secret_valid_until!) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(ApiKeyViewSchema.parse(JSON.parse(revoked.stdout)).status).toBe('revoked');
  });
});

describe('milmed keys against the local stack: refusals', () => {
  it('prints the envelope of a 404 and a 409 in one line, exit 2', async () => {
    // Prepare
    const issued = IssuedApiKeySchema.parse(
      JSON.parse(ok(await keys(['create', '--owner', 'team-r', '--name', 'gone', '--json'])).stdout),
    );
    ok(await keys(['revoke', issued.key_id]));
    // Act
    const missing = await keys(['show', 'aaaaaaaaaaaaaaaa']);
    const conflict = await keys(['rotate', issued.key_id]);
    // Assert
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('keys show: HTTP 404 NOT_FOUND: API key aaaaaaaaaaaaaaaa not found\n');
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/^keys rotate: HTTP 409 CONFLICT: [^\n]+\n$/);
  });

  it('says which key is wrong: an unknown admin key (401) and a key without the admin scope (403)', async () => {
    // Prepare
    const generateKey = stack.apiKey;
    const unknownKey = `mmpg_local_aaaaaaaaaaaaaaaa_${'0'.repeat(64)}`;
    // Act
    const unknown = await keys(['list'], { ...adminEnv, MILMED_ADMIN_KEY: unknownKey });
    const notAdmin = await keys(['list'], { ...adminEnv, MILMED_ADMIN_KEY: generateKey });
    // Assert
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      new RegExp(
        `^keys list: HTTP 401 UNAUTHORIZED: [^\\n]+ \\(MILMED_ADMIN_KEY is not a working key of the API at ${stack.url}: unknown, revoked, expired, or of another stage\\)\\n$`,
      ),
    );
    expect(notAdmin.code).toBe(2);
    expect(notAdmin.stderr).toMatch(
      /^keys list: HTTP 403 FORBIDDEN: [^\n]+ \(MILMED_ADMIN_KEY is a valid key without the admin scope; use an admin key\)\n$/,
    );
    for (const run of [unknown, notAdmin]) {
      expect(run.stderr).not.toContain(unknownKey);
      expect(run.stderr).not.toContain(generateKey);
    }
  });
});

describe('milmed keys bootstrap against the local stack', () => {
  it("writes an admin key into the stage's keys table that then works on the admin API", async () => {
    // Prepare: the operator's AWS environment points at the stack's DynamoDB.
    expect(stack.env.API_KEYS_TABLE).toBe(apiKeysTableName('local'));
    const awsEnv = {
      AWS_ENDPOINT_URL_DYNAMODB: stack.env.AWS_ENDPOINT_URL_DYNAMODB,
      AWS_REGION: stack.env.AWS_REGION,
      AWS_ACCESS_KEY_ID: stack.env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: stack.env.AWS_SECRET_ACCESS_KEY,
    };
    // Act
    const run = ok(await keys(['bootstrap', '--stage', 'local', '--name', 'first admin'], awsEnv));
    // Assert: printed once, audited without the secret
    const key = printedKey(run);
    const keyId = parseApiKey(key)!.keyId;
    expect(run.stdout).toContain(
      `Wrote admin key ${keyId} (owner "ops") to table milmed-local-api-keys in ${awsEnv.AWS_REGION}.`,
    );
    expect(run.stdout).toMatch(/^Scopes: +admin$/m);
    expect(run.stdout).toMatch(/^Created: +\S+Z by bootstrap$/m);
    const audit = JSON.parse(run.stderr.replace(/^audit: /, ''));
    expect(audit).toMatchObject({ action: 'key.created', key_id: keyId, owner: 'ops', by: 'bootstrap' });
    expect(run.stderr).not.toContain(parseApiKey(key)!.secret);

    // Act: the new admin key on the admin API
    const listed = ok(
      await keys(['list', '--owner', 'ops'], { MILMED_API_URL: stack.url, MILMED_ADMIN_KEY: key }),
    );
    // Assert
    expect(listed.stdout).toMatch(new RegExp(`^${keyId} +ops +first admin +admin +active `, 'm'));
  });

  it('names the stage when its table does not exist', async () => {
    // Act
    const run = await keys(['bootstrap', '--stage', 'nosuch', '--json'], {
      AWS_ENDPOINT_URL_DYNAMODB: stack.env.AWS_ENDPOINT_URL_DYNAMODB,
      AWS_REGION: stack.env.AWS_REGION,
      AWS_ACCESS_KEY_ID: stack.env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: stack.env.AWS_SECRET_ACCESS_KEY,
    });
    // Assert
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `--stage: table milmed-nosuch-api-keys not found in ${stack.env.AWS_REGION}; deploy the stage's stateful stack first, or check --region\n`,
    );
  });
});
