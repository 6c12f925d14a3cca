export * from './api-key.js';
export * from './api-key-service.js';
export {
  type Configuration,
  type ConfigurationBody,
  type ConfigurationHeadRecord,
  type ConfigurationInput,
  ConfigurationInputSchema,
  ConfigurationSchema,
  type ConfigurationVersionRecord,
  type ConfigurationVersionSummary,
  ConfigurationVersionSummarySchema,
  toConfiguration,
  type ValidationResult,
  ValidationResultSchema,
  versionToConfiguration,
} from './configuration.js';
export {
  type ConfigurationList,
  ConfigurationService,
  type ConfigurationServiceDeps,
  type ConfigurationVersionList,
  DEFAULT_CONFIGURATION_ID,
  type ResolvedConfiguration,
} from './configuration-service.js';
export {
  DEFAULT_MAX_PATIENTS_PER_JOB,
  type GenerationRequest,
  type GenerationRequestInput,
  GenerationRequestSchema,
  type GenerationResponse,
  GenerationResponseSchema,
  generationRequestSchema,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from './generation-request.js';
export {
  CONCURRENCY_RETRY_AFTER_SECONDS,
  type CreateJobOptions,
  type CreateJobResult,
  estimatedDurationSeconds,
  GenerationService,
  type GenerationServiceDeps,
  jobLimitError,
  normaliseInlineConfiguration,
  requestFingerprint,
  secondsUntilNextUtcDay,
} from './generation-service.js';
export {
  ACTIVE_STATUSES,
  type ActiveJobStatus,
  awaitsRetry,
  CANCELLABLE_STATUSES,
  DEFAULT_MAX_ATTEMPTS,
  finalFailure,
  isActiveStatus,
  JOB_PHASES,
  JOB_STATUSES,
  type Job,
  type JobConfigEcho,
  JobConfigEchoSchema,
  type JobEncryption,
  type JobError,
  JobErrorSchema,
  type JobPhase,
  JobPhaseSchema,
  type JobRecord,
  JobSchema,
  type JobStatus,
  JobStatusSchema,
  jobObjectKey,
  jobPrefix,
  type OutputFile,
  OutputFileSchema,
  type Priority,
  PrioritySchema,
  type ProgressDetails,
  ProgressDetailsSchema,
  SEALER_KINDS,
  type SealerKind,
  TERMINAL_STATUSES,
  toJob,
} from './job.js';
export { JobBusyError, jobErrorOf } from './job-run-errors.js';
export {
  DEFAULT_CHECKPOINT_EVERY,
  DEFAULT_STALE_AFTER_MS,
  JobRunner,
  type JobRunnerDeps,
  type RunOptions,
  type RunOutcome,
  type TaskCompletion,
} from './job-runner.js';
export {
  allChunksDone,
  ChunkRunner,
  type ChunkRunnerDeps,
  type ChunksCompletion,
  chunkCheckpointEvery,
  runningPlan,
} from './chunk-runner.js';
export {
  type ChunkWriteMode,
  chunkBounds,
  chunkWriteMode,
  DEFLATED_BYTES_PER_PATIENT,
  ENGINE_MICROS_PER_PATIENT,
  FORMAT_MICROS_PER_PATIENT,
  jobFormats,
  MAX_CHUNK_SECONDS,
  MAX_CHUNKS,
  MIN_COPY_PART_BYTES,
  MIN_PATIENTS_PER_CHUNK,
  microsPerPatient,
  PLAIN_BYTES_PER_PATIENT,
  patientsPerChunk,
  planChunks,
  smallestPartBytesPerPatient,
  TARGET_CHUNK_SECONDS,
} from './job-chunk-plan.js';
export {
  type ChunkMessage,
  ChunkMessageSchema,
  chunkMessage,
  deadMessageJobId,
  type GenerationMessage,
  type JobMessage,
  JobMessageSchema,
  MAX_TASK_INDEX,
  parseGenerationMessage,
  type SealMessage,
  SealMessageSchema,
  sealMessage,
} from './job-messages.js';
export { PlanCache } from './job-plan-cache.js';
export { withChunkProgress } from './job-service.js';
export { encryptionHeaders, JobPlanner, type JobPlannerDeps, type PlanRunOptions } from './job-planner.js';
export {
  DEFAULT_PAGE_SIZE,
  type DeleteResult,
  DOWNLOAD_URL_TTL_SECONDS,
  type DownloadLink,
  downloadName,
  type JobList,
  type JobResults,
  JobService,
  type JobServiceDeps,
  MAX_PAGE_SIZE,
  MAX_RESULTS_PER_PAGE,
} from './job-service.js';
export {
  EvacuationLegSchema,
  type JobSummary,
  JobSummarySchema,
  SummarySeriesSchema,
} from './job-summary.js';
export { type FilteredPage, readFilteredPage, readRecordPage, recordTexts } from './json-records.js';
export {
  ASSEMBLY_CONCURRENCY,
  type AssemblyOptions,
  type AssemblyResult,
  assembleObject,
} from './object-assembly.js';
export type {
  ConfigurationRepository,
  EnqueueOptions,
  IdempotencyClaim,
  IdleJob,
  IdleJobIndex,
  JobChanges,
  JobCondition,
  JobQueue,
  JobRepository,
  Page,
  PageRequest,
  PresignOptions,
  ResultStore,
  SecretSealer,
  UploadOptions,
} from './ports.js';
export {
  getPreset,
  listPresetCategories,
  listPresets,
  type PresetSummary,
  presetSummary,
} from './preset-catalogue.js';
export { fold, hasFilter, type ResultsFilter, recordMatcher } from './results-filter.js';
export {
  DEFAULT_RUNNING_IDLE_LIMIT_MS,
  DEFAULT_SWEEP_MAX_JOBS,
  DEFAULT_WAITING_IDLE_LIMIT_MS,
  type DeadLetterOutcome,
  StuckJobService,
  type StuckJobServiceDeps,
  SWEEP_PAGE_SIZE,
  type SweepReport,
} from './stuck-jobs.js';
export {
  cannotFinish,
  DEFAULT_TIME_SAFETY_MARGIN_MS,
  expectedRestMs,
  PACKAGING_SHARE,
  type TimeBudget,
  TimeLimitError,
} from './time-budget.js';
export { PART_DEFLATE_LEVEL } from './job-parts.js';
