// On the region's own record of a patient (liaison, clinician): the way to the knowledge transfer and "Videregiv".
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { useUser } from '../../app/session.tsx';
import type { CitizenDetail } from '../citizens/citizenApi.ts';

export function KnowledgeTransferLink({ citizen }: { citizen: CitizenDetail }) {
  const { t } = useI18n();
  const user = useUser();
  const regionStaff = user.organisation.id === citizen.organisation.id && user.roles.some((r) => r.role === 'liaison' || r.role === 'clinician');
  if (!regionStaff) return null;
  return (
    <p className="kt-link">
      <Link to={`/patients/${citizen.id}`} className="button button-secondary">
        {t('disclosures.kt.open')}
      </Link>
    </p>
  );
}
