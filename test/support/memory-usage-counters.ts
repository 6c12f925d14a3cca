/**
 * UsageCounters in memory, for domain tests without AWS: the same answers as DynamoUsageCounters
 * (lib/infrastructure/dynamo-usage-counters.ts) for one process, whose integration tests pin the
 * real behaviour under concurrency.
 */
import type {
  JobReservation,
  KeyLimits,
  KeyUsageDay,
  RequestAllowance,
  UsageCounters,
} from '../../lib/domain/index.js';

const day = (at: Date) => at.toISOString().slice(0, 10);

export class MemoryUsageCounters implements UsageCounters {
  readonly active = new Map<string, number>();
  private readonly days = new Map<string, { requests: number; jobs: number; patients: number }>();
  private readonly minutes = new Map<string, number>();

  private dayOf(keyId: string, at: string) {
    const id = `${keyId}#${at}`;
    const counts = this.days.get(id) ?? { requests: 0, jobs: 0, patients: 0 };
    this.days.set(id, counts);
    return counts;
  }

  async countRequest(keyId: string, limit: number, now: Date): Promise<RequestAllowance> {
    this.dayOf(keyId, day(now)).requests++;
    const minute = Math.floor(now.getTime() / 60_000);
    const id = `${keyId}#${minute}`;
    const used = this.minutes.get(id) ?? 0;
    const resetSeconds = Math.min(60, Math.max(1, Math.ceil(((minute + 1) * 60_000 - now.getTime()) / 1000)));
    if (used >= limit) return { allowed: false, limit, remaining: 0, resetSeconds };
    this.minutes.set(id, used + 1);
    return { allowed: true, limit, remaining: limit - used - 1, resetSeconds };
  }

  async reserveJob(keyId: string, limits: KeyLimits, patients: number, now: Date): Promise<JobReservation> {
    const active = this.active.get(keyId) ?? 0;
    if (active >= limits.max_concurrent_jobs) {
      return { ok: false, limit: 'max_concurrent_jobs', value: limits.max_concurrent_jobs, used: active };
    }
    const counts = this.dayOf(keyId, day(now));
    if (counts.jobs >= limits.daily_job_quota) {
      return { ok: false, limit: 'daily_job_quota', value: limits.daily_job_quota, used: counts.jobs };
    }
    if (counts.patients + patients > limits.daily_patient_quota) {
      return {
        ok: false,
        limit: 'daily_patient_quota',
        value: limits.daily_patient_quota,
        used: counts.patients,
      };
    }
    this.active.set(keyId, active + 1);
    counts.jobs++;
    counts.patients += patients;
    return { ok: true };
  }

  async releaseJob(keyId: string): Promise<void> {
    this.active.set(keyId, Math.max(0, (this.active.get(keyId) ?? 0) - 1));
  }

  async refundJob(keyId: string, patients: number, reservedAt: Date): Promise<void> {
    const counts = this.dayOf(keyId, day(reservedAt));
    if (counts.jobs > 0 && counts.patients >= patients) {
      counts.jobs--;
      counts.patients -= patients;
    }
  }

  async usage(keyId: string, days: readonly string[]): Promise<KeyUsageDay[]> {
    return days.map((d) => ({
      day: d,
      ...(this.days.get(`${keyId}#${d}`) ?? { requests: 0, jobs: 0, patients: 0 }),
    }));
  }
}
