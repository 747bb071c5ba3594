// A phase's status relative to today, shown in words (never by colour alone).
export type PhaseStatus = 'done' | 'running' | 'upcoming';

export function phaseStatus(phase: { startsOn: string; endsOn: string }, today: string): PhaseStatus {
  // ISO dates compare correctly as strings.
  if (phase.endsOn < today) return 'done';
  if (phase.startsOn > today) return 'upcoming';
  return 'running';
}
