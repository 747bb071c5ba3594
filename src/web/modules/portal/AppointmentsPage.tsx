// Mine aftaler: the citizen's next appointments (time, kind of place, with whom by role; never a name), a page at a
// time, and their own calendar feed: a secret link they make, renew or stop here. Mobile first, plain Danish.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PortalAppointment, PortalFeedCreated } from '../../../contracts/portal-plan.ts';
import { ErrorAlert, Loading, PageHeading, QueryError, StatusNote } from '../../app/feedback.tsx';
import { useI18n, type Language } from '../../i18n/i18n.tsx';
import { PORTAL_FEED_KEY, planApi, usePortalAppointments, usePortalFeed } from './planApi.ts';
import { useRoleLabel } from './PlanPage.tsx';
import type { PortalSectionProps } from './sections.tsx';

function timeParts(language: Language, a: PortalAppointment) {
  const locale = language === 'da' ? 'da-DK' : 'en-GB';
  const zone = 'Europe/Copenhagen';
  const date = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(a.startsAt));
  const clock = (iso: string) => new Intl.DateTimeFormat('da-DK', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  return { date, start: clock(a.startsAt), end: clock(a.endsAt) };
}

export function AppointmentsPage({ csrf }: PortalSectionProps) {
  const { t, language } = useI18n();
  const roleLabel = useRoleLabel();
  const list = usePortalAppointments();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const organisations = new Set(items.map((a) => a.organisation));
  const withWhom = (a: PortalAppointment) => {
    const roles = [...new Set(a.with.map((w) => (w.kind === 'staff' ? (w.role ? roleLabel(w.role) : t('portal.appointments.staffNoRole')) : (w.role ?? ''))).filter(Boolean))];
    return roles.length > 0 ? t('portal.appointments.with', { who: roles.join(', ') }) : t('portal.appointments.withNobody');
  };
  return (
    <div className="portal-box portal-appointments">
      <PageHeading title={t('portal.appointments.nav')}>{t('portal.appointments.nav')}</PageHeading>
      <p>{t('portal.appointments.intro')}</p>
      <section aria-labelledby="portal-appointments-list">
        <h2 id="portal-appointments-list" className="h3">
          {t('portal.appointments.list')}
        </h2>
        {list.isPending && <Loading />}
        {list.isError && <QueryError error={list.error} />}
        {list.data && items.length === 0 && <p>{t('portal.appointments.none')}</p>}
        {items.length > 0 && (
          <ul className="portal-list">
            {items.map((a, i) => (
              <li key={`${a.startsAt}-${i}`} className="portal-card portal-appointment">
                <p className="portal-item-title">{t('portal.appointments.time', timeParts(language, a))}</p>
                <p>{t(`portal.appointments.kind.${a.kind}`)}</p>
                <p>{t('portal.appointments.where', { place: t(`portal.appointments.place.${a.place}`) })}</p>
                <p>{withWhom(a)}</p>
                {organisations.size > 1 && <p className="portal-item-meta">{t('portal.appointments.from', { organisation: a.organisation })}</p>}
              </li>
            ))}
          </ul>
        )}
        {list.hasNextPage && (
          <button type="button" className="button button-secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {list.isFetchingNextPage ? t('portal.appointments.loadingMore') : t('portal.appointments.more')}
          </button>
        )}
      </section>
      <FeedSection csrf={csrf} />
    </div>
  );
}

function FeedSection({ csrf }: { csrf: string }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const feed = usePortalFeed();
  const [created, setCreated] = useState<PortalFeedCreated | null>(null);
  const [stopped, setStopped] = useState(false);
  const [copied, setCopied] = useState(false);
  const create = useMutation({
    mutationFn: () => planApi.createFeed(csrf),
    onSuccess: async (answer) => {
      setCreated(answer);
      setStopped(false);
      setCopied(false);
      await client.invalidateQueries({ queryKey: PORTAL_FEED_KEY });
    },
  });
  const stop = useMutation({
    mutationFn: () => planApi.stopFeed(csrf),
    onSuccess: async () => {
      setCreated(null);
      setStopped(true);
      await client.invalidateQueries({ queryKey: PORTAL_FEED_KEY });
    },
  });
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  const active = feed.data?.active ?? false;
  const busy = create.isPending || stop.isPending;
  return (
    <section className="portal-card" aria-labelledby="portal-feed">
      <h2 id="portal-feed" className="h3">
        {t('portal.appointments.feed')}
      </h2>
      <p>{t('portal.appointments.feedIntro')}</p>
      {feed.isPending && <Loading />}
      {feed.isError && <QueryError error={feed.error} />}
      {feed.data && !created && <p>{active && feed.data.expiresAt ? t('portal.appointments.feedOn', { date: new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Copenhagen' }).format(new Date(feed.data.expiresAt)) }) : t('portal.appointments.feedOff')}</p>}
      {stopped && <StatusNote kind="success" message={t('portal.appointments.feedStopped')} />}
      {(create.isError || stop.isError) && <ErrorAlert message={t('portal.appointments.feedFailed')} />}
      {created && (
        <div className="form-group">
          <label className="form-label" htmlFor="portal-feed-url">
            {t('portal.appointments.feedUrl')}
          </label>
          <span className="form-hint" id="portal-feed-url-hint">
            {t('portal.appointments.feedUrlHint')}
          </span>
          <input id="portal-feed-url" className="form-input" readOnly value={created.url} aria-describedby="portal-feed-url-hint" onFocus={(e) => e.currentTarget.select()} />
          <div className="portal-actions">
            <button type="button" className="button button-secondary" onClick={() => void copy()}>
              {t('portal.appointments.feedCopy')}
            </button>
          </div>
          {copied && <StatusNote kind="success" message={t('portal.appointments.feedCopied')} />}
        </div>
      )}
      <div className="portal-actions">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => create.mutate()}>
          {create.isPending ? t('portal.appointments.feedWorking') : active || created ? t('portal.appointments.feedRenew') : t('portal.appointments.feedCreate')}
        </button>
        {(active || created) && (
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => stop.mutate()}>
            {stop.isPending ? t('portal.appointments.feedWorking') : t('portal.appointments.feedStop')}
          </button>
        )}
      </div>
    </section>
  );
}
