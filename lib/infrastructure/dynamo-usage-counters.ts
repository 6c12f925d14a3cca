/**
 * A key's usage counters in the usage table (partition key `counter_id`, TTL `expires_at` in epoch
 * seconds; lib/infrastructure/key-table-names.ts). Every check is one conditional UpdateItem that adds
 * and compares in the same write, so concurrent requests can never push a counter past its limit;
 * nothing reads, decides, then writes (dynalite has no transactions, so none are used).
 *
 * Items:
 * - `rpm#<key>#<epoch minute>` {n}: requests in one fixed UTC minute; lives two minutes past it.
 * - `day#<key>#<YYYY-MM-DD>` {requests, jobs, patients}: one UTC day's use; lives 400 days so the
 *   admin API can show it. A request refused by the per-minute limit still counts in `requests`: it
 *   was made with the key, and usage shows what a key did, not only what it was allowed.
 * - `active#<key>` {active}: jobs queued or running; no TTL (a job holds its slot until it ends).
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  JobReservation,
  KeyLimits,
  KeyUsageDay,
  RequestAllowance,
  UsageCounters,
} from '../domain/index.js';
import { isConditionFailure } from './dynamo-conditions.js';

const MINUTE_MS = 60_000;
const DAY_SECONDS = 86_400;
/** A minute's counter outlives its window by this much (TTL deletion is late anyway: never early). */
const MINUTE_COUNTER_LIFETIME_SECONDS = 120;
/** Day items stay readable for this long after their day. */
export const USAGE_RETENTION_DAYS = 400;
/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_MAX = 100;
/** How often a refused day reservation is tried again when the counters read back show room. */
const DAY_RESERVE_ATTEMPTS = 3;

export function minuteCounterId(keyId: string, epochMinute: number): string {
  return `rpm#${keyId}#${epochMinute}`;
}

export function dayCounterId(keyId: string, day: string): string {
  return `day#${keyId}#${day}`;
}

export function activeCounterId(keyId: string): string {
  return `active#${keyId}`;
}

