// "Overgang fra behandling" on the region's record of a patient (the liaison and the clinician): one checklist
// from psychiatric treatment into the municipal effort. Contact, the first network meeting and the named
// contact in psychiatry are recorded here with their dates; consents, the knowledge transfer and its disclosure
// are read from those records, so the list cannot say otherwise than they do.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CitizenTransition, Transition } from '../../../contracts/transitions.ts';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, errorMessageKey, Loading, QueryError } from '../../app/feedback.tsx';
import { TextField } from '../../app/fields.tsx';
import { useUser } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { Section } from '../citizens/Section.tsx';
import type { CitizenDetail } from '../citizens/citizenApi.ts';

type TransitionData = z.infer<typeof Transition>;
const key = (citizenId: string) => ['citizen', citizenId, 'transition'];

/** Shown to the region's liaison and clinician on a patient in one of their programmes; the server decides in the end. */
export function TransitionPanel({ citizen }: { citizen: CitizenDetail }) {
  const user = useUser();
  const programmes = citizen.enrolments.filter((e) => e.status !== 'ended' && user.roles.some((g) => g.programmeId === e.programme.id && (g.role === 'liaison' || g.role === 'clinician')));
  if (programmes.length === 0) return null;
  return <Checklist citizenId={citizen.id} programmeId={programmes[0]!.programme.id} />;
}

function Checklist({ citizenId, programmeId }: { citizenId: string; programmeId: string }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const query = useQuery({ queryKey: key(citizenId), queryFn: () => api.get<z.infer<typeof CitizenTransition>>(`/api/citizens/${citizenId}/transition`) });
  const start = useMutation({
    mutationFn: () => api.post<TransitionData>(`/api/citizens/${citizenId}/transition`, { programmeId }),
    onSuccess: () => client.invalidateQueries({ queryKey: key(citizenId) }),
  });
  if (query.error instanceof ApiError && query.error.status === 404) return null;
  const transition = query.data?.transition ?? null;
  return (
    <Section id="transition-heading" title={t('transition.title')}>
      {query.isPending && <Loading />}
      {query.isError && <QueryError error={query.error} />}
      {query.isSuccess && (transition === null || transition.status !== 'open') && (
        <>
          {transition ? (
            <p>{t(transition.status === 'completed' ? 'transition.completedOn' : 'transition.cancelledOn', { date: formatIsoDate(language, transition.closedOn ?? '') })}</p>
          ) : (
            <p>{t('transition.none')}</p>
          )}
          {start.isError && <ErrorAlert message={t(errorMessageKey(start.error))} />}
          <button type="button" className="button button-secondary" disabled={start.isPending} onClick={() => start.mutate()}>
            {t('transition.start')}
          </button>
        </>
      )}
      {transition && transition.status === 'open' && <OpenChecklist citizenId={citizenId} transition={transition} />}
    </Section>
  );
}

function OpenChecklist({ citizenId, transition: tr }: { citizenId: string; transition: TransitionData }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const recorded = (code: string) => tr.items.find((i) => i.code === code)?.on ?? '';
  const [contactMadeOn, setContactMadeOn] = useState(recorded('contact_made'));
  const [meetingOn, setMeetingOn] = useState(recorded('first_meeting_booked'));
  const [contactName, setContactName] = useState(tr.psychiatryContactName ?? '');
  const [contactOn, setContactOn] = useState(recorded('psychiatry_contact'));
  const [problem, setProblem] = useState<{ field: string; key: MessageKey } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (status?: 'completed' | 'cancelled') =>
      api.patch<TransitionData>(`/api/transitions/${tr.id}`, {
        version: tr.version,
        contactMadeOn: contactMadeOn || null,
        firstMeetingBookedOn: meetingOn || null,
        psychiatryContact: contactName.trim() ? { name: contactName.trim(), on: contactOn } : null,
        ...(status ? { status } : {}),
      }),
    onSuccess: async () => {
      setFailed(null);
      await client.invalidateQueries({ queryKey: key(citizenId) });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409 && e.body?.issues?.some((i) => i.message === 'not_done')) {
        setFailed(t('transition.notAllDone', { steps: (e.body?.issues ?? []).filter((i) => i.message === 'not_done').map((i) => t(`transition.item.${i.path.replace('items.', '')}` as MessageKey)).join(', ') }));
      } else if (e instanceof ApiError && e.status === 400 && e.body?.issues?.[0]) {
        const issue = e.body!.issues![0]!;
        setProblem({ field: issue.path, key: issue.message === 'in_future' ? 'transition.error.future' : issue.message === 'before_opened' ? 'transition.error.beforeOpened' : 'transition.error.date' });
      } else setFailed(t(errorMessageKey(e)));
    },
  });
  const submit = (status?: 'completed' | 'cancelled') => {
    setProblem(null);
    if (contactName.trim() && !contactOn) {
      setProblem({ field: 'psychiatryContact', key: 'transition.error.contactDate' });
      document.getElementById('transition-contact-on')?.focus();
      return;
    }
    save.mutate(status);
  };
  const errorFor = (field: string) => (problem?.field === field ? t(problem.key) : undefined);
  return (
    <>
      <p>
        {t('transition.openedOn', { date: formatIsoDate(language, tr.openedOn) })} · <strong>{t('transition.progress', { done: tr.done, total: tr.items.length })}</strong>
      </p>
      <ul className="plain-list transition-items">
        {tr.items.map((item) => (
          <li key={item.code} className={item.done ? 'transition-item transition-item-done' : 'transition-item'}>
            <span className="transition-mark" aria-hidden="true">
              {item.done ? '✓' : '○'}
            </span>{' '}
            {t(`transition.item.${item.code}` as MessageKey)}
            {': '}
            {item.done ? t('transition.doneOn', { date: formatIsoDate(language, item.on ?? '') }) : t('transition.notDone')}
            {item.source === 'derived' && <span className="muted"> ({t('transition.derived')})</span>}
          </li>
        ))}
      </ul>
      <form
        noValidate
        aria-label={t('transition.formLabel')}
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <TextField id="transition-contact-made" type="date" className="input-width-s" label={t('transition.field.contactMadeOn')} value={contactMadeOn} error={errorFor('contactMadeOn')} onChange={setContactMadeOn} />
        <TextField id="transition-meeting" type="date" className="input-width-s" label={t('transition.field.firstMeetingBookedOn')} value={meetingOn} error={errorFor('firstMeetingBookedOn')} onChange={setMeetingOn} />
        <TextField id="transition-contact-name" label={t('transition.field.contactName')} hint={t('transition.field.contactNameHint')} value={contactName} onChange={setContactName} />
        <TextField id="transition-contact-on" type="date" className="input-width-s" label={t('transition.field.contactOn')} value={contactOn} error={errorFor('psychiatryContact')} onChange={setContactOn} />
        {failed && <ErrorAlert message={failed} />}
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {t('transition.save')}
          </button>
          <button type="button" className="button button-secondary" disabled={save.isPending} onClick={() => submit('completed')}>
            {t('transition.complete')}
          </button>
          <button type="button" className="button button-tertiary" disabled={save.isPending} onClick={() => submit('cancelled')}>
            {t('transition.cancel')}
          </button>
        </div>
      </form>
    </>
  );
}
