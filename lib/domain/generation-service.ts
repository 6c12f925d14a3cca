/**
 * Creating a generation job (POST /api/v1/generation): validates the request and the scenario at
 * request time (every problem with its field path, 422), records the seed (drawn here when the
 * request has none: never inside lib/generation), stores the job, and enqueues it with the
 * correlation id. An Idempotency-Key makes a retried request return the job it already created.
 * With use_encryption the password is sealed (SecretSealer, context `{ job_id }`) and only the sealed
 * value is stored on the job, never the password or a key (memory/decisions/0105).
 *
 * The caller's API key limits the job (lib/domain/api-key.ts KeyLimits), checked once the patients
 * are known and after an Idempotency-Key replay (a replay is not a new job, so it counts nothing):
 * more patients than `max_patients_per_job` is a 403; then UsageCounters.reserveJob takes a running
 * slot and adds the job to the day's jobs and patients, or refuses with a 429 naming the limit. A job
 * that is then not created or not queued gives both back. The job stores its key id, so whoever ends
 * it gives the slot back (JobRunner, JobService).
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  GenerationError,
  RateLimitedError,
  StorageError,
  ValidationError,
  zodIssues,
} from '../core/index.js';
import { DEFAULT_SCENARIO } from '../generation/index.js';
import type { JobReservation, Principal, UsageCounters } from './api-key.js';
import type { ConfigurationService } from './configuration-service.js';
import {
  DEFAULT_MAX_PATIENTS_PER_JOB,
  type GenerationRequest,
  type GenerationResponse,
  generationRequestSchema,
} from './generation-request.js';
import { type Job, type JobConfigEcho, type JobEncryption, type JobRecord, toJob } from './job.js';
import { estimatedDurationSeconds } from './job-duration.js';
import type { JobQueue, JobRepository, SecretSealer } from './ports.js';

const DAY_SECONDS = 86_400;
/** Retry-After of a refusal at the concurrency limit: about the time a small job takes. */
export const CONCURRENCY_RETRY_AFTER_SECONDS = 30;
/** Inline-configuration keys the original's clients send that carry nothing for the engine. */
const IGNORED_INLINE_KEYS = [
  'id',
  'version',
  'parent_config_id',
  'created_at',
  'updated_at',
  'output_formats',
  'preset_id',
  'preset_name',
  'medical_simulation',
  'advanced_overrides',
] as const;
/** Older key names of the original, renamed when the new name is absent. */
const RENAMED_INLINE_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['count', 'total_patients'],
  ['injury_mix', 'injury_distribution'],
  ['duration_days', 'days_of_fighting'],
  ['triage_override', 'triage_overrides'],
];

export interface GenerationServiceDeps {
  readonly jobs: JobRepository;
  readonly queue: JobQueue;
  readonly configurations: ConfigurationService;
  /** The API keys' running-job slots and daily quotas. */
  readonly usage: UsageCounters;
  /** Seals the encryption password of jobs with use_encryption; without it such a request fails (500). */
  readonly sealer?: SecretSealer;
  readonly clock?: () => Date;
  readonly newId?: () => string;
  /** Seed for requests that bring none (default: node:crypto randomInt). */
  readonly randomSeed?: () => number;
  /**
   * Patients one job may hold: the stage's cap (MAX_PATIENTS_PER_JOB), default
   * DEFAULT_MAX_PATIENTS_PER_JOB. The request schema (`requestSchema`) follows it.
   */
  readonly maxPatientsPerJob?: number;
  /** Days a job record lives (DynamoDB TTL), default 30. */
  readonly jobTtlDays?: number;
  /** Seconds an Idempotency-Key is remembered, default 24 h. */
  readonly idempotencyTtlSeconds?: number;
  /**
   * Generators the stage runs at once (its reserved concurrency, or the local workers): the chunk waves
   * of `estimated_duration` (job-duration.ts). Default ASSUMED_GENERATOR_CONCURRENCY.
   */
  readonly generatorConcurrency?: number;
}

export interface CreateJobOptions {
  readonly idempotencyKey?: string | null;
  /** The request id; it follows the job into the worker's logs. */
  readonly correlationId?: string;
}

export interface CreateJobResult {
  readonly job: Job;
  /** False when an Idempotency-Key replay returned an existing job. */
  readonly created: boolean;
  readonly response: GenerationResponse;
}

