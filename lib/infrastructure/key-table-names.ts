/**
 * Physical names of a stage's key tables, shared by the CDK stacks (infra/config/resource-names.ts),
 * the local stack and `milmed keys bootstrap`, which writes the first admin key of a stage straight
 * into its table (memory/reference/platform-contract.md).
 */
const NAME_PREFIX = 'milmed';

/** Partition key `key_id`; GSI `by-owner` (`owner`, `created_at`). */
export function apiKeysTableName(stage: string): string {
  return `${NAME_PREFIX}-${stage}-api-keys`;
}

/** Partition key `counter_id`; TTL attribute `expires_at`. */
export function usageTableName(stage: string): string {
  return `${NAME_PREFIX}-${stage}-usage`;
}

export const API_KEYS_OWNER_INDEX = 'by-owner';
