/**
 * Jobs in DynamoDB (platform contract): partition key job_id, GSI by-owner (owner, created_at).
 * State changes are conditional updates, so a job can never move from completed back to running;
 * lists query the GSI (never Scan). Every write that sets a status also keeps `active_status`: the
 * status while the job has not ended (pending, queued, running), removed when it ends, so the sparse
 * GSI by-active-status (active_status, updated_at) holds only live jobs, for the sweeper
 * (memory/decisions/0903-no-stuck-jobs.md). Idempotency keys live in the same table as items with a hashed
 * id and no `owner`, so they never appear in the owner index
 * (memory/decisions/0103-idempotency-keys.md).
 *
 * A fanned-out job (memory/decisions/0906-job-fan-out.md) counts its finished tasks in number sets
 * (`chunks_done`, `seals_done`): ADD of an element to a set with a NOT contains() condition is one
 * atomic write, so a task that runs twice counts once, with no read-modify-write. The domain sees the
 * sets as sorted arrays; an empty set cannot be stored, so an empty array is no attribute.
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

/** 'chunk' | 'seal' (lib/domain/job.ts TaskStage). */
type TaskStage = Parameters<JobRepository['countTaskDone']>[1];

/** The job attributes stored as number sets: the done sets of the fanned-out tasks. */
const NUMBER_SET_ATTRIBUTES = ['chunks_done', 'seals_done'] as const;
const DONE_SET: Readonly<Record<TaskStage, (typeof NUMBER_SET_ATTRIBUTES)[number]>> = {
  chunk: 'chunks_done',
  seal: 'seals_done',
};

/** A stored set (or a list written by hand) as the sorted array the domain reads. */
function sortedNumbers(value: unknown): number[] {
  const values = value instanceof Set || Array.isArray(value) ? [...value] : [];
  return values.map(Number).sort((a, b) => a - b);
}

/** The job as the domain knows it: the index attribute stays in the table, sets become arrays. */
function recordOf(item: Record<string, unknown>): JobRecord {
  const { [ACTIVE_STATUS_ATTRIBUTE]: _index, ...record } = item;
  for (const attribute of NUMBER_SET_ATTRIBUTES) {
    if (record[attribute] !== undefined) record[attribute] = sortedNumbers(record[attribute]);
  }
  return record as unknown as JobRecord;
}

/**
 * A done list as DynamoDB stores it: a number set, so countTaskDone can ADD to it; undefined for an
 * empty list (DynamoDB has no empty set).
 */
function numberSetOf(values: readonly number[] | undefined): Set<number> | undefined {
  return values && values.length > 0 ? new Set(values) : undefined;
}

/** The item written for a new job: the index attribute while it has not ended, sets as number sets. */
function itemOf(job: JobRecord): Record<string, unknown> {
  const item: Record<string, unknown> = { ...job };
  if (isActiveStatus(job.status)) item[ACTIVE_STATUS_ATTRIBUTE] = job.status;
  for (const attribute of NUMBER_SET_ATTRIBUTES) {
    const set = numberSetOf(job[attribute]);
    if (set) item[attribute] = set;
    else delete item[attribute];
  }
  return item;
}

function checkTaskIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`invalid task index ${index}`);
}