/** The UTC day (YYYY-MM-DD) of an instant. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function dayExpiry(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + (USAGE_RETENTION_DAYS + 1) * DAY_SECONDS;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export class DynamoUsageCounters implements UsageCounters {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async countRequest(keyId: string, requestsPerMinute: number, now: Date): Promise<RequestAllowance> {
    const minute = Math.floor(now.getTime() / MINUTE_MS);
    const windowEnd = (minute + 1) * MINUTE_MS;
    const resetSeconds = Math.min(60, Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)));
    const [used] = await Promise.all([
      this.addWithin(minuteCounterId(keyId, minute), requestsPerMinute, windowEnd),
      this.addToDay(keyId, utcDay(now), { requests: 1 }),
    ]);
    if (used === undefined) return { allowed: false, limit: requestsPerMinute, remaining: 0, resetSeconds };
    return {
      allowed: true,
      limit: requestsPerMinute,
      remaining: Math.max(0, requestsPerMinute - used),
      resetSeconds,
    };
  }

  /** Adds one request to the minute's counter if it is below `limit`; the new count, or undefined. */
  private async addWithin(
    counterId: string,
    limit: number,
    windowEndMs: number,
  ): Promise<number | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { counter_id: counterId },
          UpdateExpression: 'ADD #n :one SET #exp = :exp',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
          ExpressionAttributeNames: { '#n': 'n', '#exp': 'expires_at' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':exp': Math.floor(windowEndMs / 1000) + MINUTE_COUNTER_LIFETIME_SECONDS,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return numberOf(Attributes?.n);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** Adds to a day's counters unconditionally (requests are counted, never refused, here). */
  private async addToDay(keyId: string, day: string, amounts: Record<string, number>): Promise<void> {
    const names: Record<string, string> = { '#exp': 'expires_at' };
    const values: Record<string, unknown> = { ':exp': dayExpiry(day) };
    const adds = Object.entries(amounts).map(([attribute, amount], i) => {
      names[`#c${i}`] = attribute;
      values[`:c${i}`] = amount;
      return `#c${i} :c${i}`;
    });
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { counter_id: dayCounterId(keyId, day) },
        UpdateExpression: `ADD ${adds.join(', ')} SET #exp = :exp`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async reserveJob(keyId: string, limits: KeyLimits, patients: number, now: Date): Promise<JobReservation> {
    const slot = await this.takeSlot(keyId, limits.max_concurrent_jobs);
    if (!slot.ok) return slot;
    let day: JobReservation;
    try {
      day = await this.addJobToDay(keyId, utcDay(now), limits, patients);
    } catch (error) {
      await this.releaseJob(keyId).catch(() => undefined);
      throw error;
    }
    if (!day.ok) await this.releaseJob(keyId);
    return day;
  }

  /** One more job queued or running, if fewer than `max` are. */
  private async takeSlot(keyId: string, max: number): Promise<JobReservation> {
    const counterId = activeCounterId(keyId);
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { counter_id: counterId },
          UpdateExpression: 'ADD #active :one',
          ConditionExpression: 'attribute_not_exists(#active) OR #active < :max',
          ExpressionAttributeNames: { '#active': 'active' },
          ExpressionAttributeValues: { ':one': 1, ':max': max },
        }),
      );
      return { ok: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // dynalite has no ReturnValuesOnConditionCheckFailure: read what refused the update.
    const item = await this.read(counterId);
    return { ok: false, limit: 'max_concurrent_jobs', value: max, used: numberOf(item?.active) };
  }

  /** Adds one job and its patients to the day, if both stay within the day's quotas. */
  private async addJobToDay(
    keyId: string,
    day: string,
    limits: KeyLimits,
    patients: number,
  ): Promise<JobReservation> {
    const counterId = dayCounterId(keyId, day);
    const patientRefusal = (used: number): JobReservation => ({
      ok: false,
      limit: 'daily_patient_quota',
      value: limits.daily_patient_quota,
      used,
    });
    // A job larger than the whole quota never fits; the condition below could not say so on a new day.
    if (patients > limits.daily_patient_quota) {
      return patientRefusal(numberOf((await this.read(counterId))?.patients));
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { counter_id: counterId },
            UpdateExpression: 'ADD #jobs :one, #patients :n SET #exp = :exp',
            ConditionExpression:
              '(attribute_not_exists(#jobs) OR #jobs < :jobMax) AND ' +
              '(attribute_not_exists(#patients) OR #patients <= :patientRoom)',
            ExpressionAttributeNames: { '#jobs': 'jobs', '#patients': 'patients', '#exp': 'expires_at' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':n': patients,
              ':jobMax': limits.daily_job_quota,
              ':patientRoom': limits.daily_patient_quota - patients,
              ':exp': dayExpiry(day),
            },
          }),
        );
        return { ok: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const item = await this.read(counterId);
      const jobs = numberOf(item?.jobs);
      const used = numberOf(item?.patients);
      if (jobs >= limits.daily_job_quota) {
        return { ok: false, limit: 'daily_job_quota', value: limits.daily_job_quota, used: jobs };
      }
      // The counters moved between the refusal and the read (a refund): try again while there is room.
      if (used + patients > limits.daily_patient_quota || attempt >= DAY_RESERVE_ATTEMPTS) {
        return patientRefusal(used);
      }
    }
  }

  async releaseJob(keyId: string): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { counter_id: activeCounterId(keyId) },
          UpdateExpression: 'ADD #active :minusOne',
          ConditionExpression: '#active > :zero',
          ExpressionAttributeNames: { '#active': 'active' },
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        }),
      );
    } catch (error) {
      // Already at zero (or never counted): a release never goes below it.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async refundJob(keyId: string, patients: number, reservedAt: Date): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { counter_id: dayCounterId(keyId, utcDay(reservedAt)) },
          UpdateExpression: 'ADD #jobs :minusOne, #patients :minusN',
          ConditionExpression: '#jobs > :zero AND #patients >= :n',
          ExpressionAttributeNames: { '#jobs': 'jobs', '#patients': 'patients' },
          ExpressionAttributeValues: { ':minusOne': -1, ':minusN': -patients, ':zero': 0, ':n': patients },
        }),
      );
    } catch (error) {
      // Nothing of that size was counted that day (the item expired, or it was refunded already).
      if (!isConditionFailure(error)) throw error;
    }
  }

  async usage(keyId: string, days: readonly string[]): Promise<KeyUsageDay[]> {
    const found = new Map<string, Record<string, unknown>>();
    const ids = [...new Set(days.map((day) => dayCounterId(keyId, day)))];
    for (let start = 0; start < ids.length; start += BATCH_GET_MAX) {
      let keys: Record<string, unknown>[] = ids
        .slice(start, start + BATCH_GET_MAX)
        .map((id) => ({ counter_id: id }));
      // Unprocessed keys (throttling) are asked again, after a short pause, until every one is answered.
      for (let round = 0; keys.length > 0; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** round)));
        const { Responses, UnprocessedKeys } = await this.documents.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of Responses?.[this.tableName] ?? []) found.set(String(item.counter_id), item);
        keys = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return days.map((day) => {
      const item = found.get(dayCounterId(keyId, day));
      return {
        day,
        requests: numberOf(item?.requests),
        jobs: numberOf(item?.jobs),
        patients: numberOf(item?.patients),
      };
    });
  }

  private async read(counterId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { counter_id: counterId }, ConsistentRead: true }),
    );
    return Item;
  }
}
