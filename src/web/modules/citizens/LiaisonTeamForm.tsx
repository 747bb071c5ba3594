// "Tilføj fremskudt medarbejder fra psykiatrien": puts psychiatry's liaison on the team of the open enrolment,
// from today or a later day. The server takes the liaison only while the citizen's consents cover both
// directions; a refusal lists what is missing in plain words. With a liaison already on the team the same
// action ends the place on a chosen last day.
import { useMutation } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { SelectField, TextField } from '../../app/fields.tsx';
import { Loading, QueryError } from '../../app/feedback.tsx';
import { isIsoDate, useProgrammeStaff, type CitizenDetail } from './citizenApi.ts';
import { FormFrame, useSmallForm, type Errors } from './CitizenForms.tsx';
import { ConsentIssues } from '../inquiries/NewInquiryPage.tsx';

type Enrolment = CitizenDetail['enrolments'][number];

const ISSUES: Record<string, MessageKey> = {
  liaison_consents_missing: 'liaisonTeam.refused',
  liaison_already_on_team: 'liaisonTeam.alreadyOnTeam',
  not_liaison_in_programme: 'liaisonTeam.notLiaison',
  before_today_or_start: 'liaisonTeam.fromTooEarly',
  too_far_ahead: 'liaisonTeam.tooFarAhead',
  before_start: 'liaisonTeam.toBeforeFrom',
  no_liaison_on_team: 'liaisonTeam.noneOnTeam',
  enrolment_ended: 'liaisonTeam.enrolmentEnded',
};
const issueText = (m: string): MessageKey => ISSUES[m] ?? 'newCitizen.error.invalid';

/** The liaison on the team today (or from a later day), if any. */
export function liaisonOnTeam(enrolment: Enrolment, today: string) {
  return enrolment.team.find((m) => m.role === 'liaison' && (m.validTo === null || m.validTo >= today));
}

export function LiaisonTeamForm({ enrolment, onDone, onCancel }: { enrolment: Enrolment; onDone: () => void; onCancel: () => void }) {
  const current = liaisonOnTeam(enrolment, todayInCopenhagen());
  return current ? <EndForm enrolment={enrolment} member={current} onDone={onDone} onCancel={onCancel} /> : <AddForm enrolment={enrolment} onDone={onDone} onCancel={onCancel} />;
}

function AddForm({ enrolment, onDone, onCancel }: { enrolment: Enrolment; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const staff = useProgrammeStaff(enrolment.programme.id);
  const liaisons = (staff.data?.items ?? []).filter((m) => m.roles.includes('liaison'));
  const f = useSmallForm(
    { liaisonId: '', validFrom: todayInCopenhagen() },
    (v) => {
      const e: Errors<'liaisonId' | 'validFrom'> = {};
      if (!v.liaisonId) e.liaisonId = 'liaisonTeam.chooseLiaison';
      if (!isIsoDate(v.validFrom)) e.validFrom = 'newCitizen.error.date';
      return e;
    },
    'liaison',
  );
  const add = useMutation({
    mutationFn: () => api.post(`/api/enrolments/${encodeURIComponent(enrolment.id)}/liaison`, { liaisonId: f.values.liaisonId, validFrom: f.values.validFrom }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => f.fail(e, (p) => (p === 'liaisonId' || p === 'validFrom' ? p : p === 'status' ? 'liaisonId' : undefined), issueText),
  });
  if (staff.isPending) return <Loading />;
  if (staff.isError) return <QueryError error={staff.error} />;
  return (
    <FormFrame
      id="liaison-form"
      title={t('liaisonTeam.addTitle')}
      submitLabel={t('liaisonTeam.add')}
      pending={add.isPending}
      failed={f.failed}
      leaveConfirm={f.unsaved.confirm}
      onCancel={onCancel}
      onSubmit={(e) => {
        e.preventDefault();
        if (f.check()) add.mutate();
      }}
    >
      <p className="form-hint">{t('liaisonTeam.intro')}</p>
      {liaisons.length === 0 ? (
        <p>{t('liaisonTeam.noLiaisons')}</p>
      ) : (
        <SelectField
          id="liaison-liaisonId"
          label={t('consents.team.liaison')}
          hint={t('consents.team.liaisonHint')}
          value={f.values.liaisonId}
          error={f.errorOf('liaisonId')}
          options={[{ value: '', label: t('liaisonTeam.choose') }, ...liaisons.map((m) => ({ value: m.id, label: m.name }))]}
          onChange={(x) => f.set('liaisonId', x)}
          onBlur={() => f.touch('liaisonId')}
        />
      )}
      {f.errorOf('liaisonId') && add.error instanceof ApiError && add.error.issueFor('liaisonId') === 'liaison_consents_missing' && (
        <div className="form-group form-error" id="liaison-gaps">
          <p className="form-error-message">{t('consents.team.missing')}</p>
          <ConsentIssues error={add.error} />
        </div>
      )}
      <TextField id="liaison-validFrom" label={t('liaisonTeam.from')} type="date" className="input-width-s" value={f.values.validFrom} error={f.errorOf('validFrom')} onChange={(v) => f.set('validFrom', v)} onBlur={() => f.touch('validFrom')} />
    </FormFrame>
  );
}

function EndForm({ enrolment, member, onDone, onCancel }: { enrolment: Enrolment; member: Enrolment['team'][number]; onDone: () => void; onCancel: () => void }) {
  const { t, language } = useI18n();
  const f = useSmallForm(
    { validTo: todayInCopenhagen() },
    (v) => {
      const e: Errors<'validTo'> = {};
      if (!isIsoDate(v.validTo)) e.validTo = 'newCitizen.error.date';
      return e;
    },
    'liaison-end',
  );
  const end = useMutation({
    mutationFn: () => api.post(`/api/enrolments/${encodeURIComponent(enrolment.id)}/liaison/end`, { validTo: f.values.validTo }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => f.fail(e, (p) => (p === 'validTo' || p === 'liaisonId' || p === 'status' ? 'validTo' : undefined), issueText),
  });
  return (
    <FormFrame
      id="liaison-end-form"
      title={t('liaisonTeam.endTitle')}
      submitLabel={t('liaisonTeam.end')}
      pending={end.isPending}
      failed={f.failed}
      leaveConfirm={f.unsaved.confirm}
      onCancel={onCancel}
      onSubmit={(e) => {
        e.preventDefault();
        if (f.check()) end.mutate();
      }}
    >
      <p className="form-hint">{t('liaisonTeam.endIntro', { name: member.user.name, from: formatIsoDate(language, member.validFrom) })}</p>
      <TextField id="liaison-end-validTo" label={t('liaisonTeam.to')} type="date" className="input-width-s" value={f.values.validTo} error={f.errorOf('validTo')} onChange={(v) => f.set('validTo', v)} onBlur={() => f.touch('validTo')} />
    </FormFrame>
  );
}
