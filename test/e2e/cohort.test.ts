/**
 * Cohorts through the local API Gateway, the handlers and the queue worker (memory/decisions/0912-cohorts.md):
 * an impossible cohort is a 422 naming the criterion in validate, create and generate; a cohort job
 * yields exactly N matching patients; a cohort too rare fails its job with GENERATION_ERROR; the
 * OpenAPI document shows the criteria.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { generate, loadScenario, plan } from '../../lib/generation/index.js';
import { ApiClient, type Json, smallScenario } from './client.js';

let stack: LocalStack;
let api: ApiClient;

beforeAll(async () => {
  // Small chunks: a cohort job of 30 patients runs as 3 chunks, each re-planning the cohort.
  stack = await startLocalStack({ port: 0, logLevel: 'ERROR', patientsPerChunk: 10 });
  api = new ApiClient(stack.url, stack.apiKey);
});

afterAll(async () => {
  await stack?.stop();
});

describe('cohorts through the API', () => {
  it('refuses an impossible cohort (T4 without any capacity) with a 422 naming the criterion', async () => {
    // Prepare
    const scenario = smallScenario({ cohort: { triage: ['T4'] } });
    // Act
    const validated = await api.post('/api/v1/configurations/validate', scenario);
    const stored = await api.post('/api/v1/configurations', scenario);
    const generated = await api.post('/api/v1/generation', { configuration: scenario });
    // Assert
    expect(validated.json.valid).toBe(false);
    expect(validated.json.errors[0].path).toBe('cohort.triage[0]');
    expect([stored.status, generated.status]).toEqual([422, 422]);
    expect(generated.json.error.code).toBe('VALIDATION_ERROR');
    expect(generated.json.error.details.errors[0].path).toBe('configuration.cohort.triage[0]');
  });

  it('refuses an unknown criterion and a front the scenario does not have with a 422', async () => {
    // Act
    const unknown = await api.post('/api/v1/generation', {
      configuration: smallScenario({ cohort: { planet: ['mars'] } }),
    });
    const front = await api.post('/api/v1/generation', {
      configuration: smallScenario({ cohort: { fronts: ['south'] } }),
    });
    // Assert
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.details.errors[0].path).toBe('configuration.cohort');
    expect(front.status).toBe(422);
    expect(front.json.error.details.errors[0].path).toBe('configuration.cohort.fronts[0]');
  });

  it("completes a cohort job in chunks with exactly N matching patients, the engine's own for the seed", async () => {
    // Prepare
    const cohort = { injury_types: ['BATTLE_TRAUMA'], nationalities: ['DEU'] };
    const configuration = smallScenario({ total_patients: 30, cohort });
    // Act
    const job = await api.post('/api/v1/generation', {
      configuration,
      output_formats: ['json'],
      seed: 11,
    });
    const done = await api.waitForJob(job.json.job_id);
    const patients = JSON.parse(
      (await api.download(job.json.job_id, 'json')).bytes.toString('utf8'),
    ) as Json[];
    // Assert
    expect(job.status, job.text).toBe(201);
    expect(done.status).toBe('completed');
    expect(patients).toHaveLength(30);
    for (const p of patients) {
      expect(p.injury_type).toBe('BATTLE_TRAUMA');
      expect(p.nationality).toBe('DEU');
    }
    expect(patients.map((p) => p.id)).toEqual(patients.map((_, i) => i));
    // The job's own scenario (the inline configuration normalised, defaults applied) and seed.
    const expected = [...generate(plan(loadScenario(done.config.configuration), done.config.seed))];
    expect(patients).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('fails a cohort too rare to find with GENERATION_ERROR naming the criterion and the count', async () => {
    // Prepare: a nation with a vanishing share: a patient or so among every candidate.
    const scenario = smallScenario({
      total_patients: 10,
      front_configs: [
        {
          id: 'north',
          name: 'Northern Front',
          casualty_rate: 1,
          nationality_distribution: [
            { nationality_code: 'NOR', percentage: 100 },
            { nationality_code: 'DEU', percentage: 1e-9 },
          ],
        },
      ],
      cohort: { nationalities: ['DEU'] },
    });
    // Act
    const job = await api.post('/api/v1/generation', { configuration: scenario, output_formats: ['json'] });
    const done = await api.waitForJob(job.json.job_id, ['completed', 'failed', 'cancelled'], 120_000);
    // Assert
    expect(job.status, job.text).toBe(201);
    expect(done.status).toBe('failed');
    expect(done.error.code).toBe('GENERATION_ERROR');
    expect(done.error.message).toMatch(/only \d of 10 patients matching .*cohort\.nationalities/);
  }, 150_000);

  it('documents the cohort criteria in the OpenAPI document', async () => {
    // Act
    const res = await api.get('/openapi.json', { key: null });
    // Assert
    expect(JSON.stringify(res.json)).toContain('"cohort"');
    expect(JSON.stringify(res.json)).toContain('only patients matching every criterion');
  });
});
