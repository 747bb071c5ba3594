// An enrolment status as a word in a bordered tag; the colour only repeats what the word says.
import type { EnrolmentStatus } from '../../../contracts/citizens.ts';
import { useI18n } from '../../i18n/i18n.tsx';

export function StatusTag({ status }: { status: EnrolmentStatus }) {
  const { t } = useI18n();
  return <span className={`status-tag status-tag-${status}`}>{t(`enrolmentStatus.${status}`)}</span>;
}
