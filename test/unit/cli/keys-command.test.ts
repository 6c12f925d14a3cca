/**
 * `milmed keys`: bad input is exit 2 with one line per problem naming the option and its rule, before
 * any call; the admin key is never echoed. The calls themselves run against a local stack in
 * keys-command-local-stack.test.ts.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ApiKeyGetQuerySchema, ApiKeyListQuerySchema } from '../../../lib/api/index.js';
import { KEYS_HELP } from '../../../lib/cli/help-text.js';
import { MAX_LIST_LIMIT } from '../../../lib/cli/keys-command.js';
import { KeyLimitsSchema, MAX_ROTATION_GRACE_HOURS, MAX_USAGE_DAYS } from '../../../lib/domain/index.js';
import { type CliRun, runCli } from './support.js';

const SECRET = 'f'.repeat(64);
/** Well-formed, and never checked by any API in this file. */
const ADMIN_KEY = `mmpg_local_abcdefghijklmnop_${SECRET}`;
const WITH_KEY = { MILMED_ADMIN_KEY: ADMIN_KEY };
const KEY_ID = 'abcdefghijklmnop';
const NOT_SET =
  'MILMED_ADMIN_KEY: not set; export the admin key in it (never an option, so it stays out of shell history)';

/** Exit 2, nothing on stdout, and the stderr lines, none of them a stack frame. */
function usageLines(run: CliRun): string[] {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  for (const line of lines) expect(line).not.toMatch(/^\s+at |Error:/);
  return lines;
}

const keys = (args: readonly string[], env: Record<string, string> = WITH_KEY) =>
  runCli(['keys', ...args], process.cwd(), { env });

describe('milmed keys: subcommands and help', () => {
  it('prints its usage for no subcommand, --help, a subcommand --help and "help keys"', async () => {
    // Act
    const runs = await Promise.all([
      keys([]),
      keys(['--help']),
      keys(['create', '--help']),
      runCli(['help', 'keys']),
    ]);
    // Assert
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(KEYS_HELP);
    }
    expect(KEYS_HELP).toContain('milmed keys bootstrap --stage S');
  });

  it('lists the subcommands when it gets an unknown one, or an option first', async () => {
    // Act
    const sub = usageLines(await keys(['delete']));
    const option = usageLines(await keys(['--owner', 'x']));
    // Assert
    expect(sub).toEqual([
      'unknown subcommand "delete" for "keys"; valid subcommands: create, list, show, rotate, revoke, usage, bootstrap',
    ]);
    expect(option).toEqual([
      'unknown option "--owner" for "keys"; valid subcommands: create, list, show, rotate, revoke, usage, bootstrap',
    ]);
  });

  it('names an unknown option of a subcommand and lists the valid ones', async () => {
    // Act
    const lines = usageLines(await keys(['list', '--ownr', 'x']));
    // Assert
    expect(lines).toEqual([
      'unknown option "--ownr" for "keys list"; valid options: --owner, --limit, --all, --api, --json, --help (-h)',
    ]);
  });

  it('takes no admin key option: a key on the command line is refused as an unknown option', async () => {
    // Act
    const lines = usageLines(await keys(['list', `--admin-key=${ADMIN_KEY}`]));
    // Assert
    expect(lines).toEqual([expect.stringMatching(/^unknown option "--admin-key" for "keys list"/)]);
  });
});

