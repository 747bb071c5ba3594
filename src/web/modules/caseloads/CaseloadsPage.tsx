// "Sagsstammer" for the programme manager: each resource consultant's active, paused and referred citizens
// against the ceiling, with the IPS guidance (≤ 20) as a hint; a bar chart (the table is its text
// alternative), substitutes shown, and the handover form with a confirmation step.
import { useState, type FormEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { FormButtons, SelectField, TextField } from '../../app/fields.tsx';
import { ErrorAlert, errorMessageKey, Loading, PageHeading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { capabilitiesOf, useUser } from '../../app/session.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import type { ProgrammeDetail } from '../../../contracts/programmes.ts';
import { isIsoDate, useProgrammes, useProgrammeStaff, type Caseload } from '../citizens/citizenApi.ts';

export function CaseloadsPage() {
  const { t } = useI18n();
  const user = useUser();
  const managed = capabilitiesOf(user).managedProgrammeIds;
  const programmes = useProgrammes();
  const [programmeId, setProgrammeId] = useState(managed[0] ?? '');
  const caseload = useQuery({
    queryKey: ['caseloads', programmeId],
    queryFn: () => api.get<Caseload>(`/api/programmes/${encodeURIComponent(programmeId)}/caseloads`),
    enabled: !!programmeId,
  });
  const title = t('caseloads.title');
  const mine = (programmes.data?.items ?? []).filter((p) => managed.includes(p.id));
  const programmeName = mine.find((p) => p.id === programmeId)?.name;

  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="page-intro">{t('caseloads.intro')}</p>
      {mine.length > 1 && (
        <SelectField id="caseload-programme" label={t('caseloads.programme')} value={programmeId} options={mine.map((p) => ({ value: p.id, label: p.name }))} onChange={setProgrammeId} />
      )}
      {programmeName && <p className="lead-programme">{t('caseloads.for', { programme: programmeName })}</p>}
      {caseload.isPending && <Loading />}
      {caseload.isError && <QueryError error={caseload.error} />}
      {caseload.data && <CaseloadView data={caseload.data} />}
      {programmeId && <SettingsForm key={programmeId} programmeId={programmeId} />}
      {caseload.data && <HandoverForm data={caseload.data} />}
    </>
  );
}

function CaseloadView({ data }: { data: Caseload }) {
  const { t } = useI18n();
  const rows = [...data.consultants].sort((a, b) => a.user.name.localeCompare(b.user.name, 'da'));
  const chartRows = rows.map((r) => ({ name: r.user.name, active: r.active, paused: r.paused, referred: r.referred }));
  const top = Math.max(data.ceiling + 2, ...rows.map((r) => r.active + r.paused + r.referred + 1));
  return (
    <section className="page-section" aria-labelledby="caseload-heading">
      <h2 id="caseload-heading">{t('caseloads.perConsultant')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('caseloads.ceiling')}</dt>
          <dd>{t('caseloads.ceilingValue', { n: data.ceiling })}</dd>
        </div>
        <div>
          <dt>{t('caseloads.ipsHint')}</dt>
          <dd>{t('caseloads.ipsValue', { n: data.recommendedMax })}</dd>
        </div>
        <div>
          <dt>{t('programme.capacity')}</dt>
          <dd>{t('programme.capacityUse', { active: data.activeInProgramme, count: data.capacity })}</dd>
        </div>
      </dl>
      {rows.length === 0 ? (
        <p className="empty-state">{t('caseloads.none')}</p>
      ) : (
        <>
          <figure className="timeline" aria-labelledby="caseload-caption">
            <figcaption id="caseload-caption" className="timeline-caption">
              {t('caseloads.chartCaption', { ceiling: data.ceiling, ips: data.recommendedMax })}
            </figcaption>
            <div aria-hidden="true" className="timeline-chart caseload-chart">
              <ResponsiveContainer width="100%" height={80 + rows.length * 48}>
                <BarChart data={chartRows} layout="vertical" margin={{ top: 24, right: 24, bottom: 4, left: 4 }} accessibilityLayer={false}>
                  <CartesianGrid horizontal={false} stroke="#dcdcdc" />
                  <XAxis type="number" domain={[0, top]} allowDecimals={false} stroke="#1a1a1a" tick={{ fill: '#1a1a1a', fontSize: 13 }} />
                  <YAxis type="category" dataKey="name" width={130} interval={0} stroke="#1a1a1a" tick={{ fill: '#1a1a1a', fontSize: 13 }} />
                  <Legend wrapperStyle={{ color: '#1a1a1a', fontSize: 13 }} />
                  <Bar dataKey="active" name={t('caseloads.active')} stackId="c" fill="#0059b3" isAnimationActive={false} />
                  <Bar dataKey="paused" name={t('caseloads.paused')} stackId="c" fill="#8e8e8e" isAnimationActive={false} />
                  <Bar dataKey="referred" name={t('caseloads.referred')} stackId="c" fill="#70a7de" isAnimationActive={false} />
                  <ReferenceLine x={data.recommendedMax} stroke="#358000" strokeDasharray="4 3" strokeWidth={2} label={{ value: t('caseloads.ipsLine', { n: data.recommendedMax }), position: 'top', fill: '#2c6b00', fontSize: 12 }} />
                  <ReferenceLine x={data.ceiling} stroke="#b51d09" strokeWidth={2} label={{ value: t('caseloads.ceilingLine', { n: data.ceiling }), position: 'top', fill: '#b51d09', fontSize: 12 }} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </figure>
          <TableScroll labelledBy="caseload-heading">
            <table className="table table--compact table-stack caseload-table">
              <thead>
                <tr>
                  <th scope="col">{t('caseloads.consultant')}</th>
                  <th scope="col" className="numeric">{t('caseloads.active')}</th>
                  <th scope="col" className="numeric">{t('caseloads.paused')}</th>
                  <th scope="col" className="numeric">{t('caseloads.referred')}</th>
                  <th scope="col">{t('caseloads.load')}</th>
                  <th scope="col">{t('caseloads.substituteFor')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const load = r.active + r.paused;
                  const state: MessageKey = load > data.ceiling ? 'caseloads.state.over' : load > data.recommendedMax ? 'caseloads.state.aboveIps' : 'caseloads.state.ok';
                  return (
                    <tr key={r.user.id}>
                      <th scope="row">{r.user.name}</th>
                      <td data-label={t('caseloads.active')} className="numeric">{r.active}</td>
                      <td data-label={t('caseloads.paused')} className="numeric">{r.paused}</td>
                      <td data-label={t('caseloads.referred')} className="numeric">{r.referred}</td>
                      <td data-label={t('caseloads.load')}>
                        <span className={`load-state load-${state.split('.').pop()}`}>{t(state, { n: load, ceiling: data.ceiling, ips: data.recommendedMax })}</span>
                      </td>
                      <td data-label={t('caseloads.substituteFor')}>{r.substituteFor.length ? r.substituteFor.map((u) => u.name).join(', ') : '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}

type HandoverValues = { fromUserId: string; toUserId: string; kind: 'permanent' | 'substitute'; validFrom: string; validTo: string };

function HandoverForm({ data }: { data: Caseload }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const staff = useProgrammeStaff(data.programmeId);
  const [v, setV] = useState<HandoverValues>({ fromUserId: '', toUserId: '', kind: 'substitute', validFrom: todayInCopenhagen(), validTo: '' });
  const [submitted, setSubmitted] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const consultants = (staff.data?.items ?? []).filter((m) => m.roles.includes('resource_consultant'));
  const name = (id: string) => consultants.find((c) => c.id === id)?.name ?? '';
  const errors: Partial<Record<keyof HandoverValues, MessageKey>> = {};
  if (!v.fromUserId) errors.fromUserId = 'handover.error.from';
  if (!v.toUserId) errors.toUserId = 'handover.error.to';
  else if (v.toUserId === v.fromUserId) errors.toUserId = 'handover.error.same';
  if (!isIsoDate(v.validFrom)) errors.validFrom = 'newCitizen.error.date';
  if (v.kind === 'substitute' && !isIsoDate(v.validTo)) errors.validTo = 'handover.error.validTo';
  else if (v.kind === 'substitute' && v.validTo < v.validFrom) errors.validTo = 'form.error.beforeStart';
  const err = (f: keyof HandoverValues) => (submitted && errors[f] ? t(errors[f]!) : undefined);
  const set = (patch: Partial<HandoverValues>) => {
    setV({ ...v, ...patch });
    setConfirming(false);
    setFailed(null);
  };

  const handOver = useMutation({
    mutationFn: () =>
      api.post<{ enrolmentsHandedOver: number }>(`/api/programmes/${data.programmeId}/caseloads/handover`, {
        fromUserId: v.fromUserId,
        toUserId: v.toUserId,
        kind: v.kind,
        validFrom: v.validFrom,
        ...(v.kind === 'substitute' ? { validTo: v.validTo } : {}),
      }),
    onSuccess: async (r) => {
      setConfirming(false);
      setResult(t('handover.done', { n: r.enrolmentsHandedOver, from: name(v.fromUserId), to: name(v.toUserId) }));
      await client.invalidateQueries({ queryKey: ['caseloads'] });
    },
    onError: (e) => {
      setConfirming(false);
      setFailed(e instanceof ApiError && e.status === 400 ? 'error.request' : errorMessageKey(e));
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setResult(null);
    const first = (Object.keys(errors) as (keyof HandoverValues)[])[0];
    if (first) return document.getElementById(`handover-${first}`)?.focus();
    setConfirming(true);
  }
  const options = [{ value: '', label: t('handover.choose') }, ...consultants.map((c) => ({ value: c.id, label: c.name }))];

  return (
    <section className="editor" aria-labelledby="handover-heading">
      <h2 id="handover-heading">{t('handover.title')}</h2>
      <p className="form-hint">{t('handover.intro')}</p>
      <SuccessNotice message={result} />
      <form onSubmit={submit} noValidate>
        <SelectField id="handover-fromUserId" label={t('handover.from')} value={v.fromUserId} options={options} error={err('fromUserId')} onChange={(fromUserId) => set({ fromUserId })} />
        <SelectField id="handover-toUserId" label={t('handover.to')} value={v.toUserId} options={options} error={err('toUserId')} onChange={(toUserId) => set({ toUserId })} />
        <fieldset className="form-group">
          <legend className="form-label">{t('handover.kind')}</legend>
          {(['substitute', 'permanent'] as const).map((k) => (
            <div className="form-group-radio" key={k}>
              <input id={`handover-kind-${k}`} type="radio" name="handover-kind" className="form-radio" checked={v.kind === k} onChange={() => set({ kind: k })} />
              <label htmlFor={`handover-kind-${k}`}>{t(`handover.kind.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <TextField id="handover-validFrom" label={t('handover.validFrom')} type="date" className="input-width-s" value={v.validFrom} error={err('validFrom')} onChange={(validFrom) => set({ validFrom })} />
        {v.kind === 'substitute' && (
          <TextField id="handover-validTo" label={t('handover.validTo')} hint={t('handover.validToHint')} type="date" className="input-width-s" value={v.validTo} error={err('validTo')} onChange={(validTo) => set({ validTo })} />
        )}
        {failed && <ErrorAlert message={t(failed)} />}
        {confirming ? (
          <div className="alert alert-warning" role="alertdialog" aria-labelledby="handover-confirm-heading">
            <div className="alert-body">
              <p className="alert-heading" id="handover-confirm-heading">
                {v.kind === 'permanent'
                  ? t('handover.confirmPermanent', { from: name(v.fromUserId), to: name(v.toUserId), date: formatIsoDate(language, v.validFrom) })
                  : t('handover.confirmSubstitute', { from: name(v.fromUserId), to: name(v.toUserId), date: formatIsoDate(language, v.validFrom), until: formatIsoDate(language, v.validTo) })}
              </p>
              <div className="button-row">
                <button type="button" className="button button-primary" onClick={() => handOver.mutate()} disabled={handOver.isPending} autoFocus>
                  {t('handover.confirm')}
                </button>
                <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          </div>
        ) : (
          <FormButtons saveLabel={t('handover.submit')} />
        )}
      </form>
    </section>
  );
}

/**
 * The programme's settings for the programme manager: the caseload ceiling (1–200) and whether resource
 * consultants see all the programme's citizens. Sends the version it read; a newer change elsewhere asks to reload.
 */
function SettingsForm({ programmeId }: { programmeId: string }) {
  const client = useQueryClient();
  // Kept here: the fields start afresh from each saved version, the "saved" message stays.
  const [saved, setSaved] = useState(false);
  const programme = useQuery({ queryKey: ['programme', programmeId], queryFn: () => api.get<ProgrammeDetail>(`/api/programmes/${encodeURIComponent(programmeId)}`) });
  if (programme.isPending) return <Loading />;
  if (programme.isError) return <QueryError error={programme.error} />;
  return (
    <SettingsFields
      key={programme.data.version}
      programme={programme.data}
      saved={saved}
      setSaved={setSaved}
      onSaved={async (next) => {
        setSaved(true);
        client.setQueryData(['programme', programmeId], next);
        await client.invalidateQueries({ queryKey: ['caseloads', programmeId] });
      }}
      onReload={() => void client.invalidateQueries({ queryKey: ['programme', programmeId] })}
    />
  );
}

function SettingsFields({ programme, saved, setSaved, onSaved, onReload }: {
  programme: ProgrammeDetail;
  saved: boolean;
  setSaved: (saved: boolean) => void;
  onSaved: (p: ProgrammeDetail) => Promise<void>;
  onReload: () => void;
}) {
  const { t } = useI18n();
  const [ceiling, setCeiling] = useState(String(programme.caseloadCeiling));
  const [seeAll, setSeeAll] = useState(programme.consultantsSeeAll);
  const [showNotes, setShowNotes] = useState(programme.showNotesToCitizen);
  const [touched, setTouched] = useState(false);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const value = ceiling.trim();
  const error: MessageKey | null = !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 200 ? 'settings.error.ceiling' : null;
  const save = useMutation({
    mutationFn: () => api.patch<ProgrammeDetail>(`/api/programmes/${encodeURIComponent(programme.id)}`, { version: programme.version, caseloadCeiling: Number(value), consultantsSeeAll: seeAll, showNotesToCitizen: showNotes }),
    onSuccess: onSaved,
    onError: (e) => setFailed(e instanceof ApiError && e.status === 409 ? 'settings.stale' : errorMessageKey(e)),
  });
  const edit = () => {
    setFailed(null);
    setSaved(false);
  };
  return (
    <section className="editor" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('settings.title')}</h2>
      <SuccessNotice message={saved && t('settings.saved')} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (error) return document.getElementById('settings-ceiling')?.focus();
          save.mutate();
        }}
      >
        <TextField
          id="settings-ceiling"
          label={t('settings.ceiling')}
          hint={t('settings.ceilingHint', { ips: 20 })}
          inputMode="numeric"
          className="input-width-xs"
          value={ceiling}
          error={touched && error ? t(error) : undefined}
          onChange={(v) => {
            setCeiling(v);
            edit();
          }}
          onBlur={() => setTouched(true)}
        />
        <div className="form-group">
          <div className="form-group-checkbox">
            <input
              id="settings-seeAll"
              type="checkbox"
              className="form-checkbox"
              checked={seeAll}
              aria-describedby="settings-seeAll-hint"
              onChange={(e) => {
                setSeeAll(e.target.checked);
                edit();
              }}
            />
            <label htmlFor="settings-seeAll">{t('settings.seeAll')}</label>
          </div>
          <span className="form-hint" id="settings-seeAll-hint">
            {t('settings.seeAllHint')}
          </span>
        </div>
        <div className="form-group">
          <div className="form-group-checkbox">
            <input
              id="settings-showNotes"
              type="checkbox"
              className="form-checkbox"
              checked={showNotes}
              aria-describedby="settings-showNotes-hint"
              onChange={(e) => {
                setShowNotes(e.target.checked);
                edit();
              }}
            />
            <label htmlFor="settings-showNotes">{t('settings.showNotes')}</label>
          </div>
          <span className="form-hint" id="settings-showNotes-hint">
            {t('settings.showNotesHint')}
          </span>
        </div>
        {failed && (
          <ErrorAlert message={t(failed)}>
            {failed === 'settings.stale' && (
              <button type="button" className="button button-secondary" onClick={onReload}>
                {t('settings.reload')}
              </button>
            )}
          </ErrorAlert>
        )}
        <FormButtons saveLabel={t('settings.save')} disabled={save.isPending} />
      </form>
    </section>
  );
}
