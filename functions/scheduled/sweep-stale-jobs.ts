/**
 * The stale-job sweeper, run on a schedule (every 5 minutes: SCHEDULED_HANDLERS in functions/routes.ts):
 * fails the jobs stuck `running`, `pending` or `queued` past their bounds and gives back their API keys'
 * running slots (lib/domain/stuck-jobs.ts, memory/decisions/0903-no-stuck-jobs.md).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { observed } from '../../lib/core/index.js';
import type { SweepReport } from '../../lib/domain/index.js';
import { logger, metrics, stuckJobs } from '../composition/sweeper.js';

async function sweep(_event: ScheduledEvent, _context: Context): Promise<SweepReport> {
  const report = await stuckJobs.sweep();
  const failed = report.failed.pending + report.failed.queued + report.failed.running;
  if (failed > 0) logger.warn('stale jobs failed', { ...report });
  else logger.debug('no stale job', { examined: report.examined });
  return report;
}

export const handler = middy(observed(sweep, { metrics })).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
