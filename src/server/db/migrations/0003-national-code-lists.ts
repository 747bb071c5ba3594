// The national code lists with the fixed codes integrations rely on (DOMAIN.md). Later changes by law come
// as new migrations that end a code (valid_to) or add one, never by editing these rows.
import { sql, type Kysely } from 'kysely';

const lists: Record<string, [code: string, da: string, en: string][]> = {
  visitation: [
    ['jobparat', 'Jobparat', 'Job-ready'],
    ['aktivitetsparat', 'Aktivitetsparat', 'Activity-ready'],
    ['aabenlyst_uddannelsesparat', 'Åbenlyst uddannelsesparat', 'Obviously education-ready'],
    ['uddannelsesparat', 'Uddannelsesparat', 'Education-ready'],
    ['sygedagpenge_kategori_1', 'Sygedagpenge, kategori 1', 'Sickness benefit, category 1'],
    ['sygedagpenge_kategori_2', 'Sygedagpenge, kategori 2', 'Sickness benefit, category 2'],
    ['sygedagpenge_kategori_3', 'Sygedagpenge, kategori 3', 'Sickness benefit, category 3'],
  ],
  benefit: [
    ['kontanthjaelp', 'Kontanthjælp', 'Social assistance'],
    ['uddannelseshjaelp', 'Uddannelseshjælp', 'Education assistance'],
    ['ressourceforloeb', 'Ressourceforløb', 'Resource programme'],
    ['jobafklaringsforloeb', 'Jobafklaringsforløb', 'Job clarification programme'],
    ['ledighedsydelse', 'Ledighedsydelse', 'Unemployment benefit for flex-job'],
    ['sygedagpenge', 'Sygedagpenge', 'Sickness benefit'],
    ['fleksjob', 'Fleksjob', 'Flex-job'],
    ['foertidspension', 'Førtidspension', 'Disability pension'],
    ['selvforsoergende', 'Selvforsørgende', 'Self-supporting'],
  ],
  exit_outcome: [
    ['ordinaert_job', 'Ordinært job', 'Ordinary job'],
    ['job_med_loentilskud', 'Job med løntilskud', 'Job with wage subsidy'],
    ['fleksjob', 'Fleksjob', 'Flex-job'],
    ['uddannelse', 'Uddannelse', 'Education'],
    ['praktik_fortsaetter', 'Praktik fortsætter', 'Internship continues'],
    ['anden_ydelse', 'Anden ydelse', 'Other benefit'],
    ['foertidspension', 'Førtidspension', 'Disability pension'],
    ['fraflyttet', 'Fraflyttet kommunen', 'Moved away'],
    ['frafald', 'Frafald', 'Dropped out'],
    ['behandlingsbehov', 'Behov for behandling', 'Treatment needed'],
    ['andet', 'Andet', 'Other'],
  ],
  referral_source: [
    ['jobcenter', 'Jobcenter', 'Jobcentre'],
    ['psykiatrien', 'Psykiatrien', 'Psychiatry'],
    ['egen_laege', 'Egen læge', 'General practitioner'],
    ['socialomraadet', 'Socialområdet', 'Social services'],
    ['egen_henvendelse', 'Egen henvendelse', 'Self-referral'],
    ['andet', 'Andet', 'Other'],
  ],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  const rows = Object.entries(lists).flatMap(([list, values]) =>
    values.map(([code, da, en], i) => sql`(${list}, ${code}, ${da}, ${en}, ${i + 1})`),
  );
  await sql`insert into code_values (list, code, label_da, label_en, position) values ${sql.join(rows)}`.execute(db);
}
