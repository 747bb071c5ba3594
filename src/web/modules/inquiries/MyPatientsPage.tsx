// "Mine patienter i forløb": the clinician's home — the region's own records of patients in the clinician's
// programmes, only those whose valid fvl_28 consent names the region (the list reveals a municipal enrolment).
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { useI18n, isMessageKey } from '../../i18n/i18n.tsx';
import { useClinicianPatients } from './inquiryApi.ts';
import './inquiries.css';

export function MyPatientsPage() {
  const { t, language } = useI18n();
  const patients = useClinicianPatients();
  const items = patients.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeading title={t('inquiries.myPatients')}>{t('inquiries.myPatients')}</PageHeading>
      <p className="page-intro">{t('inquiries.myPatientsIntro')}</p>
      {patients.isPending && <Loading />}
      {patients.isError && <QueryError error={patients.error} />}
      {patients.data && items.length === 0 && <p className="empty-state">{t('inquiries.noPatients')}</p>}
      {items.length > 0 && (
        <TableScroll labelledBy="patients-caption">
          <table className="table table--compact table-stack">
            <caption id="patients-caption" className="sr-only">{t('inquiries.myPatients')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('inquiries.patient')}</th>
                <th scope="col">{t('inquiries.programme')}</th>
                <th scope="col">{t('inquiries.inProgrammeFrom')}</th>
                <th scope="col">{t('inquiries.statusLabel')}</th>
                <th scope="col">{t('inquiries.consentUntil')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => {
                const statusKey = `enrolmentStatus.${p.status}`;
                return (
                  <tr key={p.citizenId}>
                    <th scope="row">
                      {p.firstName} {p.lastName}
                    </th>
                    <td data-label={t('inquiries.programme')}>{p.programmeName}</td>
                    <td data-label={t('inquiries.inProgrammeFrom')}>{formatIsoDate(language, p.startDate)}</td>
                    <td data-label={t('inquiries.statusLabel')}>{isMessageKey(statusKey) ? t(statusKey) : p.status}</td>
                    <td data-label={t('inquiries.consentUntil')}>{formatIsoDate(language, p.consentValidTo)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {patients.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void patients.fetchNextPage()} disabled={patients.isFetchingNextPage}>
          {patients.isFetchingNextPage ? t('common.loading') : t('common.showMore')}
        </button>
      )}
    </>
  );
}
