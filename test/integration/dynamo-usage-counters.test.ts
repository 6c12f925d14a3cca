/**
 * DynamoUsageCounters against the globalSetup's DynamoDB emulator: every limit holds under
 * concurrency (one conditional UpdateItem per check, no read-modify-write), releases never go below
 * zero, refused reservations leave nothing counted, and usage is read back per UTC day.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type KeyLimits, STANDARD_KEY_LIMITS } from '../../lib/domain/index.js';
import {
  activeCounterId,
  createAwsClients,
  DynamoUsageCounters,
  dayCounterId,
  minuteCounterId,
  USAGE_RETENTION_DAYS,
} from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';

const env = useAwsEnv();
const documents = createAwsClients().documents;
const table = env.USAGE_TABLE;
const counters = new DynamoUsageCounters(documents, table);

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A fresh key id per test, so tests sharing the table never see each other's counters. */
function newKeyId(): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += BASE32[Math.floor(Math.random() * 32)];
  return id;
}

function limits(overrides: Partial<KeyLimits>): KeyLimits {
  return { ...STANDARD_KEY_LIMITS, ...overrides };
}

async function item(counterId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: table, Key: { counter_id: counterId }, ConsistentRead: true }),
  );
  return Item;
}

const NOON = new Date('2031-03-14T12:00:15.000Z');

describe('DynamoUsageCounters.countRequest', () => {
  it('allows exactly the limit of 100 concurrent requests in one minute and refuses the rest', async () => {
    // Prepare
    const keyId = newKeyId();
    // Act
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => counters.countRequest(keyId, 20, NOON)),
    );
    // Assert
    const allowed = answers.filter((a) => a.allowed);
    expect(allowed).toHaveLength(20);
    expect(allowed.map((a) => a.remaining).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    expect(answers.filter((a) => !a.allowed).every((a) => a.remaining === 0 && a.limit === 20)).toBe(true);
    expect((await item(minuteCounterId(keyId, Math.floor(NOON.getTime() / 60_000))))?.n).toBe(20);
  });

  it('counts every request, refused ones too, in the day usage', async () => {
    // Prepare
    const keyId = newKeyId();
    // Act
    for (let i = 0; i < 5; i++) await counters.countRequest(keyId, 3, NOON);
    const [day] = await counters.usage(keyId, ['2031-03-14']);
    // Assert
    expect(day).toEqual({ day: '2031-03-14', requests: 5, jobs: 0, patients: 0 });
  });

  it('starts a new window each UTC minute and reports the seconds until the window resets', async () => {
    // Prepare
    const keyId = newKeyId();
    const late = new Date('2031-03-14T12:00:59.500Z');
    const next = new Date('2031-03-14T12:01:00.000Z');
    // Act
    const first = await counters.countRequest(keyId, 1, NOON);
    const refused = await counters.countRequest(keyId, 1, late);
    const nextMinute = await counters.countRequest(keyId, 1, next);
    // Assert
    expect(first).toEqual({ allowed: true, limit: 1, remaining: 0, resetSeconds: 45 });
    expect(refused).toEqual({ allowed: false, limit: 1, remaining: 0, resetSeconds: 1 });
    expect(nextMinute).toEqual({ allowed: true, limit: 1, remaining: 0, resetSeconds: 60 });
  });

  it('lets a minute counter expire two minutes after its window and a day item after the retention', async () => {
    // Prepare
    const keyId = newKeyId();
    const minute = Math.floor(NOON.getTime() / 60_000);
    // Act
    await counters.countRequest(keyId, 10, NOON);
    const minuteItem = await item(minuteCounterId(keyId, minute));
    const dayItem = await item(dayCounterId(keyId, '2031-03-14'));
    // Assert
    expect(minuteItem?.expires_at).toBe((minute + 1) * 60 + 120);
    const dayStart = Date.parse('2031-03-14T00:00:00Z') / 1000;
    expect(dayItem?.expires_at).toBe(dayStart + (USAGE_RETENTION_DAYS + 1) * 86_400);
  });
});

