// The citizen page, the centre of the product: header (name, masked CPR with reveal, age, programme, status,
// team), action buttons that open one short form each, the enrolment, contact details, status history with
// self-support weeks and a chart, journal notes, and the timeline of everything, newest first.
import { useEffect, useRef, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { roleLabel } from '../../i18n/labels.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { citizenKey, codeLabel, currentEnrolment, useCitizen, type CitizenDetail } from './citizenApi.ts';
import { StatusTag } from './StatusTag.tsx';
import { ContactForm, EndEnrolmentForm, NoteForm, PauseForm, StatusPeriodForm } from './CitizenForms.tsx';
import { StatusHistory } from './StatusHistory.tsx';
import { EnrolAgainForm } from './EnrolAgainForm.tsx';
import { LiaisonTeamForm, liaisonOnTeam } from './LiaisonTeamForm.tsx';
import { todayInCopenhagen } from '../../i18n/format.ts';
import { NotesPanel } from './NotesPanel.tsx';
import { Timeline } from './Timeline.tsx';
import { Section } from './Section.tsx';
import { PlanPanel } from '../plan/PlanPanel.tsx';
import { ConversationForm } from '../plan/ConversationForm.tsx';
import { MeetingForm } from '../plan/MeetingForm.tsx';
import { CitizenActivities } from '../companies/CitizenActivities.tsx';
import { ConversationsPanel } from '../plan/ConversationsPanel.tsx';
import { CitizenCoursesPanel } from '../courses/CitizenCoursesPanel.tsx';
import { CitizenInquiryLink } from '../inquiries/NewInquiryPage.tsx';
import { useUser } from '../../app/session.tsx';
import { MeasurementsPanel } from '../progression/MeasurementsPanel.tsx';
import { TransitionPanel } from '../transitions/TransitionPanel.tsx';
import { HealthInformationPanel } from '../disclosures/HealthInformationPanel.tsx';
import { CitizenDutiesPanel } from '../consultations/DutiesPanel.tsx';
import { ConsentsPanel } from '../consents/ConsentsPanel.tsx';
import { PortalInvitationPanel } from '../portal/PortalInvitationPanel.tsx';
import { KnowledgeTransferLink } from '../disclosures/KnowledgeTransferLink.tsx';

type Action = 'conversation' | 'meeting' | 'note' | 'status' | 'contact' | 'end' | 'pause' | 'resume' | 'enrol' | 'liaison';

/** Who may set a team: the case roles that enrol (the server decides; this only hides the button from others). */
const TEAM_SETTERS: readonly string[] = ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'];

export function CitizenPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const citizen = useCitizen(id);
  if (citizen.isPending) return <Loading />;
  if (citizen.isError)
    return (
      <>
        <PageHeading title={t('citizen.unavailable')}>{t('citizen.unavailable')}</PageHeading>
        <QueryError error={citizen.error} />
      </>
    );
  return <CitizenView citizen={citizen.data} />;
}

