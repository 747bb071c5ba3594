// On the portal's limited view (a one-time-code login): "I want to withdraw my consent(s)", with words of the
// citizen's own. No consent is named or shown (the code login proves a contact, not identity); staff confirm the
// request or contact the citizen (decision record 0036).
import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../app/feedback.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

const MAX = 1000;

export function WithdrawalRequestForm({ csrf }: { csrf: string }) {
  const { t } = useI18n();
  const fieldId = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: (message: string | null) => api.post<{ sentAt: string }>('/api/portal/withdrawal-requests', { message }, { quiet401: true, csrf }),
    onSuccess: () => {
      setOpen(false);
      setText('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate(text.trim() || null);
  };
  return (
    <section className="portal-card" aria-labelledby="portal-withdrawal-request">
      <h2 id="portal-withdrawal-request" className="h3">
        {t('portal.remarks.request.heading')}
      </h2>
      <p>{t('portal.remarks.request.intro')}</p>
      <div role="status">{send.isSuccess && <p className="portal-sent">{t('portal.remarks.request.sent')}</p>}</div>
      {!open && (
        <button type="button" className="button button-secondary" onClick={() => { send.reset(); setOpen(true); }}>
          {t('portal.remarks.request.open')}
        </button>
      )}
      {open && (
        <form className="portal-comment-form" onSubmit={submit} noValidate>
          <div className="form-group">
            <label className="form-label" htmlFor={fieldId}>
              {t('portal.remarks.request.label')}
            </label>
            <span className="form-hint" id={`${fieldId}-hint`}>
              {t('portal.remarks.request.hint')}
            </span>
            <textarea id={fieldId} className="form-input" rows={4} maxLength={MAX} value={text} aria-describedby={`${fieldId}-hint`} onChange={(e) => setText(e.target.value)} />
          </div>
          {send.isError && <ErrorAlert message={t('portal.remarks.request.failed')} />}
          <div className="portal-actions">
            <button type="submit" className="button button-primary" disabled={send.isPending}>
              {t('portal.remarks.request.send')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
              {t('portal.remarks.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