describe('DynamoUsageCounters.reserveJob', () => {
  it('grants exactly max_concurrent_jobs of 100 concurrent reservations', async () => {
    // Prepare
    const keyId = newKeyId();
    const keyLimits = limits({ max_concurrent_jobs: 5 });
    // Act
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => counters.reserveJob(keyId, keyLimits, 10, NOON)),
    );
    // Assert
    expect(answers.filter((a) => a.ok)).toHaveLength(5);
    const refused = answers.filter((a) => !a.ok);
    expect(refused).toHaveLength(95);
    expect(refused[0]).toEqual({ ok: false, limit: 'max_concurrent_jobs', value: 5, used: 5 });
    expect((await item(activeCounterId(keyId)))?.active).toBe(5);
    const [day] = await counters.usage(keyId, ['2031-03-14']);
    expect(day).toMatchObject({ jobs: 5, patients: 50 });
  });

  it('never lets concurrent reservations pass the daily patient quota, and gives back the slots it refuses', async () => {
    // Prepare
    const keyId = newKeyId();
    const keyLimits = limits({ max_concurrent_jobs: 1000, daily_patient_quota: 95 });
    // Act
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => counters.reserveJob(keyId, keyLimits, 7, NOON)),
    );
    // Assert
    expect(answers.filter((a) => a.ok)).toHaveLength(13); // 13 × 7 = 91 ≤ 95 < 98
    const refused = answers.filter((a) => !a.ok);
    expect(refused.every((a) => !a.ok && a.limit === 'daily_patient_quota' && a.value === 95)).toBe(true);
    expect(refused.every((a) => !a.ok && a.used === 91)).toBe(true);
    const [day] = await counters.usage(keyId, ['2031-03-14']);
    expect(day).toMatchObject({ jobs: 13, patients: 91 });
    expect((await item(activeCounterId(keyId)))?.active).toBe(13);
  });

  it('refuses the job after the daily job quota with the jobs used, leaving nothing counted', async () => {
    // Prepare
    const keyId = newKeyId();
    const keyLimits = limits({ daily_job_quota: 2 });
    await counters.reserveJob(keyId, keyLimits, 1, NOON);
    await counters.reserveJob(keyId, keyLimits, 1, NOON);
    // Act
    const third = await counters.reserveJob(keyId, keyLimits, 1, NOON);
    const nextDay = await counters.reserveJob(keyId, keyLimits, 1, new Date('2031-03-15T00:00:01Z'));
    // Assert
    expect(third).toEqual({ ok: false, limit: 'daily_job_quota', value: 2, used: 2 });
    expect(nextDay).toEqual({ ok: true });
    expect(await counters.usage(keyId, ['2031-03-14', '2031-03-15'])).toEqual([
      { day: '2031-03-14', requests: 0, jobs: 2, patients: 2 },
      { day: '2031-03-15', requests: 0, jobs: 1, patients: 1 },
    ]);
    expect((await item(activeCounterId(keyId)))?.active).toBe(3);
  });

  it('refuses a job larger than the whole daily patient quota without counting it', async () => {
    // Prepare
    const keyId = newKeyId();
    const keyLimits = limits({ daily_patient_quota: 50 });
    // Act
    const answer = await counters.reserveJob(keyId, keyLimits, 51, NOON);
    // Assert
    expect(answer).toEqual({ ok: false, limit: 'daily_patient_quota', value: 50, used: 0 });
    expect((await item(activeCounterId(keyId)))?.active ?? 0).toBe(0);
    expect(await item(dayCounterId(keyId, '2031-03-14'))).toBeUndefined();
  });

  it('admits a job that fills the daily patient quota exactly', async () => {
    // Prepare
    const keyId = newKeyId();
    const keyLimits = limits({ daily_patient_quota: 50 });
    await counters.reserveJob(keyId, keyLimits, 20, NOON);
    // Act
    const exact = await counters.reserveJob(keyId, keyLimits, 30, NOON);
    const over = await counters.reserveJob(keyId, keyLimits, 1, NOON);
    // Assert
    expect(exact).toEqual({ ok: true });
    expect(over).toEqual({ ok: false, limit: 'daily_patient_quota', value: 50, used: 50 });
  });
});

