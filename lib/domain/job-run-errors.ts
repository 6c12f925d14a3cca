/** The errors of a job's run and the code and message a failed job stores (lib/domain/job-runner.ts). */
import { AppError, ErrorCode, StorageError } from '../core/index.js';
import { ScenarioValidationError } from '../generation/index.js';
import type { JobError } from './job.js';

/** The job's run ended because the job was cancelled, deleted, taken over or ended by another writer. */
export class RunStopped extends Error {
  constructor(readonly reason: 'cancelled' | 'superseded' | 'ended') {
    super(`run stopped: ${reason}`);
    this.name = 'RunStopped';
  }
}

/** A job is running in another, live worker: retry the message later. */
export class JobBusyError extends AppError {
  constructor(jobId: string) {
    super(ErrorCode.CONFLICT, `Job ${jobId} is running in another worker`);
    this.name = 'JobBusyError';
  }
}

function describe(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

/** `what` failed, as a StorageError with the cause's name and message; a StorageError stays itself. */
export function storageError(what: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  return new StorageError(`${what} failed (${describe(error)})`, { cause: error });
}

/** The code and message stored on a failed job. */
export function jobErrorOf(error: unknown): JobError {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof ScenarioValidationError) {
    return { code: ErrorCode.GENERATION_ERROR, message: `The job's scenario is invalid: ${error.message}` };
  }
  return { code: ErrorCode.GENERATION_ERROR, message: `Generation failed (${describe(error)})` };
}
