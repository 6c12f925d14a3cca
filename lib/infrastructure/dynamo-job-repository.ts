/**
 * Jobs in DynamoDB (platform contract): partition key job_id, GSI by-owner (owner, created_at).
 * State changes are conditional updates, so a job can never move from completed back to running;
 * lists query the GSI (never Scan). Every write that sets a status also keeps `active_status`: the
 * status while the job has not ended (pending, queued, running), removed when it ends, so the sparse
 * GSI by-active-status (active_status, updated_at) holds only live jobs, for the sweeper
 * (memory/decisions/0903-no-stuck-jobs.md). Idempotency keys live in the same table as items with a hashed
 * id and no `owner`, so they never appear in the owner index
 * (memory/decisions/0103-idempotency-keys.md).
 */
import { createHash } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ActiveJobStatus,
  type IdempotencyClaim,
  type IdleJob,
  type IdleJobIndex,
  isActiveStatus,
  type JobChanges,
  type JobCondition,
  type JobRecord,
  type JobRepository,
  type Page,
  type PageRequest,
} from '../domain/index.js';
import { decodeCursor, encodeCursor, keyOf, pageOf } from './cursor.js';
import { isConditionFailure, putNew } from './dynamo-conditions.js';

export const JOBS_OWNER_INDEX = 'by-owner';
const OWNER_INDEX_KEY = { job_id: 'string', owner: 'string', created_at: 'string' } as const;
/** Sparse GSI of the jobs that have not ended: partition `active_status`, sort `updated_at`, keys only. */
export const JOBS_ACTIVE_INDEX = 'by-active-status';
/** The attribute only a job that has not ended carries (its status); the index's partition key. */
export const ACTIVE_STATUS_ATTRIBUTE = 'active_status';
const ACTIVE_INDEX_KEY = { job_id: 'string', active_status: 'string', updated_at: 'string' } as const;
const IDEMPOTENCY_ITEM = 'idempotency';

export function idempotencyItemId(owner: string, key: string): string {
  return `idempotency#${createHash('sha256').update(`${owner}\n${key}`).digest('hex')}`;
}

function isJob(item: Record<string, unknown> | undefined): item is Record<string, unknown> & JobRecord {
  return item !== undefined && item.item_type !== IDEMPOTENCY_ITEM && typeof item.owner === 'string';
}

/** The job as the domain knows it: the index attribute stays in the table. */
function recordOf(item: Record<string, unknown>): JobRecord {
  const { [ACTIVE_STATUS_ATTRIBUTE]: _index, ...record } = item;
  return record as unknown as JobRecord;
}

