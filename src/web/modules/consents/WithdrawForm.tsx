// Recording a withdrawal: the day the citizen withdrew it (not in the future), how, a note; it takes effect at
// once. The receipt says when it was recorded and what it set in motion (journal task, notice to the other side).
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { FormButtons, SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { ErrorAlert } from '../../app/feedback.tsx';
import { citizenKey } from '../citizens/citizenApi.ts';
import type { ConsentView, Withdrawn } from './consentsApi.ts';
import { instrumentLabel } from './labels.tsx';

export function WithdrawForm({ consent, citizenId, onClose }: { consent: ConsentView; citizenId: string; onClose: () => void }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const [withdrawnOn, setWithdrawnOn] = useState(todayInCopenhagen());
  const [how, setHow] = useState<'written' | 'oral'>('written');
  const [note, setNote] = useState('');
  const [receipt, setReceipt] = useState<Withdrawn | null>(null);
  const withdraw = useMutation({
    mutationFn: () => api.post<Withdrawn>(`/api/consents/${encodeURIComponent(consent.id)}/withdraw`, { withdrawnOn, how, note: note.trim() || null }),
    onSuccess: (r) => {
      setReceipt(r);
      // The card's state changes at once (withdrawn), not only when the receipt is closed.
      void client.invalidateQueries({ queryKey: citizenKey(citizenId) });
    },
  });
  const fieldError = withdraw.error instanceof ApiError ? withdraw.error.issueFor('withdrawnOn') : undefined;

  if (receipt) {
    return (
      <div className="alert alert-success consent-receipt" role="status">
        <div className="alert-body">
          <p className="alert-heading">{t('consents.receiptHeading')}</p>
          <p className="alert-text">
            {t('consents.receiptText', { instrument: instrumentLabel(t, consent.instrument), date: formatIsoDate(language, receipt.withdrawnOn), at: formatDateTime(language, receipt.withdrawnAt) })}
          </p>
          {receipt.tasks.length > 0 && (
            <ul>
              {receipt.tasks.map((task) => (
                <li key={task.id}>{t(`consents.task.${task.kind}` as 'consents.task.journal_withdrawal')}</li>
              ))}
            </ul>
          )}
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={onClose}
          >
            {t('consents.receiptClose')}
          </button>
        </div>
      </div>
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    withdraw.mutate();
  }
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-labelledby={`withdraw-${consent.id}`}>
      <h4 className="h5" id={`withdraw-${consent.id}`}>
        {t('consents.withdrawHeading', { instrument: instrumentLabel(t, consent.instrument) })}
      </h4>
      <p>{t('consents.withdrawExplained')}</p>
      <TextField id={`withdrawn-on-${consent.id}`} type="date" label={t('consents.withdrawnOnLabel')} value={withdrawnOn} onChange={setWithdrawnOn} error={fieldError ? t(fieldError === 'in_future' ? 'consents.error.future' : 'consents.error.beforeGiven') : undefined} />
      <SelectField id={`withdrawn-how-${consent.id}`} label={t('consents.withdrawnHowLabel')} value={how} onChange={(v) => setHow(v as 'written' | 'oral')} options={(['written', 'oral'] as const).map((v) => ({ value: v, label: t(`consents.givenHow.${v}`) }))} />
      <TextArea id={`withdrawn-note-${consent.id}`} label={t('consents.withdrawNote')} rows={2} value={note} onChange={setNote} />
      {withdraw.isError && !fieldError && <ErrorAlert message={withdraw.error instanceof ApiError && withdraw.error.status === 409 ? t('consents.error.alreadyWithdrawn') : t('error.request')} />}
      <FormButtons saveLabel={t('consents.withdrawSave')} disabled={withdraw.isPending} onCancel={onClose} />
    </form>
  );
}
