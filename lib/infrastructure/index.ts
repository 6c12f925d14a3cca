export { type AwsClients, awsClients, createAwsClients } from './clients.js';
export { type CursorKey, decodeCursor, encodeCursor } from './cursor.js';
export { DynamoApiKeyRepository } from './dynamo-api-key-repository.js';
export {
  CONFIGURATIONS_OWNER_INDEX,
  DynamoConfigurationRepository,
} from './dynamo-configuration-repository.js';
export {
  ACTIVE_STATUS_ATTRIBUTE,
  DynamoJobRepository,
  idempotencyItemId,
  JOBS_ACTIVE_INDEX,
  JOBS_OWNER_INDEX,
} from './dynamo-job-repository.js';
export {
  activeCounterId,
  DynamoUsageCounters,
  dayCounterId,
  minuteCounterId,
  USAGE_RETENTION_DAYS,
  utcDay,
} from './dynamo-usage-counters.js';
export { assertItemFits, itemSize, MAX_ITEM_BYTES } from './item-size.js';
export { API_KEYS_OWNER_INDEX, apiKeysTableName, usageTableName } from './key-table-names.js';
export { KMS_SEALED_PREFIX, KmsSealer, type KmsSealerOptions } from './kms-sealer.js';
export {
  generateSealingKey,
  LOCAL_SEALED_PREFIX,
  LocalKeySealer,
  SEALING_KEY_BYTES,
} from './local-key-sealer.js';
export { DEFAULT_PRESIGN_SECONDS, PART_SIZE, S3ResultStore, UPLOAD_QUEUE_SIZE } from './s3-result-store.js';
export { SealedSecretError, sealingContextBytes } from './sealed-secret.js';
export { createSealer, type SealerSource } from './secret-sealer.js';
export { type GenerationMessage, SqsJobQueue } from './sqs-job-queue.js';
