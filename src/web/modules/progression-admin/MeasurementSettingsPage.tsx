// The programme manager's settings for progression: which instruments the programme measures and when (at
// enrolment, every N months within ± a window, at exit), and the procedure for acute concern that staff see
// beside every alert.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProgrammeDetail } from '../../../contracts/programmes.ts';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { ErrorAlert, Loading, PageHeading, QueryError, SuccessNotice, errorMessageKey } from '../../app/feedback.tsx';
import { FormButtons, TextArea } from '../../app/fields.tsx';
import { useInstruments, useSchedule, type InstrumentSummary, type ScheduleView } from './progressionAdminApi.ts';
import './progression-admin.css';

type Row = { code: string; title: string; included: boolean; atEnrolment: boolean; everyMonths: string; windowDays: string; atExit: boolean };
type RowErrors = Partial<Record<'occasions' | 'everyMonths' | 'windowDays' | 'instrumentCode', MessageKey | string>>;

const WHOLE = /^\d+$/;

/** One row per active instrument, the scheduled ones first in the schedule's order. */
function rowsOf(schedule: ScheduleView, instruments: InstrumentSummary[], language: 'da' | 'en'): Row[] {
  const scheduled: Row[] = schedule.items.map((s) => ({
    code: s.instrumentCode,
    title: s.title[language],
    included: true,
    atEnrolment: s.atEnrolment,
    everyMonths: s.everyMonths === null ? '' : String(s.everyMonths),
    windowDays: String(s.windowDays),
    atExit: s.atExit,
  }));
  const codes = new Set(scheduled.map((r) => r.code));
  const others = instruments
    .filter((i) => i.status === 'active' && !codes.has(i.code) && codes.add(i.code))
    .map((i) => ({ code: i.code, title: i.title[language], included: false, atEnrolment: true, everyMonths: '3', windowDays: '14', atExit: true }));
  return [...scheduled, ...others];
}

/** What the server would refuse, said before sending: ranges of the contract and at least one occasion. */
function validate(row: Row): RowErrors {
  if (!row.included) return {};
  const errors: RowErrors = {};
  const months = row.everyMonths.trim();
  if (months && (!WHOLE.test(months) || Number(months) < 1 || Number(months) > 24)) errors.everyMonths = 'progressionAdmin.settings.error.everyMonths';
  const window = row.windowDays.trim();
  if (!WHOLE.test(window) || Number(window) > 60) errors.windowDays = 'progressionAdmin.settings.error.windowDays';
  if (!row.atEnrolment && !months && !row.atExit) errors.occasions = 'progressionAdmin.settings.error.occasions';
  return errors;
}

export function MeasurementSettingsPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const programme = useQuery({ queryKey: ['programme', id], queryFn: () => api.get<ProgrammeDetail>(`/api/programmes/${encodeURIComponent(id)}`) });
  const schedule = useSchedule(id);
  const instruments = useInstruments();
  const title = t('progressionAdmin.settings.title');

  return (
    <>
      <p className="breadcrumb-link">
        <Link to={`/programmes/${id}`}>{programme.data?.name ?? t('progressionAdmin.backToProgramme')}</Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="page-intro">{t('progressionAdmin.settings.intro')}</p>
      {(schedule.isPending || instruments.isPending) && <Loading />}
      {schedule.isError && <QueryError error={schedule.error} />}
      {schedule.data && instruments.data && (
        <>
          {/* Keyed by the language: the instruments' titles are written in it when the form starts. */}
          <ScheduleForm key={language} programmeId={id} schedule={schedule.data} instruments={instruments.data.items} />
          <AcuteProcedureForm programmeId={id} schedule={schedule.data} />
        </>
      )}
      <p>
        <Link to={`/programmes/${id}/progression`}>{t('progressionAdmin.seeCohort')}</Link>
      </p>
    </>
  );
}

