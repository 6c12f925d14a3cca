/**
 * Least-privilege IAM statements on the stateful resources, addressed by their fixed names: exact
 * actions, the `by-owner` index by name, and objects under `jobs/` only. Used instead of the CDK
 * `grant*` helpers, whose action groups (`s3:GetObject*`, `s3:List*`) and `index/*` are wider.
 */
import { Aws, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { IConstruct } from 'constructs';
import type { DataAccess } from '../../functions/routes.js';
import { JOBS_ACTIVE_INDEX } from '../../lib/infrastructure/index.js';
import { type DataStoreNames, JOBS_PREFIX, resultsBucketNagName } from '../config/index.js';

export type ResultsAccess = 'read' | 'read-delete' | 'read-write';
/** A route's DataAccess, or the generator's `read-update`. */
export type TableAccess = DataAccess | 'read-update';

/**
 * The calls the repositories make (lib/infrastructure): GetItem and Query to read; PutItem, UpdateItem,
 * DeleteItem and BatchWriteItem (deleting a configuration's versions) to write. Nothing scans.
 */
const TABLE_ACTIONS: Record<TableAccess, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  'read-write': [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
  // The generator reads its job and writes progress and the outcome onto it, by key only.
  'read-update': ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
};
const OBJECT_ACTIONS: Record<ResultsAccess, string[]> = {
  read: ['s3:GetObject'],
  'read-delete': ['s3:GetObject', 's3:DeleteObject'],
  'read-write': ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
};
/**
 * The keys table (lib/infrastructure/dynamo-api-key-repository.ts). `lookup` is the authorizer's one
 * call, a key by id; `read` lists by owner (index) or across owners (Scan) and shows one key; writes
 * (create, rotate, revoke) go by id, and keys are revoked, never deleted.
 */
export type KeysAccess = DataAccess | 'lookup';
const KEYS_ACTIONS: Record<KeysAccess, string[]> = {
  lookup: ['dynamodb:GetItem'],
  read: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
  'read-write': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
};
/**
 * The usage table (lib/infrastructure/dynamo-usage-counters.ts): `count` for every authenticated
 * function (conditional UpdateItem on rate-limit and quota counters, GetItem to read what refused an
 * update, BatchGetItem for a key's usage days); `release` for the generator, the DLQ consumer and the
 * sweeper, which give back a job's running slot when they end the job.
 */
export type UsageAccess = 'count' | 'release';
const USAGE_ACTIONS: Record<UsageAccess, string[]> = {
  count: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
  release: ['dynamodb:UpdateItem'],
};
const GSI_NAME = 'by-owner';
/** What the create-generation-job function and the generator do with the job secrets key. */
export type JobSecretsUse = 'seal' | 'unseal';
const KMS_ACTIONS: Record<JobSecretsUse, string> = { seal: 'kms:Encrypt', unseal: 'kms:Decrypt' };

export class DataStoreGrants {
  private readonly bucketArn: string;

  constructor(
    private readonly scope: IConstruct,
    private readonly names: DataStoreNames,
    private readonly stage: string,
  ) {
    this.bucketArn = `arn:${Aws.PARTITION}:s3:::${names.resultsBucket}`;
  }

  /**
   * ARN of the KMS key that seals job encryption passwords, read from SSM at deploy time (the stateful
   * stack writes it): the value of SEALING_KEY_ID.
   */
  get jobSecretsKeyArn(): string {
    return StringParameter.valueForStringParameter(Stack.of(this.scope), this.names.jobSecretsKeyParameter);
  }

  /**
   * kms:Encrypt (seal) or kms:Decrypt (unseal) on that one key, only with an encryption context made of
   * `job_id` alone: the context the domain seals with (lib/domain SecretSealer).
   */
  grantJobSecrets(grantee: IGrantable, use: JobSecretsUse | undefined): void {
    if (!use) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [KMS_ACTIONS[use]],
        resources: [this.jobSecretsKeyArn],
        conditions: {
          Null: { 'kms:EncryptionContext:job_id': 'false' },
          'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['job_id'] },
        },
      }),
    );
  }

  private tableArns(tableName: string): string[] {
    const arn = Stack.of(this.scope).formatArn({
      service: 'dynamodb',
      resource: 'table',
      resourceName: tableName,
    });
    return [arn, `${arn}/index/${GSI_NAME}`];
  }

  grantTable(grantee: IGrantable, table: 'jobs' | 'configurations', access: TableAccess | undefined): void {
    if (!access) return;
    const tableName = table === 'jobs' ? this.names.jobsTable : this.names.configurationsTable;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: TABLE_ACTIONS[access],
        // The by-owner index only for the routes that list; the generator reads its job by key.
        resources:
          access === 'read-update' ? this.tableArns(tableName).slice(0, 1) : this.tableArns(tableName),
      }),
    );
  }

  /**
   * The stale-job sweeper (lib/domain/stuck-jobs.ts): Query on the jobs table's sparse
   * by-active-status index (keys only) and a conditional UpdateItem of each job by key; no read of
   * an item, no other index.
   */
  grantSweep(grantee: IGrantable): void {
    const [table] = this.tableArns(this.names.jobsTable);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table}/index/${JOBS_ACTIVE_INDEX}`],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [table] }),
    );
  }

  /** The API keys table; the by-owner index only for `read` (the routes that list). */
  grantKeys(grantee: IGrantable, access: KeysAccess | undefined): void {
    if (!access) return;
    const arns = this.tableArns(this.names.apiKeysTable);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: KEYS_ACTIONS[access],
        resources: access === 'read' ? arns : arns.slice(0, 1),
      }),
    );
  }

  /** The usage counters table, by key only (it has no index). */
  grantUsage(grantee: IGrantable, access: UsageAccess | undefined): void {
    if (!access) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: USAGE_ACTIONS[access],
        resources: this.tableArns(this.names.usageTable).slice(0, 1),
      }),
    );
  }

  /**
   * Objects under `jobs/` plus ListBucket limited to that prefix (without ListBucket a missing object
   * reads as 403, not 404). `grantee` is also where the `jobs/*` wildcard finding is acknowledged.
   */
  grantResults(grantee: IGrantable & IConstruct, access: ResultsAccess | undefined): void {
    if (!access) return;
    const principal = grantee.grantPrincipal;
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${JOBS_PREFIX}*`] } },
      }),
    );
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: OBJECT_ACTIONS[access],
        resources: [`${this.bucketArn}/${JOBS_PREFIX}*`],
      }),
    );
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${resultsBucketNagName(this.stage)}/${JOBS_PREFIX}*]`,
      reason: 'Job files have run-time keys; access is limited to the jobs/ prefix of the results bucket.',
    });
  }
}
