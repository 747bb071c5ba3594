// "Mine samtykker" in the citizen portal: every consent on the citizen's own records, one card each, with what it
// covers, from whom to whom, until when, its state and the form's consequence text; a consent in force can be
// withdrawn after a confirmation step that repeats the consequence, and the receipt is shown after. Mobile first.
import { useEffect, useRef, useState } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { PortalConsent, PortalConsentList, PortalWithdrawalReceipt } from '../../../contracts/portal-consents.ts';
import { api, ApiError } from '../../api/client.ts';
import { FailureRegion, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { isMessageKey, useI18n } from '../../i18n/i18n.tsx';
import { roleLabel } from '../../i18n/labels.ts';
import { categoryLabel } from '../consents/labels.tsx';
import type { PortalSectionProps } from './sections.tsx';
import { PreparedConsents } from './PreparedConsents.tsx';

const CONSENTS_KEY = ['portal', 'consents'] as const;
const PAGE = 20;

export function ConsentsPage({ csrf }: PortalSectionProps) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [receipt, setReceipt] = useState<PortalWithdrawalReceipt | null>(null);
  const consents = useInfiniteQuery({
    queryKey: CONSENTS_KEY,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<PortalConsentList>(`/api/portal/consents?limit=${PAGE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`, { quiet401: true }),
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = consents.data?.pages.flatMap((p) => p.items) ?? [];
  const onWithdrawn = async (r: PortalWithdrawalReceipt) => {
    setReceipt(r);
    await client.invalidateQueries({ queryKey: CONSENTS_KEY });
  };
  return (
    <div className="portal-box">
      <PageHeading title={t('portal.consents.nav')}>{t('portal.consents.nav')}</PageHeading>
      <p>{t('portal.consents.intro')}</p>
      {/* Always on the page, so the receipt is announced when it appears. */}
      <div role="status">{receipt && <Receipt receipt={receipt} />}</div>
      <PreparedConsents csrf={csrf} />
      {consents.isPending && <Loading />}
      {consents.isError && <QueryError error={consents.error} />}
      {consents.data && items.length === 0 && <p>{t('portal.consents.none')}</p>}
      {items.length > 0 && (
        <ul className="portal-consents">
          {items.map((c) => (
            <li key={c.id}>
              <ConsentCard consent={c} csrf={csrf} onWithdrawn={onWithdrawn} />
            </li>
          ))}
        </ul>
      )}
      {consents.hasNextPage && (
        <button type="button" className="button button-secondary" disabled={consents.isFetchingNextPage} onClick={() => void consents.fetchNextPage()}>
          {t('portal.consents.more')}
        </button>
      )}
    </div>
  );
}

function ConsentCard({ consent: c, csrf, onWithdrawn }: { consent: PortalConsent; csrf: string; onWithdrawn: (r: PortalWithdrawalReceipt) => Promise<void> }) {
  const { t, language } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const headingId = `consent-${c.id}`;
  const kindKey = `portal.consents.kind.${c.instrument}`;
  const stateKey = `portal.consents.state.${c.state}`;
  const withdraw = useMutation({
    mutationFn: () => api.post<PortalWithdrawalReceipt>(`/api/portal/consents/${c.id}/withdraw`, undefined, { quiet401: true, csrf }),
    onSuccess: async (r) => {
      setConfirming(false);
      await onWithdrawn(r);
    },
  });
  const failure = withdraw.error
    ? withdraw.error instanceof ApiError && withdraw.error.status === 409
      ? t('portal.consents.alreadyWithdrawn')
      : withdraw.error instanceof ApiError && withdraw.error.status === 404
        ? t('portal.consents.notFound')
        : t('portal.consents.failed')
    : null;
  const recipient = c.recipient ? [c.recipient.name, c.recipient.unit].filter(Boolean).join(', ') : (c.recipientCompany?.name ?? '');
  const roles = c.recipientRoles.map((r) => roleLabel(t, r)).join(', ');
  return (
    <section className="portal-card portal-consent" aria-labelledby={headingId}>
      <h2 id={headingId} className="h3">
        {isMessageKey(kindKey) ? t(kindKey) : c.title[language]}
      </h2>
      <p className={`portal-consent-state portal-consent-state-${c.state}`}>{isMessageKey(stateKey) ? t(stateKey) : c.state}</p>
      <dl className="portal-consent-facts">
        <dt>{t('portal.consents.what')}</dt>
        <dd>{c.categories.map((x) => categoryLabel(t, x)).join(', ')}</dd>
        <dt>{t('portal.consents.from')}</dt>
        <dd>{[c.source.name, c.source.unit].filter(Boolean).join(', ')}</dd>
        <dt>{t('portal.consents.to')}</dt>
        <dd>{roles ? t('portal.consents.toRoles', { recipient, roles }) : recipient}</dd>
        <dt>{t('portal.consents.why')}</dt>
        <dd>{c.purpose}</dd>
        <dt>{t('portal.consents.until')}</dt>
        <dd>{t('portal.consents.untilDate', { from: formatIsoDate(language, c.validFrom), to: formatIsoDate(language, c.validTo) })}</dd>
      </dl>
      <p>{t('portal.consents.given', { date: formatIsoDate(language, c.givenOn) })}</p>
      {c.withdrawal && (
        <p>
          {c.withdrawal.receiptId
            ? t('portal.consents.withdrawnOn', { date: formatIsoDate(language, c.withdrawal.withdrawnOn) })
            : t('portal.consents.withdrawnByStaff', { date: formatIsoDate(language, c.withdrawal.withdrawnOn) })}
          {c.withdrawal.receiptId && (
            <>
              {' '}
              {t('portal.consents.receiptNumber', { id: c.withdrawal.receiptId })}
            </>
          )}
        </p>
      )}
      {c.canWithdraw && (
        <>
          <h3 className="h5">{t('portal.consents.ifWithdrawn')}</h3>
          <p>{c.consequence[language]}</p>
          {!confirming && (
            <button type="button" className="button button-secondary" onClick={() => { withdraw.reset(); setConfirming(true); }}>
              {t('portal.consents.withdraw')}
            </button>
          )}
          {confirming && (
            <div className="portal-confirm" role="group" aria-labelledby={`${headingId}-confirm`}>
              <p id={`${headingId}-confirm`} className="portal-confirm-heading">
                {t('portal.consents.confirmHeading')}
              </p>
              <p>{t('portal.consents.confirmText')}</p>
              <div className="portal-confirm-buttons">
                <button type="button" className="button button-primary" disabled={withdraw.isPending} onClick={() => withdraw.mutate()}>
                  {withdraw.isPending ? t('portal.consents.withdrawing') : t('portal.consents.confirmYes')}
                </button>
                <button type="button" className="button button-secondary" disabled={withdraw.isPending} onClick={() => setConfirming(false)}>
                  {t('portal.consents.confirmNo')}
                </button>
              </div>
            </div>
          )}
        </>
      )}
      <FailureRegion heading={t('portal.consents.failedHeading')} message={failure} />
    </section>
  );
}

function Receipt({ receipt }: { receipt: PortalWithdrawalReceipt }) {
  const { t, language } = useI18n();
  const [date, time] = receiptParts(language, receipt.withdrawnAt);
  const heading = useRef<HTMLHeadingElement>(null);
  // The button that was pressed is gone: the receipt takes the focus.
  useEffect(() => heading.current?.focus(), [receipt.receiptId]);
  return (
    <section className="alert alert-success portal-receipt" aria-labelledby="portal-receipt">
      <div className="alert-body">
        <h2 id="portal-receipt" ref={heading} tabIndex={-1} className="alert-heading h3">
          {t('portal.consents.receiptHeading')}
        </h2>
        <p className="alert-text">{t('portal.consents.receiptText', { date, time })}</p>
        <p className="alert-text">{t('portal.consents.receiptWhat', { title: receipt.title[language] })}</p>
        <p className="alert-text">{receipt.consequence[language]}</p>
        <p className="alert-text">
          <strong>{t('portal.consents.receiptId', { id: receipt.receiptId })}</strong>
        </p>
        <p className="alert-text">{t('portal.consents.receiptKeep')}</p>
      </div>
    </section>
  );
}

/** The receipt's date and time of day, in Copenhagen. */
function receiptParts(language: 'da' | 'en', at: string): [string, string] {
  const d = new Date(at);
  const date = new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { timeZone: 'Europe/Copenhagen', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
  const time = new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit' }).format(d);
  return [date, time];
}
