// The citizen's copy of one consent: the form and consequence texts as shown, what was consented to, from whom
// to whom, for how long, and how to withdraw it. Printed with the browser's print (the print stylesheet hides
// the application around it).
import { Link, useParams } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { roleLabel } from '../../i18n/labels.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { useCitizen } from '../citizens/citizenApi.ts';
import { useConsents } from './consentsApi.ts';
import { recipientLabel, StateTag } from './labels.tsx';
import { ConsentFacts } from './ConsentFacts.tsx';
import './consents.css';

export function ConsentPrintPage() {
  const { id = '', consentId = '' } = useParams();
  const { t, language } = useI18n();
  const citizen = useCitizen(id);
  const consents = useConsents(id);
  if (citizen.isPending || consents.isPending) return <Loading />;
  if (citizen.isError) return <QueryError error={citizen.error} />;
  if (consents.isError) return <QueryError error={consents.error} />;
  const c = consents.data.items.find((x) => x.id === consentId);
  const name = `${citizen.data.firstName} ${citizen.data.lastName}`;
  if (!c) return <PageHeading title={t('error.notFound')}>{t('error.notFound')}</PageHeading>;
  return (
    <article className="consent-print">
      <div className="print-tools no-print">
        <Link to={`/citizens/${id}`} className="button button-secondary">
          {t('consents.printBack')}
        </Link>
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          {t('consents.printNow')}
        </button>
      </div>
      <p className="print-confidential">
        <strong>{t('consents.printConfidential')}</strong> · {t('consents.printDate', { date: formatIsoDate(language, todayInCopenhagen()) })}
      </p>
      <PageHeading title={c.form.title[language]}>{c.form.title[language]}</PageHeading>
      <p>
        {t('consents.printFor', { name })} <StateTag state={c.state} />
      </p>
      <section className="consent-text" aria-labelledby="print-text">
        <h2 className="h4" id="print-text">
          {t('consents.printText')}
        </h2>
        <p>{c.form.text[language]}</p>
        <p>
          <strong>{t('consents.consequence')}</strong> {c.form.consequence[language]}
        </p>
      </section>
      <h2 className="h4">{t('consents.printWhat')}</h2>
      <dl className="detail-list">
        <ConsentFacts consent={c} facts={['categories']} />
        <div>
          <dt>{t('consents.source')}</dt>
          <dd>
            {c.source.name}
            {c.sourceUnit ? `, ${c.sourceUnit}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('consents.recipient')}</dt>
          <dd>
            {c.recipientCompany ? recipientLabel(t, c, (r) => roleLabel(t, r)) : c.recipient?.name}
            {c.recipientUnit ? `, ${c.recipientUnit}` : ''}
            {c.recipientCompany ? '' : ` (${c.recipientRoles.map((r) => roleLabel(t, r)).join(', ')})`}
          </dd>
        </div>
        <ConsentFacts consent={c} facts={['purpose', 'validity', 'given']} />
        {c.witness && (
          <div>
            <dt>{t('consents.witness')}</dt>
            <dd>{c.witness}</dd>
          </div>
        )}
        <ConsentFacts consent={c} facts={['recordedBy']} />
        {c.withdrawal && (
          <div>
            <dt>{t('consents.withdrawnHeading')}</dt>
            <dd>{t('consents.withdrawnOn', { date: formatIsoDate(language, c.withdrawal.withdrawnOn), how: t(`consents.givenHow.${c.withdrawal.how}`) })}</dd>
          </div>
        )}
      </dl>
      <h2 className="h4">{t('consents.printHowToWithdraw')}</h2>
      <p>{t('consents.printWithdrawText', { organisation: c.recordedBy.organisation.name })}</p>
      <p className="form-hint">{t('consents.formVersion', { version: c.form.version })}</p>
    </article>
  );
}
