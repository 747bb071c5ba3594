// "Min plan" on the citizen page: whether the citizen has been invited to the portal and has logged in, and the
// button staff on the citizen's team use to invite them through the contact details on file.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InvitationResponse, PortalStatus } from '../../../contracts/portal.ts';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, QueryError } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime, todayInCopenhagen } from '../../i18n/format.ts';
import { Section } from '../citizens/Section.tsx';
import type { CitizenDetail } from '../citizens/citizenApi.ts';

const key = (citizenId: string) => ['citizen', citizenId, 'portal'];

export function PortalInvitationPanel({ citizen }: { citizen: CitizenDetail }) {
  const { t, language } = useI18n();
  const user = useUser();
  const client = useQueryClient();
  const [sent, setSent] = useState<MessageKey | null>(null);
  const status = useQuery({ queryKey: key(citizen.id), queryFn: () => api.get<PortalStatus>(`/api/citizens/${citizen.id}/portal-invitation`) });
  const invite = useMutation({
    mutationFn: () => api.post<InvitationResponse>(`/api/citizens/${citizen.id}/portal-invitation`),
    onSuccess: (answer) => {
      client.setQueryData(key(citizen.id), answer);
      setSent(answer.channel === 'email' ? 'portal.staff.sentEmail' : 'portal.staff.sentSms');
    },
    onError: () => setSent(null),
  });
  // Not the caller's to see (the server decides): the panel is left out, as the rest of the page does.
  if (status.error instanceof ApiError && status.error.status === 404) return null;

  const today = todayInCopenhagen();
  // Staff on the team today invite; the server checks it again.
  const onTeam = citizen.enrolments.some(
    (e) => e.status !== 'ended' && e.team.some((m) => m.user.id === user.id && m.validFrom <= today && (m.validTo === null || m.validTo >= today)),
  );
  const s = status.data;
  const inviteError = invite.error instanceof ApiError && invite.error.status === 409 ? 'portal.staff.noContact' : invite.error instanceof ApiError && invite.error.status === 503 ? 'portal.staff.unavailable' : 'error.request';

  return (
    <Section id="portal-heading" title={t('portal.staff.title')}>
      {status.isPending && <Loading />}
      {status.isError && <QueryError error={status.error} />}
      {s && (
        <>
          <p>
            {s.state === 'not_invited' && t('portal.staff.notInvited')}
            {s.state === 'invited' && s.invitedAt && t('portal.staff.invited', { date: formatDateTime(language, s.invitedAt) })}
            {s.state === 'logged_in' && s.lastLoginAt && t('portal.staff.loggedIn', { date: formatDateTime(language, s.lastLoginAt) })}
          </p>
          <p>{s.contact.email || s.contact.phone ? t('portal.staff.contactUses') : t('portal.staff.contactNone')}</p>
          <div role="status">
            {sent && (
              <div className="alert alert-success">
                <div className="alert-body">
                  <p className="alert-text">{t(sent)}</p>
                </div>
              </div>
            )}
          </div>
          {invite.isError && <ErrorAlert message={t(inviteError)} />}
          {onTeam && (
            <button type="button" className="button button-secondary" disabled={invite.isPending} onClick={() => invite.mutate()}>
              {invite.isPending ? t('portal.staff.inviting') : s.state === 'not_invited' ? t('portal.staff.invite') : t('portal.staff.inviteAgain')}
            </button>
          )}
        </>
      )}
    </Section>
  );
}
