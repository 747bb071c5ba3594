// The programmes the user takes part in, with period, capacity and the user's roles.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ProgrammeSummary } from '../../../contracts/programmes.ts';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate, formatNumber } from '../../i18n/format.ts';
import { roleLabel } from '../../i18n/labels.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';

export function ProgrammeListPage() {
  const { t, language } = useI18n();
  const programmes = useQuery({
    queryKey: ['programmes'],
    queryFn: () => api.get<{ items: ProgrammeSummary[] }>('/api/programmes'),
  });

  return (
    <>
      <PageHeading title={t('programmes.title')}>{t('programmes.title')}</PageHeading>
      {programmes.isPending && <Loading />}
      {programmes.isError && <QueryError error={programmes.error} />}
      {programmes.data && programmes.data.items.length === 0 && <p>{t('programmes.empty')}</p>}
      {programmes.data && programmes.data.items.length > 0 && (
        <ul className="card-list">
          {programmes.data.items.map((p) => (
            <li key={p.id} className="card-item">
              <h2 className="h3">
                <Link to={`/programmes/${p.id}`}>{p.name}</Link>
                {p.isDemo && <span className="badge badge-info demo-badge">{t('common.demo')}</span>}
              </h2>
              <p>
                {t('programmes.period', { from: formatIsoDate(language, p.startsOn), to: formatIsoDate(language, p.endsOn) })}
                {' · '}
                {t('programmes.capacityShort', { count: formatNumber(language, p.capacity) })}
              </p>
              <p>{t('programmes.myRoles', { roles: p.myRoles.map((r) => roleLabel(t, r)).join(', ') })}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
