/**
 * The original service's Python SDK flow through the local stack (issue #8: "The original's Python SDK
 * flow keeps working with a generate key"). test/e2e/python/sdk_flow.py mirrors patient_generator_sdk.py
 * method for method with urllib (standard library only) and prints one JSON line of facts; this file
 * runs it with python3 and asserts on them (memory/reference/v1-compatibility.md).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import type { Json } from './client.js';

const SCRIPT = fileURLToPath(new URL('./python/sdk_flow.py', import.meta.url));
const run = promisify(execFile);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, logLevel: 'ERROR', workers: 1 });
});

afterAll(async () => {
  await stack?.stop();
});

interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The last stdout line, parsed: the script's facts. */
  readonly facts: Json;
}

/** Runs the script in one mode; keys go in the environment, never on the command line. */
async function runScript(mode: 'flow' | 'refusals', env: Record<string, string>): Promise<ScriptRun> {
  const childEnv = {
    ...process.env,
    ...env,
    MMPG_BASE_URL: stack.url,
    // urllib honours proxy variables; the stack and its S3 emulator are on loopback.
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    PYTHONUNBUFFERED: '1',
  };
  let code = 0;
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await run('python3', [SCRIPT, mode], { env: childEnv, timeout: 110_000 }));
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    code = typeof failed.code === 'number' ? failed.code : -1;
    stdout = failed.stdout ?? '';
    stderr = failed.stderr ?? String(error);
  }
  const last = stdout.trim().split('\n').at(-1) ?? '';
  let facts: Json;
  try {
    facts = JSON.parse(last);
  } catch {
    facts = undefined;
  }
  return { code, stdout, stderr, facts };
}

describe('the original Python SDK flow with a generate key', () => {
  it('runs reference data, configuration CRUD, a json+csv job, polling, listing, the ZIP download and delete', async () => {
    // Prepare
    const env = { MMPG_API_KEY: stack.apiKey };

    // Act
    const result = await runScript('flow', env);

    // Assert
    const why = `exit ${result.code}\n${result.stdout}\n${result.stderr}`;
    expect(result.code, why).toBe(0);
    const facts = result.facts;
    expect(facts, why).toBeDefined();

    // Reference data: the NATO nations and the original's three condition types, in its order.
    expect(facts.nationalities_count).toBe(32);
    expect(facts.nationality_codes).toEqual(expect.arrayContaining(['USA', 'GBR', 'DEU', 'NOR']));
    expect(facts.condition_types).toEqual(['DISEASE', 'NON_BATTLE', 'BATTLE_TRAUMA']);

    // Configuration: created as version 1, listed, read back, PUT writes version 2 with the new count.
    const configId = facts.config_id;
    expect(configId).toEqual(expect.any(String));
    expect(facts.created_version).toBe(1);
    expect(facts.created_total_patients).toBe(100);
    // Listed: the original answered a bare array, this API a page {configurations, next_cursor}
    // (memory/decisions/0102); the script reads either, the shape is in the facts.
    expect(facts.listed_config_ids).toContain(configId);
    expect(facts.retrieved_name).toBe('SDK Example Scenario');
    expect(facts.retrieved_front_ids).toEqual(['alpha']);
    expect(facts.retrieved_facility_ids).toEqual([
      'facility_r1_alpha',
      'facility_r2_alpha',
      'facility_r3_common',
    ]);
    expect(facts.updated_id).toBe(configId);
    expect(facts.updated_version).toBe(2);
    expect(facts.updated_total_patients).toBe(125);
    expect(facts.updated_description).toBe('Updated description for SDK Example Scenario.');
    expect(facts.validation).toEqual({ valid: true, errors: [] });

    // The job from the configuration's latest version: completed with exactly 125 patients in each file.
    expect(facts.job_id).toEqual(expect.any(String));
    expect(facts.job_initial_status).toMatch(/^(pending|queued|running)$/);
    expect(facts.job_status, JSON.stringify(facts.job_error)).toBe('completed');
    expect(facts.job_progress).toBe(100);
    expect(facts.job_config).toMatchObject({
      configuration_id: configId,
      configuration_version: 2,
      total_patients: 125,
      output_formats: ['json', 'csv'],
    });
    expect(facts.output_file_names).toEqual(['patients.csv', 'patients.json', 'patients.zip']);
    expect(facts.listed_job_ids).toContain(facts.job_id);

    // The ZIP the SDK saves: a valid archive with both files.
    expect(facts.zip_is_zip).toBe(true);
    expect(facts.zip_test).toBeNull();
    expect(facts.zip_entries).toEqual(['manifest.json', 'patients.csv', 'patients.json']);
    expect(facts.json_patient_count).toBe(125);
    expect(facts.json_patient_ids_unique).toBe(125);
    expect(facts.csv_patient_rows).toBe(125);
    expect(facts.csv_header).toEqual(expect.arrayContaining(['id', 'nationality', 'triage_category']));

    // Deleted: the SDK's get now raises the 404 with the original's message.
    expect(facts.deleted).toBe(true);
    expect(facts.get_after_delete).toEqual({
      status: 404,
      error: `API Error: Configuration ${configId} not found`,
    });
  });
});

describe('the original Python SDK client refused', () => {
  it('surfaces "Missing API Key" without a key, "Invalid API Key" for an unknown one and 403 for an admin-only key', async () => {
    // Prepare
    const adminOnly = await stack.createKey({ owner: 'sdk-admin', scopes: ['admin'] });
    const env = {
      MMPG_ADMIN_ONLY_KEY: adminOnly.api_key,
      MMPG_UNKNOWN_KEY: `mmpg_local_aaaaaaaaaaaaaaaa_${'0'.repeat(64)}`,
    };

    // Act
    const result = await runScript('refusals', env);

    // Assert
    const why = `exit ${result.code}\n${result.stdout}\n${result.stderr}`;
    expect(result.code, why).toBe(0);
    const facts = result.facts;
    expect(facts, why).toBeDefined();
    // Reference data stays public.
    expect(facts.anonymous_nationalities_count).toBe(32);
    const missing = { status: 401, error: 'API Error: Missing API Key' };
    expect(facts.anonymous_list_configurations).toEqual(missing);
    expect(facts.anonymous_start_generation_job).toEqual(missing);
    expect(facts.anonymous_download).toEqual({
      status: 401,
      error: 'API Error downloading file: Missing API Key',
    });
    expect(facts.unknown_key_list_jobs).toEqual({ status: 401, error: 'API Error: Invalid API Key' });
    const forbidden = {
      status: 403,
      error: 'API Error: This route needs an API key with the "generate" scope',
    };
    expect(facts.admin_only_start_generation_job).toEqual(forbidden);
    expect(facts.admin_only_list_jobs).toEqual(forbidden);
  });
});
