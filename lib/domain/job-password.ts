/**
 * An encrypted job's password for one run: unsealed once (SecretSealer, context `{ job_id }`), held
 * only in the run's memory, never logged, never stored (memory/decisions/0105-sealed-encryption-password.md).
 */
import { GenerationError, type Logger } from '../core/index.js';
import type { JobRecord } from './job.js';
import type { SecretSealer } from './ports.js';

/** The job's password, unsealed with the context it was sealed with. */
export async function unsealJobPassword(
  record: JobRecord,
  sealer: SecretSealer | undefined,
  logger?: Logger,
): Promise<string> {
  const sealed = record.encryption;
  if (!sealed?.sealed_password) {
    throw new GenerationError('The job asks for encryption but its sealed password is missing');
  }
  if (!sealer) {
    throw new GenerationError(
      'Encrypted output is not available: this worker has no secret sealer configured',
    );
  }
  if (sealed.sealer !== sealer.kind) {
    throw new GenerationError(
      `The job's password was sealed by the '${sealed.sealer}' sealer; this worker unseals '${sealer.kind}'`,
    );
  }
  try {
    return await sealer.unseal(sealed.sealed_password, { job_id: record.job_id });
  } catch (error) {
    // The job's error is shown to its owner: the sealer's details (key ARNs, roles) go to the log only.
    logger?.warn('could not unseal the job password', { sealer: sealed.sealer, cause: error as Error });
    throw new GenerationError(
      "The job's encryption password could not be unsealed (wrong sealing key, or the key is unavailable)",
      { cause: error },
    );
  }
}
