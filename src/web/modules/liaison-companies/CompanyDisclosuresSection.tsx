// On the region's record of a patient: what companies were told in meetings the liaison attended (the region's
// record of each oral disclosure, on the consent that named the company).
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { PatientCompanyDisclosure } from '../../../contracts/liaison-companies.ts';
import { api } from '../../api/client.ts';
import { QueryError } from '../../app/feedback.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { categoryLabel } from '../consents/labels.tsx';
import type { z } from 'zod';

type Item = z.infer<typeof PatientCompanyDisclosure>;

export function CompanyDisclosuresSection({ citizenId }: { citizenId: string }) {
  const { t, language } = useI18n();
  const told = useQuery({
    queryKey: ['company-meetings', 'patient', citizenId],
    queryFn: () => api.get<{ items: Item[]; nextCursor: string | null }>(`/api/citizens/${encodeURIComponent(citizenId)}/company-disclosures?limit=20`),
  });
  return (
    <section aria-labelledby="company-disclosures-heading" className="company-disclosures">
      <h2 id="company-disclosures-heading">{t('liaisonCompanies.patientHeading')}</h2>
      {told.isError && <QueryError error={told.error} />}
      {told.data && told.data.items.length === 0 && <p>{t('liaisonCompanies.patientNone')}</p>}
      {told.data && told.data.items.length > 0 && (
        <ul className="company-meeting-items">
          {told.data.items.map((i) => (
            <li key={i.id}>
              <p className="company-meeting-item-head">
                <Link to={`/company-meetings/${i.meetingId}`}>{i.company.name}</Link> ({t('liaisonCompanies.cvrShort', { cvr: i.company.cvr })}) · {formatIsoDate(language, i.heldOn)} ·{' '}
                {i.categories.map((c) => categoryLabel(t, c)).join(', ')}
              </p>
              <p>{i.told}</p>
              <p className="form-hint">{t('liaisonCompanies.patientBasis', { name: i.decidedBy.name })}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
