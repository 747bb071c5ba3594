// "Abonnér i din kalender": create the secret feed address (shown once, with a copy button and the warning
// that anyone with the link sees the times), replace it, or stop it.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { ErrorAlert, errorMessageKey, Loading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { Section } from '../citizens/Section.tsx';
import { useFeedState, type FeedCreated } from './calendarApi.ts';

export function FeedSection() {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const state = useFeedState();
  const [created, setCreated] = useState<FeedCreated | null>(null);
  const [notice, setNotice] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: ['calendar-feed'] });
  const create = useMutation({
    mutationFn: () => api.post<FeedCreated>('/api/calendar/feed'),
    onSuccess: (feed) => {
      setCreated(feed);
      setNotice('');
      void refresh();
    },
  });
  const stop = useMutation({
    mutationFn: () => api.delete<void>('/api/calendar/feed'),
    onSuccess: () => {
      setCreated(null);
      setNotice(t('calendar.feed.stopped'));
      void refresh();
    },
  });
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setNotice(t('calendar.feed.copied'));
    } catch {
      // No clipboard (permissions): the field is selected instead, for Ctrl+C.
      (document.getElementById('feed-url') as HTMLInputElement | null)?.select();
    }
  };

  return (
    <Section id="feed-heading" title={t('calendar.feed.title')}>
      <p>{t('calendar.feed.intro')}</p>
      {state.isPending && <Loading />}
      {state.isError && <QueryError error={state.error} />}
      {state.data && !state.data.enabled && <p className="empty-state">{t('calendar.feed.disabled')}</p>}
      {state.data?.enabled && (
        <>
          <p>{state.data.active && state.data.expiresAt ? t('calendar.feed.active', { date: formatDateTime(language, state.data.expiresAt) }) : t('calendar.feed.none')}</p>
          {created && (
            <div className="feed-created">
              <div className="alert alert-warning">
                <div className="alert-body">
                  <p className="alert-text">{t('calendar.feed.warning')}</p>
                </div>
              </div>
              <div className="form-group">
                <label className="form-label" htmlFor="feed-url">
                  {t('calendar.feed.url')}
                </label>
                <input id="feed-url" className="form-input feed-url" type="text" readOnly value={created.url} onFocus={(e) => e.currentTarget.select()} />
              </div>
              <button type="button" className="button button-secondary" onClick={() => void copy()}>
                {t('calendar.feed.copy')}
              </button>
            </div>
          )}
          <div className="button-row">
            <button type="button" className="button button-primary" onClick={() => create.mutate()} disabled={create.isPending} aria-describedby={state.data.active ? 'feed-replace-hint' : undefined}>
              {state.data.active ? t('calendar.feed.replace') : t('calendar.feed.create')}
            </button>
            {state.data.active && (
              <button type="button" className="button button-secondary" onClick={() => stop.mutate()} disabled={stop.isPending}>
                {t('calendar.feed.stop')}
              </button>
            )}
          </div>
          {state.data.active && (
            <p id="feed-replace-hint" className="form-hint">
              {t('calendar.feed.replaceHint')}
            </p>
          )}
          {(create.isError || stop.isError) && <ErrorAlert message={t(errorMessageKey(create.error ?? stop.error))} />}
        </>
      )}
      <SuccessNotice message={notice} />
    </Section>
  );
}
