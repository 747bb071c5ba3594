// The citizen's conversations, newest first, a page at a time: when, where, who, themes and the note; a
// planned conversation is recorded as held or as a no-show, or cancelled, with one click.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { ErrorAlert, errorMessageKey, Loading, QueryError } from '../../app/feedback.tsx';
import { citizenKey } from '../citizens/citizenApi.ts';
import { Section } from '../citizens/Section.tsx';
import { useConversations, type Conversation } from './planApi.ts';

export function ConversationsPanel({ citizenId }: { citizenId: string }) {
  const { t } = useI18n();
  const list = useConversations(citizenId);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Section id="conversations-heading" title={t('conversation.listTitle')}>
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.data && items.length === 0 && <p className="empty-state">{t('conversation.none')}</p>}
      {items.length > 0 && (
        <ul className="card-list conversation-list">
          {items.map((c) => (
            <ConversationCard key={c.id} conversation={c} citizenId={citizenId} />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? t('common.loading') : t('common.showMore')}
        </button>
      )}
    </Section>
  );
}

function ConversationCard({ conversation: c, citizenId }: { conversation: Conversation; citizenId: string }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const change = useMutation({
    mutationFn: (status: 'held' | 'no_show' | 'cancelled') => api.patch(`/api/conversations/${c.id}`, { version: c.version, status }),
    onSuccess: () => client.invalidateQueries({ queryKey: citizenKey(citizenId) }),
  });
  const place = c.place === 'other' && c.placeText ? c.placeText : t(`conversationPlace.${c.place}`);
  return (
    <li className={`card-item conversation conversation-${c.status}`}>
      <p className="note-head">
        <strong>{formatDateTime(language, c.startsAt)}</strong> · {place} · {t('conversation.minutes', { minutes: c.durationMinutes })}{' '}
        <span className={`tag-status tag-conversation-${c.status}`}>{t(`conversationStatus.${c.status}`)}</span>
      </p>
      <p className="note-meta">
        {c.staff.map((s) => s.name).join(', ')}
        {c.themes.length > 0 && <> · {c.themes.join(', ')}</>}
      </p>
      {c.note && <p className="note-body">{c.note}</p>}
      {c.status === 'planned' && (
        <div className="button-row" role="group" aria-label={t('conversation.recordAs')}>
          <button type="button" className="button button-secondary button-small" disabled={change.isPending} onClick={() => change.mutate('held')}>
            {t('conversation.markHeld')}
          </button>
          <button type="button" className="button button-secondary button-small" disabled={change.isPending} onClick={() => change.mutate('no_show')}>
            {t('conversation.markNoShow')}
          </button>
          <button type="button" className="button button-tertiary button-small" disabled={change.isPending} onClick={() => change.mutate('cancelled')}>
            {t('conversation.cancel')}
          </button>
        </div>
      )}
      {change.isError && <ErrorAlert message={t(errorMessageKey(change.error))} />}
    </li>
  );
}
