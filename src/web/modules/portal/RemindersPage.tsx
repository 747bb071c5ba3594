// "Påmindelser" in the citizen portal (docs/decisions/0037): the citizen chooses whether to get a short reminder, by
// e-mail or SMS to the contact details on file, of an appointment tomorrow, a task due tomorrow and a questionnaire
// waiting. The page says what the message says, so nobody is surprised by what the phone shows. Mobile first.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PortalReminderSettings, PortalReminderSettingsUpdate } from '../../../contracts/portal-reminders.ts';
import { api, ApiError } from '../../api/client.ts';
import { FailureRegion, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { PortalSectionProps } from './sections.tsx';

const REMINDERS_KEY = ['portal', 'reminders'] as const;
const KINDS = ['appointment', 'task', 'questionnaire'] as const;

export function RemindersPage({ csrf }: PortalSectionProps) {
  const { t } = useI18n();
  const settings = useQuery({ queryKey: REMINDERS_KEY, queryFn: () => api.get<PortalReminderSettings>('/api/portal/reminders', { quiet401: true }) });
  return (
    <div className="portal-box">
      <PageHeading title={t('portal.reminders.nav')}>{t('portal.reminders.nav')}</PageHeading>
      <p>{t('portal.reminders.intro')}</p>
      {settings.isPending && <Loading />}
      {settings.isError && <QueryError error={settings.error} />}
      {settings.data && <RemindersForm settings={settings.data} csrf={csrf} />}
    </div>
  );
}

function RemindersForm({ settings, csrf }: { settings: PortalReminderSettings; csrf: string }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const firstChannel = settings.channel ?? (settings.phone ? 'sms' : 'email');
  const [form, setFormState] = useState<PortalReminderSettingsUpdate>({ channel: firstChannel, appointment: settings.appointment, task: settings.task, questionnaire: settings.questionnaire });
  const [saved, setSaved] = useState(false);
  // A change after saving takes the "saved" note away: it would no longer be true.
  const setForm = (next: PortalReminderSettingsUpdate) => {
    setSaved(false);
    setFormState(next);
  };
  const save = useMutation({
    mutationFn: (body: PortalReminderSettingsUpdate) => api.put<PortalReminderSettings>('/api/portal/reminders', body, { quiet401: true, csrf }),
    onSuccess: (data) => {
      client.setQueryData(REMINDERS_KEY, data);
      setSaved(true);
    },
  });
  const noContact = !settings.email && !settings.phone;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  const failure = save.error ? (save.error instanceof ApiError && save.error.status === 409 ? t('portal.reminders.noContact') : t('portal.reminders.failed')) : null;
  if (noContact) return <p>{t('portal.reminders.noContactAtAll')}</p>;
  return (
    <form onSubmit={submit} noValidate>
      <fieldset className="portal-reminders-fieldset">
        <legend>{t('portal.reminders.channel')}</legend>
        <div className="form-group-radio">
          <input id="reminder-email" type="radio" className="form-radio" name="channel" value="email" disabled={!settings.email} checked={form.channel === 'email'} onChange={() => setForm({ ...form, channel: 'email' })} />
          <label htmlFor="reminder-email">{settings.email ? t('portal.reminders.email', { contact: settings.email }) : t('portal.reminders.emailNone')}</label>
        </div>
        <div className="form-group-radio">
          <input id="reminder-sms" type="radio" className="form-radio" name="channel" value="sms" disabled={!settings.phone} checked={form.channel === 'sms'} onChange={() => setForm({ ...form, channel: 'sms' })} />
          <label htmlFor="reminder-sms">{settings.phone ? t('portal.reminders.sms', { contact: settings.phone }) : t('portal.reminders.smsNone')}</label>
        </div>
      </fieldset>
      <fieldset className="portal-reminders-fieldset">
        <legend>{t('portal.reminders.kinds')}</legend>
        {KINDS.map((kind) => (
          <div className="form-group-checkbox" key={kind}>
            <input id={`reminder-${kind}`} type="checkbox" className="form-checkbox" checked={form[kind]} onChange={(e) => setForm({ ...form, [kind]: e.target.checked })} />
            <label htmlFor={`reminder-${kind}`}>
              {t(`portal.reminders.kind.${kind}`)}
              <span className="portal-reminders-text">{t(`portal.reminders.text.${kind}`)}</span>
            </label>
          </div>
        ))}
      </fieldset>
      <p className="portal-reminders-note">{t('portal.reminders.note')}</p>
      <FailureRegion heading={t('portal.reminders.failedHeading')} message={failure} />
      <div role="status">{saved && <p className="portal-reminders-saved">{t('portal.reminders.saved')}</p>}</div>
      <button type="submit" className="button button-primary" disabled={save.isPending}>
        {t('portal.reminders.save')}
      </button>
    </form>
  );
}
