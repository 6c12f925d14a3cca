/**
 * Creating a generation job (POST /api/v1/generation): validates the request and the scenario at
 * request time (every problem with its field path, 422), records the seed (drawn here when the
 * request has none: never inside lib/generation), stores the job, and enqueues it with the
 * correlation id. An Idempotency-Key makes a retried request return the job it already created.
 * With use_encryption the password is sealed (SecretSealer, context `{ job_id }`) and only the sealed
 * value is stored on the job, never the password or a key (memory/decisions/0105).
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { ConflictError, GenerationError, StorageError, ValidationError, zodIssues } from '../core/index.js';
import { DEFAULT_SCENARIO } from '../generation/index.js';
import type { ConfigurationService } from './configuration-service.js';
import {
  type GenerationRequest,
  GenerationRequestSchema,
  type GenerationResponse,
  MAX_PATIENTS_PER_REQUEST,
} from './generation-request.js';
import { type Job, type JobConfigEcho, type JobEncryption, type JobRecord, toJob } from './job.js';
import type { JobQueue, JobRepository, SecretSealer } from './ports.js';

const DAY_SECONDS = 86_400;
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
  /** Seals the encryption password of jobs with use_encryption; without it such a request fails (500). */
  readonly sealer?: SecretSealer;
  readonly clock?: () => Date;
  readonly newId?: () => string;
  /** Seed for requests that bring none (default: node:crypto randomInt). */
  readonly randomSeed?: () => number;
  /** Patients one job may hold (default 10000). */
  readonly maxPatientsPerJob?: number;
  /** Days a job record lives (DynamoDB TTL), default 30. */
  readonly jobTtlDays?: number;
  /** Seconds an Idempotency-Key is remembered, default 24 h. */
  readonly idempotencyTtlSeconds?: number;
}

export interface CreateJobOptions {
  readonly idempotencyKey?: string | null;
  /** The request id; it follows the job into the worker's logs. */
  readonly correlationId?: string;
  /** A lower per-caller limit (an API key's patient limit). */
  readonly maxPatients?: number;
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

export function estimatedDurationSeconds(
  request: Pick<GenerationRequest, 'output_formats' | 'use_compression' | 'use_encryption'>,
  patients: number,
): number {
  const factor = (request.use_compression ? 1.2 : 1) * (request.use_encryption ? 1.3 : 1);
  const seconds = 3 + (patients * request.output_formats.length * factor) / 2000;
  return Math.min(900, Math.max(3, Math.ceil(seconds)));
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

export class GenerationService {
  private readonly jobs: JobRepository;
  private readonly queue: JobQueue;
  private readonly configurations: ConfigurationService;
  private readonly sealer: SecretSealer | undefined;
  private readonly clock: () => Date;
  private readonly newId: () => string;
  private readonly randomSeed: () => number;
  private readonly maxPatientsPerJob: number;
  private readonly jobTtlDays: number;
  private readonly idempotencyTtlSeconds: number;

  constructor(deps: GenerationServiceDeps) {
    this.jobs = deps.jobs;
    this.queue = deps.queue;
    this.configurations = deps.configurations;
    this.sealer = deps.sealer;
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
    this.randomSeed = deps.randomSeed ?? (() => randomInt(0, 2 ** 47));
    this.maxPatientsPerJob = deps.maxPatientsPerJob ?? MAX_PATIENTS_PER_REQUEST;
    this.jobTtlDays = deps.jobTtlDays ?? 30;
    this.idempotencyTtlSeconds = deps.idempotencyTtlSeconds ?? DAY_SECONDS;
  }

  /** Validates the request (ValidationError with every issue) without side effects. */
  parseRequest(input: unknown): GenerationRequest {
    const parsed = GenerationRequestSchema.safeParse(input ?? {});
    if (!parsed.success) throw ValidationError.fromIssues(zodIssues(parsed.error));
    return parsed.data;
  }

  /** Validates a raw request body, then creates the job (`submit`). */
  async create(owner: string, input: unknown, options: CreateJobOptions = {}): Promise<CreateJobResult> {
    return this.submit(owner, this.parseRequest(input), options);
  }

  /**
   * Creates the job of a request the route schema (GenerationRequestSchema) has already validated,
   * so the checks are not made twice. The scenario is still checked here: only the service knows it.
   */
  async submit(
    owner: string,
    request: GenerationRequest,
    options: CreateJobOptions = {},
  ): Promise<CreateJobResult> {
    if (request.use_encryption && !this.sealer) throw noSealer();
    const { body, echo } = await this.scenarioOf(owner, request, options);

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
        jobId = claim.jobId; // the first request stopped before storing its job: finish its work
      }
    }

    const now = this.clock();
    const encryption = request.use_encryption
      ? await this.sealPassword(jobId, request.encryption_password!)
      : null;
    const record: JobRecord = {
      job_id: jobId,
      owner,
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
    try {
      await this.jobs.create(record);
    } catch (error) {
      // A concurrent replay of the same Idempotency-Key stored it first.
      const existing = error instanceof ConflictError ? await this.jobs.get(jobId) : undefined;
      if (existing && existing.owner === owner) return this.replay(existing, options);
      throw error;
    }
    const job = await this.enqueue(record, options);
    return { job, created: true, response: this.responseOf(job) };
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
      await this.jobs
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
      estimated_duration: estimatedDurationSeconds(job.config, patients),
      seed: job.seed,
    };
  }

  /** The validated scenario (defaults applied, overrides and seed set) and the request echo. */
  private async scenarioOf(
    owner: string,
    request: GenerationRequest,
    options: CreateJobOptions,
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

    const limit = Math.min(this.maxPatientsPerJob, options.maxPatients ?? Number.POSITIVE_INFINITY);
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