describe('milmed keys: the admin key and the API URL', () => {
  it('needs MILMED_ADMIN_KEY, and says so with the other problems of the command line', async () => {
    // Act
    const lines = usageLines(await keys(['create', '--owner', 'team-a'], {}));
    // Assert
    expect(lines).toEqual(['keys create needs --name N (what the key is for)', NOT_SET]);
  });

  it('refuses a MILMED_ADMIN_KEY that is not a key, without echoing it', async () => {
    // Act
    const run = await keys(['list'], { MILMED_ADMIN_KEY: 'hunter2-not-a-key' });
    // Assert
    expect(usageLines(run)).toEqual(['MILMED_ADMIN_KEY: not an API key (mmpg_<stage>_<key id>_<secret>)']);
    expect(run.stderr).not.toContain('hunter2');
  });

  it.each([
    ['ftp://example.org', '--api: must be an http:// or https:// URL'],
    ['not a url', '--api: must be a URL such as https://api.example.org or http://127.0.0.1:3000'],
    [
      'http://api.example.org',
      '--api: must be https:// (http:// only for localhost or 127.0.0.1: the admin key would cross the network in clear)',
    ],
    [
      'https://user:pw@api.example.org',
      "--api: must be the API's base URL, without credentials, query or fragment",
    ],
  ])('refuses --api %s', async (url, line) => {
    // Act
    const lines = usageLines(await keys(['list', '--api', url]));
    // Assert
    expect(lines).toEqual([line]);
  });

  it('names MILMED_API_URL when the URL comes from there', async () => {
    // Act
    const lines = usageLines(await keys(['list'], { ...WITH_KEY, MILMED_API_URL: 'http://10.0.0.1:3000' }));
    // Assert
    expect(lines).toEqual([expect.stringMatching(/^MILMED_API_URL: must be https:\/\//)]);
  });

  it('exits 1 with one line when nothing answers at the URL (trying later may work)', async () => {
    // Prepare: a port that was free a moment ago.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    // Act
    const run = await keys(['list', '--api', `http://127.0.0.1:${port}`]);
    // Assert
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: keys list: cannot reach the API at http://127.0.0.1:${port} (ECONNREFUSED); is it running (npm start), or give --api URL\n`,
    );
    expect(run.stderr).not.toContain(SECRET);
  });
});

describe('milmed keys create: bad input', () => {
  it('needs --owner and --name', async () => {
    // Act
    const lines = usageLines(await keys(['create']));
    // Assert
    expect(lines).toEqual([
      'keys create needs --owner O (the tenant the key acts for)',
      'keys create needs --name N (what the key is for)',
    ]);
  });

  it.each(Object.entries(KeyLimitsSchema.shape))(
    'names --%s with its bounds for a value that is not a whole number in them',
    async (field, schema) => {
      // Prepare
      const option = `--${field.replaceAll('_', '-')}`;
      const rule = `must be a whole number from ${schema.minValue} to ${schema.maxValue}`;
      // Act
      const runs = await Promise.all(
        ['abc', '0', '1.5', '-3', String((schema.maxValue ?? 0) + 1)].map((v) =>
          keys(['create', '--owner', 'a', '--name', 'b', `${option}=${v}`]),
        ),
      );
      // Assert
      expect(runs.map((r) => usageLines(r))).toEqual(
        ['abc', '0', '1.5', '-3', String((schema.maxValue ?? 0) + 1)].map((v) => [
          `${option}: ${rule}, got "${v}"`,
        ]),
      );
    },
  );

  it('names --scope for an unknown or repeated scope', async () => {
    // Act
    const unknown = usageLines(
      await keys(['create', '--owner', 'a', '--name', 'b', '--scope', 'generate,root']),
    );
    const repeated = usageLines(
      await keys(['create', '--owner', 'a', '--name', 'b', '--scope', 'admin', '--scope', 'admin']),
    );
    // Assert
    expect(unknown).toEqual(['--scope: unknown scope "root"; valid scopes: generate, admin']);
    expect(repeated).toEqual(['--scope: must not repeat a scope']);
  });

  it('names --limits-preset, --owner, --name and --expires-at with their rules', async () => {
    // Act
    const preset = usageLines(
      await keys(['create', '--owner', 'a', '--name', 'b', '--limits-preset', 'gold']),
    );
    const owner = usageLines(await keys(['create', '--owner=-bad owner', '--name', 'b']));
    const name = usageLines(await keys(['create', '--owner', 'a', '--name', ' ']));
    const format = usageLines(
      await keys(['create', '--owner', 'a', '--name', 'b', '--expires-at', 'tomorrow']),
    );
    const past = usageLines(
      await keys(['create', '--owner', 'a', '--name', 'b', '--expires-at', '2020-01-01T00:00:00Z']),
    );
    // Assert
    expect(preset).toEqual(['--limits-preset: unknown preset "gold"; valid presets: standard, demo']);
    expect(owner).toEqual([
      '--owner: must be letters, digits, ".", "_" or "-", starting with a letter or digit',
    ]);
    expect(name).toEqual(['--name: must not be empty']);
    expect(format).toEqual(['--expires-at: must be an ISO 8601 UTC time (…Z)']);
    expect(past).toEqual(['--expires-at: must be in the future']);
  });

  it('reports every problem of the command line at once, one per line', async () => {
    // Act
    const lines = usageLines(
      await keys(['create', '--owner', 'a', '--scope', 'x', '--daily-job-quota', 'many'], {}),
    );
    // Assert
    expect(lines).toEqual([
      'keys create needs --name N (what the key is for)',
      '--scope: unknown scope "x"; valid scopes: generate, admin',
      '--daily-job-quota: must be a whole number from 1 to 1000000, got "many"',
      NOT_SET,
    ]);
  });
});

describe('milmed keys create: every problem at once', () => {
  it('reports a bad --owner and --expires-at together with a bad limit, not only after it is fixed', async () => {
    // Act
    const lines = usageLines(
      await keys(
        ['create', '--owner=-bad', '--name', 'b', '--daily-job-quota', 'many', '--expires-at', 'tomorrow'],
        {},
      ),
    );
    // Assert
    expect(lines).toEqual([
      '--daily-job-quota: must be a whole number from 1 to 1000000, got "many"',
      '--owner: must be letters, digits, ".", "_" or "-", starting with a letter or digit',
      '--expires-at: must be an ISO 8601 UTC time (…Z)',
      NOT_SET,
    ]);
  });
});

describe('milmed keys list|show|usage|rotate|revoke: bad input', () => {
  it('names --limit, --all together with --limit, and a bad --owner', async () => {
    // Act
    const limit = usageLines(await keys(['list', '--limit', '101']));
    const both = usageLines(await keys(['list', '--limit', '5', '--all']));
    const owner = usageLines(await keys(['list', '--owner', 'a b']));
    // Assert
    expect(limit).toEqual([`--limit: must be a whole number from 1 to ${MAX_LIST_LIMIT}, got "101"`]);
    expect(both).toEqual(['--limit and --all: give one, not both']);
    expect(owner).toEqual([
      '--owner: must be letters, digits, ".", "_" or "-", starting with a letter or digit',
    ]);
  });

  it.each(['show', 'usage', 'rotate', 'revoke'])(
    'keys %s needs exactly one well-formed KEY_ID',
    async (sub) => {
      // Act
      const none = usageLines(await keys([sub]));
      const two = usageLines(await keys([sub, KEY_ID, KEY_ID]));
      const bad = usageLines(await keys([sub, 'ABCDEFGHIJKLMNOP']));
      // Assert
      expect(none).toEqual([`keys ${sub} needs a KEY_ID (the key id "milmed keys list" shows)`]);
      expect(two).toEqual([`keys ${sub} takes one KEY_ID, got 2 arguments`]);
      expect(bad).toEqual([
        'KEY_ID: must be 16 characters of a-z and 2-7 (the key id "milmed keys list" shows)',
      ]);
    },
  );

  it('refuses a whole key given as KEY_ID without echoing its secret', async () => {
    // Act
    const run = await keys(['revoke', ADMIN_KEY]);
    // Assert
    expect(usageLines(run)).toEqual([
      'KEY_ID: that is a whole API key; give only its key id (the 16 characters after mmpg_<stage>_)',
    ]);
    expect(run.stderr).not.toContain(SECRET);
  });

  it.each(['show', 'usage'])('keys %s names --days and its bounds', async (sub) => {
    // Act
    const runs = await Promise.all(['0', '32', 'week'].map((d) => keys([sub, KEY_ID, '--days', d])));
    // Assert
    expect(runs.map((r) => usageLines(r))).toEqual(
      ['0', '32', 'week'].map((d) => [
        `--days: must be a whole number from 1 to ${MAX_USAGE_DAYS}, got "${d}"`,
      ]),
    );
  });

  it('names --grace-hours and its bounds', async () => {
    // Act
    const runs = await Promise.all(
      ['-1', '721', 'a day'].map((h) => keys(['rotate', KEY_ID, `--grace-hours=${h}`])),
    );
    // Assert
    expect(runs.map((r) => usageLines(r))).toEqual(
      ['-1', '721', 'a day'].map((h) => [
        `--grace-hours: must be a number of hours from 0 to ${MAX_ROTATION_GRACE_HOURS}, got "${h}"`,
      ]),
    );
  });

  it("keeps the CLI's bounds of --limit and --days equal to the admin API's", () => {
    // Assert
    expect(ApiKeyListQuerySchema.safeParse({ limit: String(MAX_LIST_LIMIT) }).success).toBe(true);
    expect(ApiKeyListQuerySchema.safeParse({ limit: String(MAX_LIST_LIMIT + 1) }).success).toBe(false);
    expect(ApiKeyGetQuerySchema.safeParse({ days: String(MAX_USAGE_DAYS) }).success).toBe(true);
    expect(ApiKeyGetQuerySchema.safeParse({ days: String(MAX_USAGE_DAYS + 1) }).success).toBe(false);
  });
});

describe('milmed keys bootstrap: bad input', () => {
  it('needs --stage, and names bad --stage, --owner and --region values', async () => {
    // Act
    const none = usageLines(await keys(['bootstrap'], {}));
    const bad = usageLines(
      await keys(['bootstrap', '--stage', 'Prod', '--owner', 'o p', '--region', 'europe'], {}),
    );
    // Assert
    expect(none).toEqual([
      'keys bootstrap needs --stage S (the stage to make the first admin key of, e.g. prod)',
    ]);
    expect(bad).toEqual([
      '--stage: must be 1 to 16 lower-case letters or digits (a stage name such as dev or prod)',
      '--owner: must be letters, digits, ".", "_" or "-", starting with a letter or digit',
      '--region: must be an AWS region such as eu-west-1',
    ]);
  });

  it('takes no --api: it writes to the table, not through the API', async () => {
    // Act
    const lines = usageLines(await keys(['bootstrap', '--stage', 'dev', '--api', 'https://x.example.org']));
    // Assert
    expect(lines).toEqual([
      expect.stringMatching(/^unknown option "--api" for "keys bootstrap"; valid options: --stage, /),
    ]);
  });
});
