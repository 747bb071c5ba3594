// Information across two data controllers (DOMAIN.md "Legal rules"): consents with their versioned form
// texts, the region's knowledge transfers, explicit disclosures (the region's record of the act) and the
// snapshots the municipality received (its own record, kept in its case), inquiries to the liaison, and the
// tasks a crossing leaves (enter a consent in the patient journal, tell the other controller of a withdrawal).
// Each organisation keeps its own record of the person; rows link the two through the keyed CPR hash.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
-- The longest a consent may run in a programme (sdl_43 is capped at one year by law whatever this says).
alter table programmes add column consent_max_months integer not null default 12 check (consent_max_months between 1 and 36);

-- The form and consequence texts shown when a consent is given, kept per version.
create table consent_forms (
  id uuid primary key default gen_random_uuid(),
  instrument text not null check (instrument in ('sdl_43', 'rsl_11a', 'fvl_28')),
  version integer not null check (version >= 1),
  title_da text not null,
  title_en text not null,
  text_da text not null,
  text_en text not null,
  consequence_da text not null,
  consequence_en text not null,
  created_at timestamptz not null default now(),
  unique (instrument, version)
);

create table consents (
  id uuid primary key default gen_random_uuid(),
  -- The organisation that recorded the consent, and its record of the person.
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  person_hash text not null,
  instrument text not null check (instrument in ('sdl_43', 'rsl_11a', 'fvl_28')),
  categories text[] not null check (cardinality(categories) between 1 and 12),
  source_organisation_id uuid not null references organisations (id),
  source_unit text,
  recipient_organisation_id uuid not null references organisations (id),
  recipient_unit text,
  recipient_roles text[] not null check (cardinality(recipient_roles) between 1 and 8),
  programme_id uuid not null references programmes (id),
  purpose text not null check (length(purpose) between 1 and 500),
  case_reference text,
  given_on date not null,
  valid_from date not null,
  valid_to date not null,
  given_by text not null check (given_by in ('citizen', 'guardian', 'power_of_attorney')),
  given_by_name text,
  capacity_note text,
  given_how text not null check (given_how in ('written', 'oral', 'portal')),
  oral_reason text,
  witness text,
  form_id uuid not null references consent_forms (id),
  copy_given boolean not null default false,
  replaces_id uuid references consents (id),
  superseded_at timestamptz,
  superseded_by uuid references consents (id),
  withdrawn_at timestamptz,
  withdrawn_on date,
  withdrawn_how text check (withdrawn_how in ('written', 'oral', 'portal')),
  withdrawn_recorded_by uuid references users (id),
  withdrawal_note text,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  check (valid_to >= valid_from),
  check (source_organisation_id <> recipient_organisation_id),
  check (given_how <> 'oral' or (oral_reason is not null and witness is not null)),
  check (given_by = 'citizen' or given_by_name is not null),
  check ((withdrawn_at is null) = (withdrawn_on is null))
);
-- The crossing check: the person's consents towards one recipient (one indexed query per request).
create index consents_crossing on consents (person_hash, recipient_organisation_id, instrument, valid_to);
create index consents_citizen on consents (citizen_id, created_at desc, id);
create index consents_expiring on consents (source_organisation_id, valid_to) where withdrawn_at is null and superseded_at is null;

-- The region's structured summary for the jobcenter (seed 003's four questions), versioned per patient.
create table knowledge_transfers (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  version integer not null check (version >= 1),
  source_team text not null check (length(source_team) between 1 and 200),
  written_on date not null,
  answers jsonb not null,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  unique (citizen_id, version)
);