export class DynamoJobRepository implements JobRepository, IdleJobIndex {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: JobRecord): Promise<void> {
    const item = isActiveStatus(job.status) ? { ...job, [ACTIVE_STATUS_ATTRIBUTE]: job.status } : job;
    await putNew(this.documents, this.tableName, item, 'job_id', `Job ${job.job_id} already exists`, 'job');
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { job_id: jobId }, ConsistentRead: true }),
    );
    return isJob(Item) ? recordOf(Item) : undefined;
  }

  async listIdle(status: ActiveJobStatus, before: string, page: PageRequest): Promise<Page<IdleJob>> {
    const start = page.cursor
      ? decodeCursor(page.cursor, ACTIVE_INDEX_KEY, { active_status: status })
      : undefined;
    const { Items = [], LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: JOBS_ACTIVE_INDEX,
        KeyConditionExpression: '#active = :status AND #updated < :before',
        ExpressionAttributeNames: { '#active': ACTIVE_STATUS_ATTRIBUTE, '#updated': 'updated_at' },
        ExpressionAttributeValues: { ':status': status, ':before': before },
        ScanIndexForward: true,
        Limit: page.limit,
        ExclusiveStartKey: start,
      }),
    );
    const items = Items.map((item) => ({
      job_id: String(item.job_id),
      status,
      updated_at: String(item.updated_at),
    }));
    return {
      items,
      next_cursor: LastEvaluatedKey ? encodeCursor(keyOf(LastEvaluatedKey, ACTIVE_INDEX_KEY)) : null,
    };
  }

  async listByOwner(owner: string, page: PageRequest): Promise<Page<JobRecord>> {
    const start = page.cursor ? decodeCursor(page.cursor, OWNER_INDEX_KEY, { owner }) : undefined;
    // One item more than asked tells whether another page exists, so the last page has no cursor.
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: JOBS_OWNER_INDEX,
        KeyConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
        ScanIndexForward: false,
        Limit: page.limit + 1,
        ExclusiveStartKey: start,
      }),
    );
    const { items, next_cursor } = pageOf(Items, page.limit, OWNER_INDEX_KEY);
    return { items: items.map(recordOf), next_cursor };
  }

  async update(
    jobId: string,
    changes: JobChanges,
    condition: JobCondition = {},
  ): Promise<JobRecord | undefined> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    let n = 0;
    for (const [attribute, value] of Object.entries(changes.set)) {
      if (value === undefined) continue;
      const i = n++;
      names[`#a${i}`] = attribute;
      values[`:v${i}`] = value;
      sets.push(`#a${i} = :v${i}`);
    }
    const removed: string[] = [...(changes.remove ?? [])];
    // The sparse index follows the status: a job that has not ended carries it, an ended one does not.
    const status = changes.set.status;
    if (status !== undefined) {
      if (isActiveStatus(status)) {
        names['#active'] = ACTIVE_STATUS_ATTRIBUTE;
        values[':active'] = status;
        sets.push('#active = :active');
      } else {
        removed.push(ACTIVE_STATUS_ATTRIBUTE);
      }
    }
    const removes = removed.map((attribute) => {
      const i = n++;
      names[`#a${i}`] = attribute;
      return `#a${i}`;
    });
    let expression = '';
    if (sets.length > 0) expression += `SET ${sets.join(', ')} `;
    if (removes.length > 0) expression += `REMOVE ${removes.join(', ')} `;
    if (changes.incrementAttempts) {
      names['#attempts'] = 'attempts';
      values[':one'] = 1;
      expression += 'ADD #attempts :one';
    }
    if (!expression) throw new RangeError('update without changes');

    const conditions = ['attribute_exists(job_id)'];
    if (condition.statusIn || condition.orRunningStaleBefore || condition.orFailedAwaitingRetry) {
      names['#status'] = 'status';
      const alternatives: string[] = [];
      if (condition.statusIn && condition.statusIn.length > 0) {
        const list = condition.statusIn.map((status, i) => {
          values[`:s${i}`] = status;
          return `:s${i}`;
        });
        alternatives.push(`#status IN (${list.join(', ')})`);
      }
      if (condition.orRunningStaleBefore) {
        names['#updated'] = 'updated_at';
        values[':running'] = 'running';
        values[':stale'] = condition.orRunningStaleBefore;
        alternatives.push('(#status = :running AND #updated < :stale)');
      }
      if (condition.orFailedAwaitingRetry !== undefined) {
        // lib/domain/job.ts awaitsRetry: it ran at least once and fewer times than it may.
        names['#tries'] = 'attempts';
        values[':failed'] = 'failed';
        values[':oneTry'] = 1;
        values[':maxTries'] = condition.orFailedAwaitingRetry;
        alternatives.push('(#status = :failed AND #tries >= :oneTry AND #tries < :maxTries)');
      }
      conditions.push(`(${alternatives.join(' OR ')})`);
    }
    if (condition.updatedBefore !== undefined) {
      names['#updatedAt'] = 'updated_at';
      values[':updatedBefore'] = condition.updatedBefore;
      conditions.push('#updatedAt < :updatedBefore');
    }
    if (condition.runId !== undefined) {
      names['#run'] = 'run_id';
      values[':run'] = condition.runId;
      conditions.push('#run = :run');
    }
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { job_id: jobId },
          UpdateExpression: expression.trim(),
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? recordOf(Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async delete(jobId: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { job_id: jobId } }));
  }

  async claimIdempotencyKey(
    owner: string,
    key: string,
    jobId: string,
    fingerprint: string,
    ttlSeconds: number,
  ): Promise<IdempotencyClaim> {
    const id = idempotencyItemId(owner, key);
    const now = Math.floor(Date.now() / 1000);
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            job_id: id,
            item_type: IDEMPOTENCY_ITEM,
            target_job_id: jobId,
            fingerprint,
            created_at: new Date(now * 1000).toISOString(),
            expires_at: now + ttlSeconds,
          },
          // An expired claim may still be there until DynamoDB's TTL sweeper removes it.
          ConditionExpression: 'attribute_not_exists(job_id) OR expires_at < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { job_id: id }, ConsistentRead: true }),
    );
    if (!Item) return this.claimIdempotencyKey(owner, key, jobId, fingerprint, ttlSeconds);
    return { claimed: false, jobId: String(Item.target_job_id), fingerprint: String(Item.fingerprint) };
  }
}
