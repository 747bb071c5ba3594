// Background work of progression measurement, run on the job queue.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import { computeDueMeasurements } from './tasks.service.ts';

export const DUE_MEASUREMENTS_JOB = 'progression-due-measurements';

export function progressionJobs(db: Kysely<Database>): JobDefinition[] {
  return [
    {
      name: DUE_MEASUREMENTS_JOB,
      // Hourly, so that a measurement becomes due (or overdue) the morning its window opens or closes.
      cron: '5 * * * *',
      runAtStart: true,
      handler: () => computeDueMeasurements(db),
    },
  ];
}