/** Maps the original's loose inline configuration onto the scenario schema, over the default scenario. */
export function normaliseInlineConfiguration(inline: Record<string, unknown>): Record<string, unknown> {
  const c: Record<string, unknown> = { ...inline };
  for (const key of IGNORED_INLINE_KEYS) delete c[key];
  for (const [from, to] of RENAMED_INLINE_KEYS) {
    if (from in c) {
      if (!(to in c)) c[to] = c[from];
      delete c[from];
    }
  }
  if (typeof c.warfare_type === 'string') {
    if (!('warfare_types' in c)) c.warfare_types = { [c.warfare_type]: true };
    delete c.warfare_type;
  }
  // The original fell back to its default fronts when none were given (memory/reference/v1-compatibility.md).
  if (Array.isArray(c.front_configs) && c.front_configs.length === 0) delete c.front_configs;
  const base: Record<string, unknown> = {
    ...DEFAULT_SCENARIO,
    name: 'Generated Configuration',
    description: 'Auto-generated configuration',
  };
  return { ...base, ...c };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Fingerprint of a request for idempotency: everything but the password. */
export function requestFingerprint(request: GenerationRequest): string {
  const { encryption_password: _password, ...rest } = request;
  return createHash('sha256').update(canonical(rest)).digest('hex');
}

function noSealer(): GenerationError {
  return new GenerationError('Encrypted output is not available: no secret sealer is configured');
}

/** Seconds from `now` to the next UTC midnight, when the daily quotas start again (at least 1). */
export function secondsUntilNextUtcDay(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/** The 429 of a refused reservation: the limit, its value and what the key has used of it. */
export function jobLimitError(refusal: Exclude<JobReservation, { ok: true }>, now: Date): RateLimitedError {
  const { limit, value, used } = refusal;
  const details = { limit, value, used };
  switch (limit) {
    case 'max_concurrent_jobs':
      return new RateLimitedError(
        `This API key has ${used} jobs queued or running; its limit is ${value} (max_concurrent_jobs). Retry when one ends.`,
        CONCURRENCY_RETRY_AFTER_SECONDS,
        { details },
      );
    case 'daily_job_quota':
      return new RateLimitedError(
        `This API key has created ${used} jobs today; its limit is ${value} a UTC day (daily_job_quota). Retry after midnight UTC.`,
        secondsUntilNextUtcDay(now),
        { details },
      );
    case 'daily_patient_quota':
      return new RateLimitedError(
        `This job would take this API key past its ${value} patients a UTC day (daily_patient_quota; ${used} used today). Request fewer patients, or retry after midnight UTC.`,
        secondsUntilNextUtcDay(now),
        { details },
      );
  }
}

export class GenerationService {
  private readonly jobs: JobRepository;
  private readonly queue: JobQueue;
  private readonly configurations: ConfigurationService;
  private readonly usage: UsageCounters;
  private readonly sealer: SecretSealer | undefined;
  private readonly clock: () => Date;
  private readonly newId: () => string;
  private readonly randomSeed: () => number;
  private readonly maxPatientsPerJob: number;
  /** The request schema under this service's cap: the route validates with it, as parseRequest does. */
  readonly requestSchema: ReturnType<typeof generationRequestSchema>;
  private readonly jobTtlDays: number;
  private readonly idempotencyTtlSeconds: number;
  private readonly generatorConcurrency: number | undefined;

  constructor(deps: GenerationServiceDeps) {
    this.jobs = deps.jobs;
    this.queue = deps.queue;
    this.configurations = deps.configurations;
    this.usage = deps.usage;
    this.sealer = deps.sealer;
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
    this.randomSeed = deps.randomSeed ?? (() => randomInt(0, 2 ** 47));
    this.maxPatientsPerJob = deps.maxPatientsPerJob ?? DEFAULT_MAX_PATIENTS_PER_JOB;
    this.requestSchema = generationRequestSchema(this.maxPatientsPerJob);
    this.jobTtlDays = deps.jobTtlDays ?? 30;
    this.idempotencyTtlSeconds = deps.idempotencyTtlSeconds ?? DAY_SECONDS;
    this.generatorConcurrency = deps.generatorConcurrency;
  }

  /** Validates the request (ValidationError with every issue) without side effects. */
  parseRequest(input: unknown): GenerationRequest {
    const parsed = this.requestSchema.safeParse(input ?? {});
    if (!parsed.success) throw ValidationError.fromIssues(zodIssues(parsed.error));
    return parsed.data;
  }

  /** Validates a raw request body, then creates the job (`submit`). */
  async create(
    principal: Principal,
    input: unknown,
    options: CreateJobOptions = {},
  ): Promise<CreateJobResult> {
    return this.submit(principal, this.parseRequest(input), options);
  }

  /**
   * Creates the job of a request the route schema (`requestSchema`) has already validated,
   * so the checks are not made twice. The scenario is still checked here: only the service knows it.
   * The job belongs to the principal's owner and counts against its key's limits.
   */
  async submit(
    principal: Principal,
    request: GenerationRequest,
    options: CreateJobOptions = {},
  ): Promise<CreateJobResult> {
    if (request.use_encryption && !this.sealer) throw noSealer();
    const owner = principal.owner;
    const { body, echo } = await this.scenarioOf(owner, request);

    let jobId = this.newId();
    if (options.idempotencyKey) {
      const key = options.idempotencyKey;
      const fingerprint = requestFingerprint(request);
      const claim = await this.jobs.claimIdempotencyKey(
        owner,
        key,
        jobId,
        fingerprint,
        this.idempotencyTtlSeconds,
      );
      if (!claim.claimed) {
        if (claim.fingerprint !== fingerprint) {
          throw new ConflictError('This Idempotency-Key was already used with a different request');
        }
        const existing = await this.jobs.get(claim.jobId);
        if (existing) return this.replay(existing, options);
        if (claim.stored) {
          // Its job was stored, then deleted: replaying must not run it (and charge the key) again.
          throw new ConflictError(
            `The job this Idempotency-Key created (${claim.jobId}) was deleted; send a new Idempotency-Key to create another job`,
            { details: { job_id: claim.jobId } },
          );
        }
        jobId = claim.jobId; // the first request stopped before storing its job: finish its work
      }
    }

    const patients = echo.total_patients;
    const now = this.clock();
    await this.reserve(principal, patients, now);
    // From here the key holds a slot and today's share of its quotas: any failure gives them back.
    let record: JobRecord;
    try {
      record = await this.newRecord(principal, jobId, request, body, echo, now, options);
      await this.jobs.create(record);
    } catch (error) {
      await this.giveBack(principal.keyId, patients, now);
      // A concurrent replay of the same Idempotency-Key stored it first.
      const existing = error instanceof ConflictError ? await this.jobs.get(jobId) : undefined;
      if (existing && existing.owner === owner) return this.replay(existing, options);
      throw error;
    }
    if (options.idempotencyKey) await this.confirmStored(owner, options.idempotencyKey);
    const job = await this.enqueue(record, options);
    return { job, created: true, response: this.responseOf(job) };
  }

  /**
   * Marks the Idempotency-Key's claim once its job is stored. Best effort: the job is created either
   * way, and an unmarked claim only means a replay after the job's deletion would create it again.
   */
  private async confirmStored(owner: string, key: string): Promise<void> {
    await this.jobs.confirmIdempotencyKey(owner, key).catch(() => undefined);
  }

  /** 403 over the key's patients per job; then a running slot and today's quotas, or a 429. */
  private async reserve(principal: Principal, patients: number, now: Date): Promise<void> {
    const max = principal.limits.max_patients_per_job;
    if (patients > max) {
      throw new ForbiddenError(
        `This API key may request at most ${max} patients per job (max_patients_per_job); this request asks for ${patients}.`,
        { details: { limit: 'max_patients_per_job', value: max, requested: patients } },
      );
    }
    const reservation = await this.usage.reserveJob(principal.keyId, principal.limits, patients, now);
    if (!reservation.ok) throw jobLimitError(reservation, now);
  }

  /** Gives back a reservation whose job was not created or not queued; the caller's error stands. */
  private async giveBack(keyId: string, patients: number, reservedAt: Date): Promise<void> {
    await Promise.allSettled([
      this.usage.releaseJob(keyId),
      this.usage.refundJob(keyId, patients, reservedAt),
    ]);
  }

  private async newRecord(
    principal: Principal,
    jobId: string,
    request: GenerationRequest,
    body: Record<string, unknown>,
    echo: JobConfigEcho,
    now: Date,
    options: CreateJobOptions,
  ): Promise<JobRecord> {
    const encryption = request.use_encryption
      ? await this.sealPassword(jobId, request.encryption_password!)
      : null;
    return {
      job_id: jobId,
      owner: principal.owner,
      key_id: principal.keyId,
      status: 'pending',
      progress: 0,
      progress_details: { phase: 'queued', patients_generated: 0, total_patients: echo.total_patients },
      config: echo,
      error: null,
      output_files: [],
      summary: null,
      seed: echo.seed,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      completed_at: null,
      scenario: body,
      encryption,
      run_id: null,
      attempts: 0,
      correlation_id: options.correlationId ?? null,
      expires_at: Math.floor(now.getTime() / 1000) + this.jobTtlDays * DAY_SECONDS,
    };
  }

  /** The password sealed for the worker, bound to this job: the only form in which it is stored. */
  private async sealPassword(jobId: string, password: string): Promise<JobEncryption> {
    if (!this.sealer) throw noSealer();
    try {
      return {
        sealed_password: await this.sealer.seal(password, { job_id: jobId }),
        sealer: this.sealer.kind,
      };
    } catch (error) {
      // The sealer's own message never holds the password; the cause stays for the logs.
      throw new StorageError('The encryption password could not be sealed; retry the request', {
        cause: error,
      });
    }
  }

  private async replay(existing: JobRecord, options: CreateJobOptions): Promise<CreateJobResult> {
    // A job left pending may never have reached the queue; the worker ignores a duplicate message.
    const job = existing.status === 'pending' ? await this.enqueue(existing, options) : toJob(existing);
    return { job, created: false, response: this.responseOf(job) };
  }

  private async enqueue(record: JobRecord, options: CreateJobOptions): Promise<Job> {
    try {
      await this.queue.enqueue(record.job_id, { correlationId: options.correlationId });
    } catch (error) {
      const now = this.clock().toISOString();
      const failed = await this.jobs
        .update(
          record.job_id,
          {
            set: {
              status: 'failed',
              updated_at: now,
              completed_at: now,
              error: { code: 'STORAGE_ERROR', message: 'The job could not be queued for generation' },
            },
            remove: ['encryption'],
          },
          { statusIn: ['pending'] },
        )
        .catch(() => undefined);
      // The write that ended the job gives its reservation back. A job left pending (that write
      // failed) keeps it until it is cancelled or a replay queues it; a job cancelled meanwhile
      // was given back by the cancel.
      if (failed?.key_id) {
        await this.giveBack(failed.key_id, failed.config.total_patients, new Date(failed.created_at));
      }
      throw new StorageError('The job could not be queued for generation; retry the request', {
        cause: error,
      });
    }
    const updated = await this.jobs.update(
      record.job_id,
      { set: { status: 'queued', updated_at: this.clock().toISOString() } },
      { statusIn: ['pending'] },
    );
    // When the worker was faster than this update, the stored job is further along: report that.
    return toJob(updated ?? (await this.jobs.get(record.job_id)) ?? record);
  }

  private responseOf(job: Job): GenerationResponse {
    const patients = job.config.total_patients;
    return {
      job_id: job.job_id,
      status: job.status,
      message: `Patient generation job '${job.job_id}' created successfully`,
      estimated_duration: estimatedDurationSeconds(job.config, patients, {
        generatorConcurrency: this.generatorConcurrency,
      }),
      seed: job.seed,
    };
  }

  /** The validated scenario (defaults applied, overrides and seed set) and the request echo. */
  private async scenarioOf(
    owner: string,
    request: GenerationRequest,
  ): Promise<{ body: Record<string, unknown>; echo: JobConfigEcho }> {
    let source: Record<string, unknown>;
    let prefix: string | undefined;
    let configurationId: string | null = null;
    let configurationVersion: number | null = null;
    if (request.configuration_id != null) {
      const resolved = await this.configurations.resolve(owner, request.configuration_id);
      source = resolved.body;
      configurationId = resolved.configuration_id;
      configurationVersion = resolved.version;
    } else {
      source = normaliseInlineConfiguration(request.configuration!);
      prefix = 'configuration';
    }
    if (request.total_patients != null) source = { ...source, total_patients: request.total_patients };
    const body = this.configurations.parse(source, prefix);

    // The deployment's cap is a bound of the request (422); the key's own limit is a 403 (reserve).
    const limit = this.maxPatientsPerJob;
    if (body.total_patients > limit) {
      const path =
        request.total_patients != null || !prefix ? 'total_patients' : 'configuration.total_patients';
      throw ValidationError.fromIssues([
        { path, message: `must be at most ${limit} patients per job (got ${body.total_patients})` },
      ]);
    }
    const seed = request.seed ?? body.seed ?? this.randomSeed();
    const scenario = { ...body, seed };
    const echo: JobConfigEcho = {
      configuration_id: configurationId,
      configuration_version: configurationVersion,
      configuration: configurationId === null ? (scenario as Record<string, unknown>) : null,
      name: body.name,
      total_patients: body.total_patients,
      output_formats: request.output_formats,
      use_compression: request.use_compression,
      use_encryption: request.use_encryption,
      priority: request.priority,
      seed,
    };
    return { body: scenario as Record<string, unknown>, echo };
  }
}
