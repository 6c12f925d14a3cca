/**
 * Physical names of a stage's resources. The stateful resources have fixed names, so the API stack
 * finds them by name instead of through CloudFormation exports (memory/decisions/0201-cdk-stacks.md):
 * no cross-stack export locks either stack, and a change that would replace a table fails instead of
 * silently creating an empty one.
 */
import { Aws } from 'aws-cdk-lib';
import { apiKeysTableName, usageTableName } from '../../lib/infrastructure/index.js';
import { APP_SLUG } from './stages.js';

/** The S3 prefix every job's files live under: `jobs/{job_id}/...` (platform contract). */
export const JOBS_PREFIX = 'jobs/';

/** Prefix of every physical name: short, because bucket names stop at 63 and function names at 64 characters. */
export const NAME_PREFIX = 'milmed';

export interface DataStoreNames {
  readonly jobsTable: string;
  readonly configurationsTable: string;
  /** API keys (hashes only): `key_id`, GSI `by-owner`. The name `milmed keys bootstrap` writes to. */
  readonly apiKeysTable: string;
  /** Per-key rate-limit and quota counters: `counter_id`, TTL `expires_at`. */
  readonly usageTable: string;
  /** Globally unique: account and region are CloudFormation pseudo parameters. */
  readonly resultsBucket: string;
  /**
   * SSM String parameter holding the ARN of the KMS key that seals job encryption passwords. A key has
   * no name of its own: the stateful stack writes its ARN here, the API stack reads it at deploy time.
   */
  readonly jobSecretsKeyParameter: string;
}

export function dataStoreNames(stage: string): DataStoreNames {
  return {
    jobsTable: `${NAME_PREFIX}-${stage}-jobs`,
    configurationsTable: `${NAME_PREFIX}-${stage}-configurations`,
    apiKeysTable: apiKeysTableName(stage),
    usageTable: usageTableName(stage),
    resultsBucket: `${NAME_PREFIX}-${stage}-results-${Aws.ACCOUNT_ID}-${Aws.REGION}`,
    jobSecretsKeyParameter: jobSecretsKeyParameterName(stage),
  };
}

/** `/milmed-patient-generator/<stage>/job-secrets-key-arn`. */
export function jobSecretsKeyParameterName(stage: string): string {
  return `/${APP_SLUG}/${stage}/job-secrets-key-arn`;
}

/**
 * The results bucket name as cdk-nag prints it in finding ids (pseudo parameters as `<AWS::...>`), used
 * to acknowledge the one unavoidable wildcard, the `jobs/*` object prefix.
 */
export function resultsBucketNagName(stage: string): string {
  return `${NAME_PREFIX}-${stage}-results-<AWS::AccountId>-<AWS::Region>`;
}

/** `milmed-<stage>-<route or queue handler name>`. */
export function functionName(stage: string, name: string): string {
  return `${NAME_PREFIX}-${stage}-${name}`;
}
