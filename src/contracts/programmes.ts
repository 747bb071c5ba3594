// Programme contracts: the list a user sees and one programme's facts.
import { z } from 'zod';
import { Id, Int, IsoDate, OrganisationRef, RoleName, Version } from './common.ts';

export const ProgrammeSummary = z.object({
  id: Id,
  name: z.string(),
  startsOn: IsoDate,
  endsOn: IsoDate,
  capacity: z.number().int(),
  myRoles: z.array(RoleName),
  isDemo: z.boolean(),
});
export type ProgrammeSummary = z.infer<typeof ProgrammeSummary>;

export const ProgrammeList = z.object({ items: z.array(ProgrammeSummary) });

export const ProgrammeDetail = z.object({
  id: Id,
  name: z.string(),
  summary: z.object({ da: z.string(), en: z.string() }),
  owner: OrganisationRef,
  startsOn: IsoDate,
  endsOn: IsoDate,
  capacity: z.number().int(),
  /** Citizens with an active enrolment now, against the capacity. */
  activeCitizens: z.number().int(),
  caseloadCeiling: z.number().int(),
  /** Whether the programme's resource consultants see all its citizens, not only their team's. */
  consultantsSeeAll: z.boolean(),
  /** Whether the programme shows notes to its citizens in the portal ("Mine bemærkninger"); off by default. */
  showNotesToCitizen: z.boolean(),
  version: z.number().int(),
  isDemo: z.boolean(),
  myRoles: z.array(RoleName),
  partners: z.array(OrganisationRef.extend({ role: z.enum(['lead', 'partner', 'research', 'funder']) })),
  phases: z.array(
    z.object({
      id: Id,
      position: z.number().int(),
      name: z.object({ da: z.string(), en: z.string() }),
      responsible: z.string().nullable(),
      startsOn: IsoDate,
      endsOn: IsoDate,
    }),
  ),
  targets: z.array(z.object({ outcome: z.enum(['job', 'education', 'internship']), targetPercent: z.number() })),
  targetGroups: z.array(z.object({ benefitCode: z.string(), plannedCount: z.number().int() })),
  budgetLines: z.array(
    z.object({ id: Id, year: z.number().int(), purpose: z.string(), funder: z.string().nullable(), amountOere: z.number().int() }),
  ),
});
export type ProgrammeDetail = z.infer<typeof ProgrammeDetail>;

export const ProgrammeParams = z.object({ id: Id }).strict();

export const ProgrammeStaff = z.object({
  items: z.array(z.object({ id: Id, name: z.string(), organisation: z.string(), roles: z.array(RoleName) })),
});
export type ProgrammeStaff = z.infer<typeof ProgrammeStaff>;

export const UpdateProgrammeSettingsRequest = z
  .object({
    version: Version,
    caseloadCeiling: Int(1, 200).optional(),
    consultantsSeeAll: z.boolean().optional(),
    showNotesToCitizen: z.boolean().optional(),
  })
  .strict();