function ScheduleForm({ programmeId, schedule, instruments }: { programmeId: string; schedule: ScheduleView; instruments: InstrumentSummary[] }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const [rows, setRows] = useState(() => rowsOf(schedule, instruments, language));
  const [submitted, setSubmitted] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = useMutation({
    mutationFn: (included: Row[]) =>
      api.put<ScheduleView>(`/api/programmes/${encodeURIComponent(programmeId)}/measurement-schedule`, {
        items: included.map((r) => ({
          instrumentCode: r.code,
          atEnrolment: r.atEnrolment,
          everyMonths: r.everyMonths.trim() ? Number(r.everyMonths) : null,
          windowDays: Number(r.windowDays),
          atExit: r.atExit,
        })),
      }),
    onSuccess: (data) => {
      client.setQueryData(['measurement-schedule', programmeId], data);
      setSaved(true);
    },
  });

  const included = rows.filter((r) => r.included);
  const clientErrors = rows.map(validate);
  // The server's 400 names the field by its place in the request: items.{i}.{field}.
  const serverError = (row: Row, field: keyof RowErrors) => {
    if (!(save.error instanceof ApiError) || save.error.status !== 400) return undefined;
    const index = save.variables?.findIndex((r) => r.code === row.code) ?? -1;
    return index < 0 ? undefined : save.error.issueFor(`items.${index}.${field}`);
  };
  const errorText = (row: Row, i: number, field: keyof RowErrors): string | undefined => {
    const own = submitted ? clientErrors[i]?.[field] : undefined;
    if (own) return t(own as MessageKey);
    const server = serverError(row, field);
    return server ? t('progressionAdmin.settings.error.server', { message: server }) : undefined;
  };
  const update = (code: string, patch: Partial<Row>) => {
    setSaved(false);
    setRows((all) => all.map((r) => (r.code === code ? { ...r, ...patch } : r)));
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (clientErrors.some((e) => Object.keys(e).length > 0)) return;
    save.mutate(included);
  }

  return (
    <section className="page-section" aria-labelledby="schedule-heading">
      <h2 id="schedule-heading">{t('progressionAdmin.settings.schedule')}</h2>
      <p>{t('progressionAdmin.settings.scheduleIntro')}</p>
      <form onSubmit={submit} noValidate>
        {rows.map((row, i) => {
          const prefix = `schedule-${row.code}`;
          const months = errorText(row, i, 'everyMonths');
          const window = errorText(row, i, 'windowDays');
          const occasions = errorText(row, i, 'occasions') ?? errorText(row, i, 'instrumentCode');
          return (
            <fieldset key={row.code} className={occasions ? 'schedule-row form-error' : 'schedule-row'}>
              <legend className="schedule-legend">{row.title}</legend>
              <div className="form-group-checkbox">
                <input id={`${prefix}-included`} type="checkbox" className="form-checkbox" checked={row.included} onChange={(e) => update(row.code, { included: e.target.checked })} />
                <label htmlFor={`${prefix}-included`}>{t('progressionAdmin.settings.included')}</label>
              </div>
              {row.included && (
                <div className="schedule-fields">
                  {occasions && (
                    <span className="form-error-message" id={`${prefix}-occasions-error`}>
                      {occasions}
                    </span>
                  )}
                  <div className="form-group-checkbox">
                    <input id={`${prefix}-enrolment`} type="checkbox" className="form-checkbox" checked={row.atEnrolment} onChange={(e) => update(row.code, { atEnrolment: e.target.checked })} />
                    <label htmlFor={`${prefix}-enrolment`}>{t('progressionAdmin.settings.atEnrolment')}</label>
                  </div>
                  <div className={months ? 'form-group form-error' : 'form-group'}>
                    <label className="form-label" htmlFor={`${prefix}-months`}>
                      {t('progressionAdmin.settings.everyMonths')}
                    </label>
                    <span className="form-hint" id={`${prefix}-months-hint`}>
                      {t('progressionAdmin.settings.everyMonthsHint')}
                    </span>
                    {months && (
                      <span className="form-error-message" id={`${prefix}-months-error`}>
                        {months}
                      </span>
                    )}
                    <input
                      id={`${prefix}-months`}
                      className="form-input input-width-xs"
                      inputMode="numeric"
                      value={row.everyMonths}
                      aria-invalid={months ? true : undefined}
                      aria-describedby={months ? `${prefix}-months-hint ${prefix}-months-error` : `${prefix}-months-hint`}
                      onChange={(e) => update(row.code, { everyMonths: e.target.value })}
                    />
                  </div>
                  <div className={window ? 'form-group form-error' : 'form-group'}>
                    <label className="form-label" htmlFor={`${prefix}-window`}>
                      {t('progressionAdmin.settings.windowDays')}
                    </label>
                    <span className="form-hint" id={`${prefix}-window-hint`}>
                      {t('progressionAdmin.settings.windowDaysHint')}
                    </span>
                    {window && (
                      <span className="form-error-message" id={`${prefix}-window-error`}>
                        {window}
                      </span>
                    )}
                    <input
                      id={`${prefix}-window`}
                      className="form-input input-width-xs"
                      inputMode="numeric"
                      value={row.windowDays}
                      aria-invalid={window ? true : undefined}
                      aria-describedby={window ? `${prefix}-window-hint ${prefix}-window-error` : `${prefix}-window-hint`}
                      onChange={(e) => update(row.code, { windowDays: e.target.value })}
                    />
                  </div>
                  <div className="form-group-checkbox">
                    <input id={`${prefix}-exit`} type="checkbox" className="form-checkbox" checked={row.atExit} onChange={(e) => update(row.code, { atExit: e.target.checked })} />
                    <label htmlFor={`${prefix}-exit`}>{t('progressionAdmin.settings.atExit')}</label>
                  </div>
                </div>
              )}
            </fieldset>
          );
        })}
        {submitted && clientErrors.some((e) => Object.keys(e).length > 0) && <ErrorAlert message={t('progressionAdmin.settings.error.fix')} />}
        {save.isError && <ErrorAlert message={save.error instanceof ApiError && save.error.status === 400 ? t('progressionAdmin.settings.error.fix') : t(errorMessageKey(save.error))} />}
        <SuccessNotice message={saved ? t('progressionAdmin.settings.saved') : null} />
        <FormButtons saveLabel={t('progressionAdmin.settings.saveSchedule')} disabled={save.isPending} />
      </form>
    </section>
  );
}