function CitizenView({ citizen: c }: { citizen: CitizenDetail }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const location = useLocation();
  const created = (location.state as { created?: string[] } | null)?.created;
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState<string | null>(created ? t('citizen.createdNotice') : null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const enrolment = currentEnrolment(c);
  const name = `${c.firstName} ${c.lastName}`;
  const open = enrolment && enrolment.status !== 'ended';
  // The region's staff (liaison, clinician) see the region's own record of a patient: the municipal effort — plan,
  // conversations, meetings, status history, internships, courses — belongs to the municipality's record, not here.
  const user = useUser();
  const regionSide = user.roles.some((g) => g.role === 'liaison' || g.role === 'clinician');

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  async function done(message: MessageKey) {
    setAction(null);
    // The citizen, its notes and its timeline are all under ['citizen', id]: the new event shows at once.
    await client.invalidateQueries({ queryKey: citizenKey(c.id) });
    void client.invalidateQueries({ queryKey: ['citizens'] });
    setNotice(t(message));
  }
  const start = (a: Action) => {
    setNotice(null);
    setAction(a);
  };
  const cancel = () => setAction(null);
  const hasLiaison = !!enrolment && !!liaisonOnTeam(enrolment, todayInCopenhagen());
  const teamRoleIn = (programmeId: string) => user.roles.some((g) => g.programmeId === programmeId && TEAM_SETTERS.includes(g.role));

  const actions: { key: Action; label: MessageKey; show: boolean }[] = [
    { key: 'conversation', label: 'citizen.action.conversation', show: !regionSide },
    { key: 'meeting', label: 'citizen.action.meeting', show: !!open && !regionSide },
    { key: 'note', label: 'citizen.action.note', show: true },
    { key: 'status', label: 'citizen.action.status', show: !regionSide },
    { key: 'contact', label: 'citizen.action.contact', show: true },
    { key: 'pause', label: 'citizen.action.pause', show: !!open && enrolment.status !== 'paused' },
    { key: 'resume', label: enrolment?.status === 'referred' ? 'citizen.action.activate' : 'citizen.action.resume', show: !!open && enrolment.status !== 'active' },
    { key: 'end', label: 'citizen.action.end', show: !!open },
    { key: 'enrol', label: enrolment ? 'citizen.action.enrolAgain' : 'citizen.action.enrol', show: !open },
    // Psychiatry's liaison on the team: the municipality's case roles in the programme (the server checks consents).
    { key: 'liaison', label: hasLiaison ? 'liaisonTeam.endAction' : 'liaisonTeam.action', show: !!open && !regionSide && teamRoleIn(enrolment.programme.id) },
  ];

  return (
    <>
      <div className="title-row">
        <PageHeading title={name}>{name}</PageHeading>
        {c.isDemo && (
          <span className="badge badge-info demo-badge" title={t('common.demoExplained')}>
            {t('common.demo')}
          </span>
        )}
      </div>

      <div className="citizen-top">
        <div className="citizen-top-main">
          <dl className="facts citizen-facts">
            <div>
              <dt>{t('citizen.cpr')}</dt>
              <dd>
                <CprReveal citizen={c} />
              </dd>
            </div>
            <div>
              <dt>{t('citizen.age')}</dt>
              <dd>{c.age === null ? t('citizen.ageUnknown') : t('citizen.ageValue', { age: c.age })}</dd>
            </div>
            <div>
              <dt>{t('citizen.programme')}</dt>
              <dd>{enrolment ? enrolment.programme.name : t('citizens.notEnrolled')}</dd>
            </div>
            <div>
              <dt>{t('citizen.status')}</dt>
              <dd>{enrolment ? <StatusTag status={enrolment.status} /> : t('common.none')}</dd>
            </div>
          </dl>

          {enrolment && enrolment.team.length > 0 && (
            <section className="citizen-team" aria-labelledby="team-heading">
              <h2 id="team-heading" className="h4">
                {t('citizen.team')}
              </h2>
              <ul className="plain-list team-list">
                {enrolment.team.map((m) => (
                  <li key={m.id}>
                    <strong>{m.user.name}</strong> – {roleLabel(t, m.role)}
                    {m.kind === 'substitute' && (
                      <span className="team-substitute">
                        {' '}
                        {t('citizen.substituteFor', { name: m.substituteFor?.name ?? '', to: m.validTo ? formatIsoDate(language, m.validTo) : '–' })}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
        {!regionSide && <PlanPanel citizenId={c.id} />}
      </div>

      <div className="notice-slot" role="status">
        {notice && (
          <div className="alert alert-success" ref={noticeRef} tabIndex={-1}>
            <div className="alert-body">
              <p className="alert-text">{notice}</p>
            </div>
          </div>
        )}
      </div>

      <div className="action-bar" role="group" aria-label={t('citizen.actions')}>
        {actions
          .filter((a) => a.show)
          .map((a) => (
            <button key={a.key} type="button" className={action === a.key ? 'button button-primary' : 'button button-secondary'} aria-expanded={action === a.key} onClick={() => (action === a.key ? cancel() : start(a.key))}>
              {t(a.label)}
            </button>
          ))}
      </div>

      {action === 'conversation' && <ConversationForm citizenId={c.id} onDone={() => void done('citizen.done.conversation')} onCancel={cancel} />}
      {action === 'meeting' && <MeetingForm citizenId={c.id} onDone={() => void done('citizen.done.meeting')} onCancel={cancel} />}
      {action === 'note' && <NoteForm citizenId={c.id} onDone={() => void done('citizen.done.note')} onCancel={cancel} />}
      {action === 'status' && <StatusPeriodForm citizenId={c.id} onDone={() => void done('citizen.done.status')} onCancel={cancel} />}
      {action === 'contact' && <ContactForm citizen={c} onDone={() => void done('citizen.done.contact')} onCancel={cancel} />}
      {action === 'enrol' && !open && <EnrolAgainForm citizen={c} onDone={() => void done('citizen.done.enrol')} onCancel={cancel} />}
      {action === 'liaison' && open && (
        <LiaisonTeamForm enrolment={enrolment} onDone={() => void done(hasLiaison ? 'liaisonTeam.doneEnd' : 'liaisonTeam.doneAdd')} onCancel={cancel} />
      )}
      {action === 'end' && enrolment && <EndEnrolmentForm enrolment={enrolment} onDone={() => void done('citizen.done.end')} onCancel={cancel} />}
      {(action === 'pause' || action === 'resume') && enrolment && (
        <PauseForm enrolment={enrolment} to={action === 'pause' ? 'paused' : 'active'} onDone={() => void done(action === 'pause' ? 'citizen.done.pause' : 'citizen.done.resume')} onCancel={cancel} />
      )}

      <HealthInformationPanel citizen={c} />
      <CitizenDutiesPanel citizen={c} />
      <KnowledgeTransferLink citizen={c} />
      <CitizenInquiryLink citizen={c} />
      <MeasurementsPanel citizen={c} />
      <TransitionPanel citizen={c} />
      {!regionSide && <CitizenActivities citizen={c} />}

      <Section id="enrolment-heading" title={t('citizen.enrolments')}>
        {c.enrolments.length === 0 ? (
          <p>{t('citizen.noEnrolments')}</p>
        ) : (
          [...c.enrolments]
            .sort((a, b) => (a.id === enrolment?.id ? -1 : b.id === enrolment?.id ? 1 : b.startDate.localeCompare(a.startDate)))
            .map((e) => (
              <div className="card-item enrolment-card" key={e.id}>
                <h3 className="h4">
                  {e.programme.name} <StatusTag status={e.status} />
                </h3>
                <dl className="detail-list">
                  <Detail label={t('citizen.startDate')} value={formatIsoDate(language, e.startDate)} />
                  {e.endDate && <Detail label={t('citizen.endDate')} value={formatIsoDate(language, e.endDate)} />}
                  {e.exitOutcome && <Detail label={t('citizen.exitOutcome')} value={codeLabel(language, e.exitOutcome)} />}
                  <Detail label={t('citizen.benefitAtStart')} value={codeLabel(language, e.benefit)} />
                  <Detail label={t('citizen.visitation')} value={codeLabel(language, e.visitation)} />
                  <Detail label={t('citizen.referralSource')} value={codeLabel(language, e.referralSource)} />
                  {e.referralDate && <Detail label={t('citizen.referralDate')} value={formatIsoDate(language, e.referralDate)} />}
                  {e.referralReason && <Detail label={t('citizen.referralReason')} value={e.referralReason} />}
                </dl>
              </div>
            ))
        )}
      </Section>

      <Section id="contact-heading" title={t('citizen.contact')}>
        <dl className="detail-list">
          <Detail label={t('citizen.phone')} value={c.phone} />
          <Detail label={t('citizen.email')} value={c.email} />
          <Detail label={t('citizen.address')} value={c.address} />
          <Detail label={t('citizen.preferredContact')} value={c.preferredContact ? t(`contactWay.${c.preferredContact}`) : null} />
          <Detail label={t('citizen.note')} value={c.note} />
          <Detail label={t('citizen.organisation')} value={c.organisation.name} />
        </dl>
      </Section>
      <PortalInvitationPanel citizen={c} />

      {!regionSide && <StatusHistory citizen={c} />}
      {!regionSide && <ConversationsPanel citizenId={c.id} />}
      <NotesPanel citizenId={c.id} />
      {!regionSide && <CitizenCoursesPanel citizenId={c.id} />}
      <ConsentsPanel citizen={c} />
      <Timeline citizen={c} />
    </>
  );
}

function Detail({ label, value }: { label: string; value: string | null | undefined }) {
  const { t } = useI18n();
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value || <span className="muted">{t('citizen.notGiven')}</span>}</dd>
    </div>
  );
}

/** The full number is shown only on request (audited), and hidden again with one click. */
function CprReveal({ citizen }: { citizen: CitizenDetail }) {
  const { t } = useI18n();
  const [cpr, setCpr] = useState<string | null>(null);
  const reveal = useMutation({ mutationFn: () => api.post<{ cpr: string }>(`/api/citizens/${citizen.id}/reveal-cpr`), onSuccess: (r) => setCpr(r.cpr) });
  return (
    <>
      <span className="cpr-value" aria-live="polite">
        {cpr ?? citizen.cprMasked}
      </span>
      {citizen.cprIsReplacement && <span className="cpr-note">{t('citizen.replacementCpr')}</span>}
      <span className="cpr-tools">
        {cpr ? (
          <button type="button" className="button button-tertiary button-small" onClick={() => setCpr(null)}>
            {t('citizen.hideCpr')}
          </button>
        ) : (
          <button type="button" className="button button-tertiary button-small" onClick={() => reveal.mutate()} disabled={reveal.isPending} aria-describedby="cpr-audit-hint">
            {t('citizen.revealCpr')}
          </button>
        )}
        <span className="form-hint cpr-hint" id="cpr-audit-hint">
          {t('citizen.revealHint')}
        </span>
      </span>
      {reveal.isError && <QueryError error={reveal.error} />}
    </>
  );
}
