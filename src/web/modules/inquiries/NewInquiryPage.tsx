// "Send henvendelse til psykiatrien": municipal staff ask the programme's psychiatry partner — about a named
// citizen (from the citizen page, only while consents cover both directions), as an anonymous case (no name, no
// CPR number, nothing identifying) or a general question.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CitizenDetail } from '../../../contracts/citizens.ts';
import type { ProgrammeSummary } from '../../../contracts/programmes.ts';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { FormButtons, SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { useI18n, isMessageKey, type MessageKey } from '../../i18n/i18n.tsx';
import { INQUIRIES_KEY, type InquiryDetail } from './inquiryApi.ts';
import './inquiries.css';

const ASK_ROLES = ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'];

/** What no consent covers, in words: one line per gap the server named (path `consent.<instrument>`, message `<reason> (<category>)`). */
export function ConsentIssues({ error }: { error: ApiError }) {
  const { t } = useI18n();
  const issues = (error.body?.issues ?? []).filter((i) => i.path.startsWith('consent.'));
  if (issues.length === 0) return null;
  return (
    <ul className="inquiry-gaps">
      {issues.map((i) => {
        const instrument = i.path.slice('consent.'.length);
        const [reason = '', category] = i.message.split(' ');
        const instrumentKey = `inquiries.instrument.${instrument}`;
        const reasonKey = `inquiries.gap.${reason}`;
        const categoryCode = category?.replace(/[()]/g, '');
        const categoryKey = `inquiries.category.${categoryCode}`;
        return (
          <li key={`${i.path}-${i.message}`}>
            {isMessageKey(instrumentKey) ? t(instrumentKey) : instrument}: {isMessageKey(reasonKey) ? t(reasonKey) : reason}
            {categoryCode && isMessageKey(categoryKey) ? ` (${t(categoryKey as MessageKey)})` : ''}
          </li>
        );
      })}
    </ul>
  );
}

export function NewInquiryPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const citizenId = params.get('citizen');
  const programmeParam = params.get('programme');
  const citizen = useQuery({ queryKey: ['citizen', citizenId], queryFn: () => api.get<CitizenDetail>(`/api/citizens/${encodeURIComponent(citizenId!)}`), enabled: !!citizenId });
  const programmes = useQuery({ queryKey: ['programmes'], queryFn: () => api.get<{ items: ProgrammeSummary[] }>('/api/programmes') });
  const mine = (programmes.data?.items ?? []).filter((p) => p.myRoles.some((r) => ASK_ROLES.includes(r)));
  const [kind, setKind] = useState<'named' | 'anonymous' | 'general'>(citizenId ? 'named' : 'general');
  const [programmeId, setProgrammeId] = useState(programmeParam ?? '');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<{ subject?: string; body?: string; programme?: string }>({});
  const chosenProgramme = programmeId || (mine.length === 1 ? mine[0]!.id : '');
  const send = useMutation({
    mutationFn: () =>
      api.post<InquiryDetail>('/api/inquiries', { programmeId: chosenProgramme, kind, subject, body, ...(kind === 'named' && citizenId ? { citizenId } : {}) }),
    onSuccess: (created) => {
      void client.invalidateQueries({ queryKey: INQUIRIES_KEY });
      void navigate(`/inquiries/${created.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!subject.trim()) next.subject = t('inquiries.error.subjectRequired');
    if (!body.trim()) next.body = t('inquiries.error.bodyRequired');
    if (!chosenProgramme) next.programme = t('inquiries.error.programmeRequired');
    setErrors(next);
    if (Object.keys(next).length === 0) send.mutate();
  };
  const error = send.error instanceof ApiError ? send.error : null;
  const kinds = citizenId ? (['named', 'anonymous', 'general'] as const) : (['general', 'anonymous'] as const);
  const name = citizen.data ? `${citizen.data.firstName} ${citizen.data.lastName}` : '';
  return (
    <>
      <p className="breadcrumb-link">
        <Link to={citizenId ? `/citizens/${citizenId}` : '/inquiries'}>{citizenId ? t('inquiries.backToCitizen') : t('inquiries.back')}</Link>
      </p>
      <PageHeading title={t('inquiries.new')}>{t('inquiries.new')}</PageHeading>
      <p className="page-intro">{t('inquiries.newIntro')}</p>
      {(programmes.isPending || (citizenId && citizen.isPending)) && <Loading />}
      {programmes.isError && <QueryError error={programmes.error} />}
      <form onSubmit={submit} noValidate className="inquiry-form">
        {error && (
          <ErrorAlert heading={t('inquiries.error.notSent')} message={error.status === 409 ? t('inquiries.error.consentBoth') : error.status === 404 ? t('error.notFound') : t('error.request')}>
            <ConsentIssues error={error} />
          </ErrorAlert>
        )}
        {send.error && !error && <QueryError error={send.error} />}
        <fieldset className="form-group">
          <legend className="form-label">{t('inquiries.kind')}</legend>
          <ul className="plain-list">
            {kinds.map((k) => (
              <li key={k} className="form-group-radio">
                <input id={`inquiry-kind-${k}`} type="radio" name="inquiry-kind" className="form-radio" checked={kind === k} onChange={() => setKind(k)} aria-describedby={`inquiry-kind-${k}-hint`} />
                <label htmlFor={`inquiry-kind-${k}`}>{k === 'named' ? t('inquiries.kind.namedAbout', { name }) : t(`inquiries.kind.${k}` as MessageKey)}</label>
                <span className="form-hint" id={`inquiry-kind-${k}-hint`}>
                  {t(`inquiries.kindHint.${k}` as MessageKey)}
                </span>
              </li>
            ))}
          </ul>
        </fieldset>
        {kind === 'anonymous' && (
          <div className="alert alert-warning">
            <div className="alert-body">
              <p className="alert-heading">{t('inquiries.anonymousWarningHeading')}</p>
              <p className="alert-text">{t('inquiries.anonymousWarning')}</p>
            </div>
          </div>
        )}
        {!programmeParam && mine.length > 1 && (
          <SelectField
            id="inquiry-programme"
            label={t('inquiries.programme')}
            value={programmeId}
            error={errors.programme}
            onChange={setProgrammeId}
            options={[{ value: '', label: t('inquiries.chooseProgramme') }, ...mine.map((p) => ({ value: p.id, label: p.name }))]}
          />
        )}
        {errors.programme && mine.length <= 1 && <p className="form-error-message">{errors.programme}</p>}
        <TextField id="inquiry-subject" label={t('inquiries.subject')} value={subject} onChange={setSubject} error={errors.subject ?? error?.issueFor('subject')} />
        <TextArea id="inquiry-body" label={t('inquiries.question')} hint={kind === 'anonymous' ? t('inquiries.anonymousHint') : undefined} value={body} onChange={setBody} error={errors.body ?? error?.issueFor('body')} rows={8} />
        <FormButtons saveLabel={t('inquiries.send')} disabled={send.isPending} cancelTo={citizenId ? `/citizens/${citizenId}` : '/inquiries'} />
      </form>
    </>
  );
}

/** The citizen page's entry: "Send henvendelse til psykiatrien" for each open enrolment in a programme where the user may ask. */
export function CitizenInquiryLink({ citizen }: { citizen: Pick<CitizenDetail, 'id' | 'enrolments'> }) {
  const { t } = useI18n();
  const programmes = useQuery({ queryKey: ['programmes'], queryFn: () => api.get<{ items: ProgrammeSummary[] }>('/api/programmes') });
  const mayAsk = new Set((programmes.data?.items ?? []).filter((p) => p.myRoles.some((r) => ASK_ROLES.includes(r))).map((p) => p.id));
  const open = citizen.enrolments.filter((e) => e.status !== 'ended' && mayAsk.has(e.programme.id));
  if (open.length === 0) return null;
  return (
    <p className="inquiry-citizen-link">
      {open.map((e) => (
        <Link key={e.id} className="button button-secondary" to={`/inquiries/new?citizen=${encodeURIComponent(citizen.id)}&programme=${encodeURIComponent(e.programme.id)}`}>
          {open.length > 1 ? t('inquiries.askAboutIn', { programme: e.programme.name }) : t('inquiries.askAbout')}
        </Link>
      ))}
    </p>
  );
}