function AcuteProcedureForm({ programmeId, schedule }: { programmeId: string; schedule: ScheduleView }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [da, setDa] = useState(schedule.acuteProcedure.da);
  const [en, setEn] = useState(schedule.acuteProcedure.en);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => api.put<{ da: string; en: string }>(`/api/programmes/${encodeURIComponent(programmeId)}/acute-procedure`, { da, en }),
    onSuccess: (procedure) => {
      client.setQueryData<ScheduleView>(['measurement-schedule', programmeId], (old) => (old ? { ...old, acuteProcedure: procedure } : old));
      setSaved(true);
    },
  });
  const issue = (field: 'da' | 'en') => (save.error instanceof ApiError ? save.error.issueFor(field) : undefined);
  const fieldError = (field: 'da' | 'en') => {
    const message = issue(field);
    return message ? t('progressionAdmin.settings.error.server', { message }) : undefined;
  };

  return (
    <section className="page-section" aria-labelledby="acute-heading">
      <h2 id="acute-heading">{t('progressionAdmin.acute.title')}</h2>
      <p>{t('progressionAdmin.acute.intro')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
        noValidate
      >
        <TextArea id="acute-da" label={t('progressionAdmin.acute.da')} hint={t('progressionAdmin.acute.hint')} value={da} error={fieldError('da')} onChange={(v) => {
            setSaved(false);
            setDa(v);
          }} rows={6} />
        <TextArea id="acute-en" label={t('progressionAdmin.acute.en')} hint={t('progressionAdmin.acute.hint')} value={en} error={fieldError('en')} onChange={(v) => {
            setSaved(false);
            setEn(v);
          }} rows={6} />
        {save.isError && <ErrorAlert message={t(errorMessageKey(save.error))} />}
        <SuccessNotice message={saved ? t('progressionAdmin.acute.saved') : null} />
        <FormButtons saveLabel={t('progressionAdmin.acute.save')} disabled={save.isPending} />
      </form>
    </section>
  );
}
