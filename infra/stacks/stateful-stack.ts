/**
 * The stateful stack `<App>-<stage>-stateful`: everything that holds data and outlives deployments of
 * code — the jobs and configurations tables, the API keys table and the per-key usage counters, the
 * results bucket (names and keys: platform contract), and the KMS key that seals the encryption
 * passwords stored on jobs (memory/decisions/0105).
 * Fixed physical names (infra/config/resource-names.ts) let the API stack find them without
 * CloudFormation exports; prod retains them when a stack is deleted.
 */
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  type TableProps,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import {
  type DataStoreNames,
  dataStoreNames,
  JOBS_PREFIX,
  type KeyAttribute,
  type StageConfig,
  TABLE_SCHEMAS,
  type TableSchema,
} from '../config/index.js';
import { giveAutoDeleteObjectsALogGroup } from '../constructs/auto-delete-objects-logs.js';

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

export class StatefulStack extends Stack {
  readonly jobsTable: Table;
  readonly configurationsTable: Table;
  /** API keys: id, owner, scopes, limits and the SHA-256 of the secret, never the secret. */
  readonly apiKeysTable: Table;
  /** Rate-limit and quota counters per key; they expire by TTL. */
  readonly usageTable: Table;
  readonly resultsBucket: Bucket;
  /** Seals job encryption passwords (SEALING_KEY_ID of the generation and generator functions). */
  readonly jobSecretsKey: Key;
  /** What the API stack needs to find these resources: their fixed names. */
  readonly names: DataStoreNames;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.names = dataStoreNames(config.stage);

    const tableDefaults = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.deletionProtection,
      removalPolicy: config.removalPolicy,
    } as const;

    this.jobsTable = tableFromSchema(this, 'JobsTable', TABLE_SCHEMAS.jobs, {
      ...tableDefaults,
      tableName: this.names.jobsTable,
    });
    this.configurationsTable = tableFromSchema(this, 'ConfigurationsTable', TABLE_SCHEMAS.configurations, {
      ...tableDefaults,
      tableName: this.names.configurationsTable,
    });
    // Keys are data like jobs: PITR, and retained and deletion-protected where the stage says so.
    this.apiKeysTable = tableFromSchema(this, 'ApiKeysTable', TABLE_SCHEMAS.apiKeys, {
      ...tableDefaults,
      tableName: this.names.apiKeysTable,
    });
    // Counters live a minute or a day (TTL); restoring old counts would serve nobody, so no PITR.
    const { pointInTimeRecoverySpecification: _noPitr, ...counterDefaults } = tableDefaults;
    this.usageTable = tableFromSchema(this, 'UsageTable', TABLE_SCHEMAS.usage, {
      ...counterDefaults,
      tableName: this.names.usageTable,
    });
    Validations.of(this.usageTable).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'Short-lived rate-limit and quota counters that expire by TTL; a point-in-time restore of counts has no use.',
    });

    const destroy = config.removalPolicy === RemovalPolicy.DESTROY;
    this.resultsBucket = new Bucket(this, 'ResultsBucket', {
      bucketName: this.names.resultsBucket,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: config.removalPolicy,
      // A bucket with objects cannot be deleted; stages that DESTROY empty it first.
      autoDeleteObjects: destroy,
      lifecycleRules: [
        // The same retention as the job records' TTL (JOB_RETENTION_DAYS): a job and its files go together.
        { id: 'expire-job-files', prefix: JOBS_PREFIX, expiration: config.jobRetention },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    Validations.of(this.resultsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Job files are synthetic, short-lived (lifecycle expiry) and reached only through presigned URLs issued by the API, whose access log records every download.',
    });

    // Lives with the jobs table: a sealed password on a stored job must outlive redeploys of the API.
    this.jobSecretsKey = new Key(this, 'JobSecretsKey', {
      description: `Seals the encryption passwords of generation jobs (${config.stage}) for their trip to the generator`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
    });
    new StringParameter(this, 'JobSecretsKeyArn', {
      parameterName: this.names.jobSecretsKeyParameter,
      description: 'ARN of the KMS key that seals job encryption passwords (read by the API stack)',
      stringValue: this.jobSecretsKey.keyArn,
    });
    giveAutoDeleteObjectsALogGroup(this, {
      logRetention: config.logRetention,
      logRemovalPolicy: config.removalPolicy,
    });
  }
}

function cdkAttribute(key: KeyAttribute): Attribute {
  return { name: key.name, type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING };
}

/** A table with the keys, indexes and TTL of its schema (infra/config/table-schemas.ts), and `props`. */
function tableFromSchema(
  scope: Construct,
  id: string,
  schema: TableSchema,
  props: Omit<TableProps, 'partitionKey'>,
): Table {
  const table = new Table(scope, id, {
    ...props,
    partitionKey: cdkAttribute(schema.partitionKey),
    sortKey: schema.sortKey && cdkAttribute(schema.sortKey),
    timeToLiveAttribute: schema.ttlAttribute,
  });
  for (const index of schema.indexes)
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: cdkAttribute(index.partitionKey),
      sortKey: index.sortKey && cdkAttribute(index.sortKey),
      projectionType: index.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
    });
  return table;
}