-- The region's record of a disclosure it made: what, to whom, on which basis, decided by whom.
create table disclosures (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  recipient_organisation_id uuid not null references organisations (id),
  recipient_citizen_id uuid not null references citizens (id),
  recipient_roles text[] not null,
  knowledge_transfer_id uuid references knowledge_transfers (id),
  categories text[] not null check (cardinality(categories) >= 1),
  snapshot jsonb not null,
  basis text not null check (basis in ('consent', 'exception')),
  consent_ids uuid[] not null default '{}',
  exception_ground text check (exception_ground in ('required_by_law', 'vital_interest', 'supervision')),
  justification text,
  notice_required boolean not null default false,
  patient_told_on date,
  not_told_reason text,
  status text not null check (status in ('open', 'closed')),
  closed_at timestamptz,
  decided_by uuid not null references users (id),
  channel text not null check (channel in ('digital', 'oral', 'meeting')),
  disclosed_at timestamptz not null default now(),
  check (basis = 'consent' and cardinality(consent_ids) >= 1 and exception_ground is null
      or basis = 'exception' and exception_ground is not null and justification is not null),
  check (status = 'open' or not notice_required or patient_told_on is not null or not_told_reason is not null)
);
create index disclosures_citizen on disclosures (citizen_id, disclosed_at desc, id);
create index disclosures_exceptions on disclosures (organisation_id, disclosed_at desc, id) where basis = 'exception';

-- The snapshot as the municipality received it: its own record, in its case, kept under its own duty to keep
-- the case file even when the consent is later withdrawn.
create table received_disclosures (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  disclosure_id uuid not null unique references disclosures (id),
  from_organisation_id uuid not null references organisations (id),
  disclosed_by_name text not null,
  disclosed_at timestamptz not null,
  channel text not null,
  categories text[] not null,
  snapshot jsonb not null,
  basis text not null,
  consent_ids uuid[] not null,
  exception_ground text,
  received_at timestamptz not null default now()
);
create index received_disclosures_citizen on received_disclosures (citizen_id, disclosed_at desc, id);

-- The single entry point: questions from municipal staff to the liaison.
create table inquiries (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  recipient_organisation_id uuid not null references organisations (id),
  programme_id uuid not null references programmes (id),
  kind text not null check (kind in ('named', 'anonymous', 'general')),
  citizen_id uuid references citizens (id),
  consent_ids uuid[] not null default '{}',
  subject text not null check (length(subject) between 1 and 200),
  status text not null check (status in ('new', 'in_progress', 'answered', 'closed')),
  asked_by uuid not null references users (id),
  asked_at timestamptz not null default now(),
  assigned_to uuid references users (id),
  first_answer_at timestamptz,
  closed_at timestamptz,
  version integer not null default 1,
  check ((kind = 'named') = (citizen_id is not null))
);
create index inquiries_queue on inquiries (recipient_organisation_id, status, asked_at, id);
create index inquiries_asker on inquiries (organisation_id, asked_by, asked_at desc, id);

create table inquiry_messages (
  id uuid primary key default gen_random_uuid(),
  inquiry_id uuid not null references inquiries (id),
  organisation_id uuid not null references organisations (id),
  author_id uuid not null references users (id),
  body text not null check (length(body) between 1 and 10000),
  health_information boolean not null default false,
  disclosure_id uuid references disclosures (id),
  created_at timestamptz not null default now()
);
create index inquiry_messages_inquiry on inquiry_messages (inquiry_id, created_at, id);

