// In "Mine samtykker": consents staff prepared with the citizen in a conversation, awaiting the citizen's
// confirmation (decision record 0036). Each shows what it would cover, from whom to whom, until when, and the
// consequence text; "Bekræft" asks once more, then confirms with the MitID login the citizen came with.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PortalConfirmation, PortalPreparationList } from '../../../contracts/portal-confirmations.ts';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../app/feedback.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { isMessageKey, useI18n } from '../../i18n/i18n.tsx';
import { roleLabel } from '../../i18n/labels.ts';
import { categoryLabel } from '../consents/labels.tsx';

const KEY = ['portal', 'consent-preparations'] as const;

export function PreparedConsents({ csrf }: { csrf: string }) {
  const { t } = useI18n();
  const [done, setDone] = useState<PortalConfirmation | null>(null);
  const prepared = useQuery({ queryKey: KEY, queryFn: () => api.get<PortalPreparationList>('/api/portal/consent-preparations', { quiet401: true }) });
  const items = prepared.data?.items ?? [];
  return (
    <>
      <div role="status">{done && <p className="alert alert-success portal-sent">{t('portal.remarks.prepared.confirmed')}</p>}</div>
      {items.length > 0 && (
        <section aria-labelledby="portal-prepared" className="portal-prepared">
          <h2 id="portal-prepared" className="h3">
            {t('portal.remarks.prepared.heading')}
          </h2>
          <p>{t('portal.remarks.prepared.intro')}</p>
          <ul className="portal-consents">
            {items.map((p) => (
              <li key={p.id}>
                <PreparedCard preparation={p} csrf={csrf} onConfirmed={setDone} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function PreparedCard({ preparation: p, csrf, onConfirmed }: { preparation: PortalPreparationList['items'][number]; csrf: string; onConfirmed: (c: PortalConfirmation) => void }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const headingId = `prepared-${p.id}`;
  const confirm = useMutation({
    mutationFn: () => api.post<PortalConfirmation>(`/api/portal/consent-preparations/${p.id}/confirm`, undefined, { quiet401: true, csrf }),
    onSuccess: async (c) => {
      onConfirmed(c);
      await Promise.all([client.invalidateQueries({ queryKey: KEY }), client.invalidateQueries({ queryKey: ['portal', 'consents'] })]);
    },
  });
  const failure = confirm.error
    ? confirm.error instanceof ApiError && confirm.error.status === 403
      ? t('portal.remarks.prepared.needsMitId')
      : confirm.error instanceof ApiError && confirm.error.status === 409
        ? t('portal.remarks.prepared.gone')
        : t('portal.remarks.prepared.failed')
    : null;
  return (
    <section className="portal-card portal-consent" aria-labelledby={headingId}>
      <h3 id={headingId} className="h4">
        {t('portal.remarks.prepared.cardHeading', { organisation: p.organisation })}
      </h3>
      {p.items.map((item, i) => {
        const kindKey = `portal.consents.kind.${item.instrument}`;
        const roles = item.recipientRoles.map((r) => roleLabel(t, r)).join(', ');
        return (
          <div key={i}>
            <p className="portal-consent-state">{isMessageKey(kindKey) ? t(kindKey) : item.title[language]}</p>
            <dl className="portal-consent-facts">
              <dt>{t('portal.consents.what')}</dt>
              <dd>{item.categories.map((x) => categoryLabel(t, x)).join(', ')}</dd>
              <dt>{t('portal.consents.from')}</dt>
              <dd>{item.source}</dd>
              <dt>{t('portal.consents.to')}</dt>
              <dd>{roles ? t('portal.consents.toRoles', { recipient: item.recipient, roles }) : item.recipient}</dd>
              <dt>{t('portal.consents.why')}</dt>
              <dd>{item.purpose}</dd>
              <dt>{t('portal.consents.until')}</dt>
              <dd>{t('portal.remarks.prepared.until', { to: formatIsoDate(language, item.validTo) })}</dd>
            </dl>
            <h4 className="h5">{t('portal.remarks.prepared.ifNot')}</h4>
            <p>{item.consequence[language]}</p>
          </div>
        );
      })}
      {!asking && (
        <button type="button" className="button button-primary" onClick={() => { confirm.reset(); setAsking(true); }}>
          {t('portal.remarks.prepared.confirm')}
        </button>
      )}
      {asking && (
        <div className="portal-confirm" role="group" aria-labelledby={`${headingId}-ask`}>
          <p id={`${headingId}-ask`} className="portal-confirm-heading">
            {t('portal.remarks.prepared.askHeading')}
          </p>
          <p>{t('portal.remarks.prepared.askText')}</p>
          <div className="portal-confirm-buttons">
            <button type="button" className="button button-primary" disabled={confirm.isPending} onClick={() => confirm.mutate()}>
              {confirm.isPending ? t('portal.remarks.prepared.confirming') : t('portal.remarks.prepared.yes')}
            </button>
            <button type="button" className="button button-secondary" disabled={confirm.isPending} onClick={() => setAsking(false)}>
              {t('portal.remarks.prepared.no')}
            </button>
          </div>
        </div>
      )}
      {failure && <ErrorAlert message={failure} />}
    </section>
  );
}
