// The programme's warnings (start date outside its period, programme full) in the UI's own words, with the
// figures the server sends, and the "go ahead anyway / fix it" question shared by every enrol form.
import type { Warning } from '../../../contracts/common.ts';
import { useI18n, type Language, type MessageKey, type Vars } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate, formatNumber } from '../../i18n/format.ts';
import { isIsoDate } from './citizenApi.ts';

type T = (key: MessageKey, vars?: Vars) => string;

export function warningText(t: T, language: Language, w: Warning): string {
  const d = w.data ?? {};
  const date = (v: unknown) => (typeof v === 'string' && isIsoDate(v) ? formatIsoDate(language, v) : null);
  const count = (v: unknown) => (typeof v === 'number' ? formatNumber(language, v) : null);
  if (w.code === 'outside_period') {
    const [startDate, from, to] = [date(d.startDate), date(d.startsOn), date(d.endsOn)];
    if (startDate && from && to) return t('warning.outside_period', { date: startDate, from, to });
  }
  if (w.code === 'over_capacity') {
    const [active, capacity] = [count(d.active), count(d.capacity)];
    if (active && capacity) return t('warning.over_capacity', { active, capacity });
  }
  if (w.code === 'double_booking' && typeof d.startsAt === 'string' && typeof d.endsAt === 'string') {
    const name = typeof d.userName === 'string' ? d.userName : t('warning.someone');
    return t('warning.double_booking', { name, from: formatDateTime(language, d.startsAt), to: formatDateTime(language, d.endsAt).slice(-5) });
  }
  return t('warning.other');
}

export function WarningsConfirm({ id, warnings, heading, question, confirmLabel, pending, onConfirm, onFix }: {
  id: string;
  warnings: Warning[];
  heading: string;
  question: string;
  confirmLabel: string;
  pending: boolean;
  onConfirm: () => void;
  onFix: () => void;
}) {
  const { t, language } = useI18n();
  return (
    <div className="alert alert-warning" role="alertdialog" aria-labelledby={`${id}-heading`}>
      <div className="alert-body">
        <p className="alert-heading" id={`${id}-heading`} tabIndex={-1}>
          {heading}
        </p>
        <ul className="alert-text">
          {warnings.map((w, i) => (
            <li key={`${w.code}-${i}`}>{warningText(t, language, w)}</li>
          ))}
        </ul>
        <p className="alert-text">{question}</p>
        <div className="button-row">
          <button type="button" className="button button-primary" onClick={onConfirm} disabled={pending}>
            {confirmLabel}
          </button>
          <button type="button" className="button button-secondary" onClick={onFix}>
            {t('newCitizen.fix')}
          </button>
        </div>
      </div>
    </div>
  );
}