-- What a crossing leaves to do: the region enters a consent (or its withdrawal, or an oral disclosure) in the
-- patient journal, since Bindeled is not the journal; the other controller is told of a withdrawal.
create table crossing_tasks (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid references citizens (id),
  kind text not null check (kind in ('journal_consent', 'journal_withdrawal', 'journal_oral_disclosure', 'consent_withdrawn_notice', 'consent_given_notice')),
  consent_id uuid references consents (id),
  disclosure_id uuid references disclosures (id),
  status text not null check (status in ('open', 'done')),
  created_at timestamptz not null default now(),
  done_at timestamptz,
  done_by uuid references users (id)
);
create index crossing_tasks_open on crossing_tasks (organisation_id, created_at, id) where status = 'open';
`).execute(db);
  await seedConsentForms(db);
}

async function seedConsentForms(db: Kysely<unknown>): Promise<void> {
  const forms = [
    {
      instrument: 'sdl_43',
      title_da: 'Samtykke til videregivelse af helbredsoplysninger (sundhedsloven § 43)',
      title_en: 'Consent to pass on health information (Danish Health Act s. 43)',
      text_da:
        'Jeg giver samtykke til, at sundhedspersoner i psykiatrien må give de oplysninger, der er krydset af, videre til den modtager, der står nedenfor, til det formål, der står nedenfor. ' +
        'Samtykket gælder højst et år fra i dag. Jeg kan til enhver tid trække det tilbage. Samtykket bliver skrevet ind i min journal.',
      text_en:
        'I consent to health professionals in psychiatry passing on the information ticked to the recipient named below, for the purpose named below. ' +
        'The consent lasts at most one year from today. I can withdraw it at any time. The consent is entered in my patient record.',
      consequence_da:
        'Hvis du ikke giver samtykke, eller hvis du trækker det tilbage, får jobcentret ikke oplysningerne fra psykiatrien. Din behandling påvirkes ikke. Oplysninger, der allerede er givet videre, bliver i kommunens sag.',
      consequence_en:
        'If you do not consent, or withdraw your consent, the jobcentre does not get the information from psychiatry. Your treatment is not affected. Information already passed on stays in the municipality’s case.',
    },
    {
      instrument: 'rsl_11a',
      title_da: 'Samtykke til, at kommunen indhenter oplysninger (retssikkerhedsloven § 11 a)',
      title_en: 'Consent to the municipality obtaining information (Legal Protection Act s. 11a)',
      text_da:
        'Jeg giver samtykke til, at kommunen må indhente de oplysninger, der er krydset af, fra den afsender, der står nedenfor, til brug i den sag, der står nedenfor. Jeg kan til enhver tid trække samtykket tilbage.',
      text_en:
        'I consent to the municipality obtaining the information ticked from the sender named below, for use in the case named below. I can withdraw the consent at any time.',
      consequence_da:
        'Hvis du ikke giver samtykke, træffer kommunen afgørelse i din sag på grundlag af de oplysninger, den allerede har (retssikkerhedsloven § 11 b).',
      consequence_en:
        'If you do not consent, the municipality decides your case on the information it already has (Legal Protection Act s. 11b).',
    },
    {
      instrument: 'fvl_28',
      title_da: 'Kommunalt samtykke til videregivelse (databeskyttelsesforordningen art. 9, stk. 2, litra a, jf. forvaltningsloven § 28)',
      title_en: 'Municipal disclosure consent (GDPR art. 9(2)(a), cf. Public Administration Act s. 28)',
      text_da:
        'Jeg giver samtykke til, at kommunen må give de oplysninger, der er krydset af, videre til den modtager, der står nedenfor, til det formål, der står nedenfor. Jeg kan til enhver tid trække samtykket tilbage.',
      text_en:
        'I consent to the municipality passing on the information ticked to the recipient named below, for the purpose named below. I can withdraw the consent at any time.',
      consequence_da:
        'Hvis du ikke giver samtykke, eller hvis du trækker det tilbage, kan psykiatriens medarbejder ikke læse din plan, dine aktiviteter og notater i kommunen. Din sag i kommunen fortsætter.',
      consequence_en:
        'If you do not consent, or withdraw your consent, the psychiatry staff member cannot read your plan, activities and notes in the municipality. Your municipal case goes on.',
    },
  ];
  for (const f of forms) {
    await sql`insert into consent_forms (instrument, version, title_da, title_en, text_da, text_en, consequence_da, consequence_en)
              values (${f.instrument}, 1, ${f.title_da}, ${f.title_en}, ${f.text_da}, ${f.text_en}, ${f.consequence_da}, ${f.consequence_en})`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('0013-cross-organisation cannot be rolled back: consents and disclosures are kept');
}