export class DynamoJobRepository implements JobRepository, IdleJobIndex {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: JobRecord): Promise<void> {
    await putNew(
      this.documents,
      this.tableName,
      itemOf(job),
      'job_id',
      `Job ${job.job_id} already exists`,
      'job',
    );
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
    const { Items = [], LastEvaluatedKey } = await this.documents.send(
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
    const { items, next_cursor } = pageOf(Items, page.limit, OWNER_INDEX_KEY, LastEvaluatedKey !== undefined);
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
    const removed: string[] = [...(changes.remove ?? [])];
    for (const [attribute, value] of Object.entries(changes.set)) {
      if (value === undefined) continue;
      let stored: unknown = value;
      if ((NUMBER_SET_ATTRIBUTES as readonly string[]).includes(attribute)) {
        // Done lists stay number sets (countTaskDone ADDs to them); an empty one is no attribute.
        stored = numberSetOf(value as readonly number[]);
        if (stored === undefined) {
          removed.push(attribute);
          continue;
        }
      }
      const i = n++;
      names[`#a${i}`] = attribute;
      values[`:v${i}`] = stored;
      sets.push(`#a${i} = :v${i}`);
    }
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
    if (condition.slotHeld) {
      names['#slotReleased'] = 'slot_released';
      conditions.push('attribute_not_exists(#slotReleased)');
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

  async countTaskDone(
    jobId: string,
    stage: TaskStage,
    index: number,
    planId: string,
    at: string,
  ): Promise<{ readonly applied: boolean; readonly record: JobRecord | undefined }> {
    checkTaskIndex(index);
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { job_id: jobId },
          UpdateExpression: 'ADD #done :index SET #updated = :at',
          // contains() of an absent set is false: the first task to finish creates it.
          ConditionExpression:
            '#status = :running AND #chunking.#plan = :plan AND NOT contains(#done, :element)',
          ExpressionAttributeNames: {
            '#done': DONE_SET[stage],
            '#updated': 'updated_at',
            '#status': 'status',
            '#chunking': 'chunking',
            '#plan': 'plan_id',
          },
          ExpressionAttributeValues: {
            ':index': new Set([index]),
            ':element': index,
            ':at': at,
            ':running': 'running',
            ':plan': planId,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { applied: true, record: Attributes ? recordOf(Attributes) : undefined };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A repeat, or a job no longer running this plan: the caller decides from the job as it is.
      return { applied: false, record: await this.get(jobId) };
    }
  }

  async recordChunkProgress(
    jobId: string,
    index: number,
    done: number,
    planId: string,
    at: string,
  ): Promise<boolean> {
    checkTaskIndex(index);
    const names = {
      '#progress': 'chunk_progress',
      '#updated': 'updated_at',
      '#status': 'status',
      '#chunking': 'chunking',
      '#plan': 'plan_id',
    };
    const running = '#status = :running AND #chunking.#plan = :plan';
    const values = { ':at': at, ':running': 'running', ':plan': planId };
    const inMap = (): Promise<boolean> =>
      this.conditionalUpdate({
        TableName: this.tableName,
        Key: { job_id: jobId },
        UpdateExpression: 'SET #progress.#index = :done, #updated = :at',
        ConditionExpression: `${running} AND attribute_exists(#progress)`,
        ExpressionAttributeNames: { ...names, '#index': String(index) },
        ExpressionAttributeValues: { ...values, ':done': done },
      });
    // A path into a map that does not exist is an error in DynamoDB, and one expression cannot both
    // create the map and set a path in it: the first write of a job creates the map.
    const newMap = (): Promise<boolean> =>
      this.conditionalUpdate({
        TableName: this.tableName,
        Key: { job_id: jobId },
        UpdateExpression: 'SET #progress = :progress, #updated = :at',
        ConditionExpression: `${running} AND attribute_not_exists(#progress)`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':progress': { [String(index)]: done } },
      });
    // When the map was created by another chunk between the two writes, the third one applies.
    return (await inMap()) || (await newMap()) || (await inMap());
  }

  /** Whether the update applied (false when its condition did not hold). */
  private async conditionalUpdate(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
    try {
      await this.documents.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
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
    return {
      claimed: false,
      jobId: String(Item.target_job_id),
      fingerprint: String(Item.fingerprint),
      stored: Item.job_stored === true,
    };
  }

  async confirmIdempotencyKey(owner: string, key: string): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { job_id: idempotencyItemId(owner, key) },
          UpdateExpression: 'SET job_stored = :true',
          ConditionExpression: 'attribute_exists(job_id)',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    } catch (error) {
      // A claim already expired and swept has nothing left to mark.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