describe('DynamoUsageCounters.releaseJob and refundJob', () => {
  it('frees a slot for the next job, and never counts below zero however often it is released', async () => {
    // Prepare
    const keyId = newKeyId();
    const keyLimits = limits({ max_concurrent_jobs: 1 });
    await counters.reserveJob(keyId, keyLimits, 1, NOON);
    const whileRunning = await counters.reserveJob(keyId, keyLimits, 1, NOON);
    // Act
    await Promise.all(Array.from({ length: 10 }, () => counters.releaseJob(keyId)));
    const afterRelease = await counters.reserveJob(keyId, keyLimits, 1, NOON);
    await counters.releaseJob(keyId);
    await counters.releaseJob(keyId);
    await counters.releaseJob(newKeyId()); // a key that never ran a job
    // Assert
    expect(whileRunning).toMatchObject({ ok: false, limit: 'max_concurrent_jobs', used: 1 });
    expect(afterRelease).toEqual({ ok: true });
    expect((await item(activeCounterId(keyId)))?.active).toBe(0);
  });

  it('gives back the job and patients of a reservation on the day it was made', async () => {
    // Prepare
    const keyId = newKeyId();
    const keyLimits = limits({ daily_job_quota: 1 });
    await counters.reserveJob(keyId, keyLimits, 40, NOON);
    // Act
    await counters.refundJob(keyId, 40, NOON);
    await counters.refundJob(keyId, 40, NOON); // a second refund finds nothing to give back
    await counters.releaseJob(keyId);
    const again = await counters.reserveJob(keyId, keyLimits, 40, NOON);
    // Assert
    expect(again).toEqual({ ok: true });
    const [day] = await counters.usage(keyId, ['2031-03-14']);
    expect(day).toMatchObject({ jobs: 1, patients: 40 });
  });
});

describe('DynamoUsageCounters.usage', () => {
  it('answers the given days in their order, zeros for days without use', async () => {
    // Prepare
    const keyId = newKeyId();
    await counters.countRequest(keyId, 10, new Date('2031-03-12T08:00:00Z'));
    await counters.reserveJob(keyId, STANDARD_KEY_LIMITS, 12, new Date('2031-03-12T09:00:00Z'));
    await counters.countRequest(keyId, 10, NOON);
    await counters.countRequest(keyId, 10, NOON);
    // Act
    const usage = await counters.usage(keyId, ['2031-03-14', '2031-03-13', '2031-03-12']);
    // Assert
    expect(usage).toEqual([
      { day: '2031-03-14', requests: 2, jobs: 0, patients: 0 },
      { day: '2031-03-13', requests: 0, jobs: 0, patients: 0 },
      { day: '2031-03-12', requests: 1, jobs: 1, patients: 12 },
    ]);
  });

  it('reads more days than one batch holds', async () => {
    // Prepare
    const keyId = newKeyId();
    await counters.countRequest(keyId, 10, new Date('2031-01-01T00:00:00Z'));
    const days = Array.from({ length: 150 }, (_, i) =>
      new Date(Date.UTC(2031, 0, 1) - i * 86_400_000).toISOString().slice(0, 10),
    );
    // Act
    const usage = await counters.usage(keyId, days);
    // Assert
    expect(usage).toHaveLength(150);
    expect(usage[0]).toEqual({ day: '2031-01-01', requests: 1, jobs: 0, patients: 0 });
    expect(usage.slice(1).every((d) => d.requests === 0)).toBe(true);
    expect(usage.map((d) => d.day)).toEqual(days);
  });
});
