// On the consent panel: what the citizen has open in Min plan (decision record 0036) — consents prepared with the
// citizen awaiting their confirmation (with a cancel button), and the citizen's withdrawal requests, which staff
// confirm (the real withdrawal of the standing consents the organisation is party to) or close after contacting
// the citizen.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsentPreparationList } from '../../../contracts/consents.ts';
import type { WithdrawalRequestList } from '../../../contracts/portal-confirmations.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../app/feedback.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/i18n.tsx';

export function CitizenConsentRequests({ citizenId }: { citizenId: string }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const preparations = useQuery({ queryKey: ['consent-preparations', citizenId], queryFn: () => api.get<ConsentPreparationList>(`/api/citizens/${encodeURIComponent(citizenId)}/consent-preparations`) });
  const requests = useQuery({ queryKey: ['withdrawal-requests', citizenId], queryFn: () => api.get<WithdrawalRequestList>(`/api/citizens/${encodeURIComponent(citizenId)}/withdrawal-requests`) });
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['consent-preparations', citizenId] });
    await client.invalidateQueries({ queryKey: ['withdrawal-requests', citizenId] });
    await client.invalidateQueries({ queryKey: ['consents'] });
  };
  const cancel = useMutation({ mutationFn: (id: string) => api.post(`/api/consent-preparations/${encodeURIComponent(id)}/cancel`), onSuccess: refresh });
  const handle = useMutation({
    mutationFn: (v: { id: string; outcome: 'withdraw' | 'contacted' }) => api.post(`/api/withdrawal-requests/${encodeURIComponent(v.id)}/handle`, { outcome: v.outcome }),
    onSuccess: refresh,
  });
  const awaiting = preparations.data?.items ?? [];
  const list = requests.data?.items ?? [];
  if (awaiting.length === 0 && list.length === 0) return null;
  return (
    <section className="consent-requests" aria-labelledby={`consent-requests-${citizenId}`}>
      <h3 id={`consent-requests-${citizenId}`} className="h5">
        {t('consentRequests.title')}
      </h3>
      <ul className="plain-list">
        {awaiting.map((p) => (
          <li key={p.id} className="card-item">
            <p>{t('consentRequests.prepared', { time: formatDateTime(language, p.preparedAt), name: p.preparedBy.name })}</p>
            <button type="button" className="button button-secondary button-small" disabled={cancel.isPending} onClick={() => cancel.mutate(p.id)}>
              {t('consentRequests.cancel')}
            </button>
          </li>
        ))}
        {list.map((r) => (
          <li key={r.id} className="card-item">
            <p>{t('consentRequests.request', { time: formatDateTime(language, r.sentAt) })}</p>
            {r.message && <p className="note-body">{t('consentRequests.message', { message: r.message })}</p>}
            {r.state === 'open' ? (
              <div className="button-row">
                <button type="button" className="button button-primary button-small" disabled={handle.isPending} onClick={() => handle.mutate({ id: r.id, outcome: 'withdraw' })}>
                  {t('consentRequests.withdraw')}
                </button>{' '}
                <button type="button" className="button button-secondary button-small" disabled={handle.isPending} onClick={() => handle.mutate({ id: r.id, outcome: 'contacted' })}>
                  {t('consentRequests.contacted')}
                </button>
              </div>
            ) : (
              <p className="note-meta">
                {t('consentRequests.handled', { time: formatDateTime(language, r.handledAt ?? r.sentAt), name: r.handledBy?.name ?? '', outcome: t(`consentRequests.outcome.${r.state}`) })}
              </p>
            )}
          </li>
        ))}
      </ul>
      {(cancel.isError || handle.isError) && <ErrorAlert message={t('consentRequests.failed')} />}
    </section>
  );
}
