// "Mine bemærkninger" in the citizen portal (decision record 0036): the notes about the citizen that their programme
// shows them, newest first, each with the citizen's own remarks beside it and a form to add one. The note itself
// is never changed. Mobile first.
import { useId, useRef, useState, type FormEvent } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { PortalNote, PortalNoteList } from '../../../contracts/portal-remarks.ts';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { TextArea } from '../../app/fields.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import type { PortalSectionProps } from './sections.tsx';

const NOTES_KEY = ['portal', 'notes'] as const;
/** As MAX_REMARK_LENGTH in the contract (not imported: the contract module would bring zod into the bundle). */
const MAX_REMARK_LENGTH = 2000;
const PAGE = 10;

export function RemarksPage({ csrf }: PortalSectionProps) {
  const { t } = useI18n();
  const notes = useInfiniteQuery({
    queryKey: NOTES_KEY,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.get<PortalNoteList>(`/api/portal/notes?limit=${PAGE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`, { quiet401: true }),
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = notes.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="portal-box">
      <PageHeading title={t('portal.remarks.nav')}>{t('portal.remarks.nav')}</PageHeading>
      <p>{t('portal.remarks.intro')}</p>
      {notes.isPending && <Loading />}
      {notes.isError && <QueryError error={notes.error} />}
      {notes.data && items.length === 0 && <p>{t('portal.remarks.none')}</p>}
      {items.length > 0 && (
        <ul className="portal-notes">
          {items.map((n) => (
            <li key={n.id}>
              <NoteCard note={n} csrf={csrf} />
            </li>
          ))}
        </ul>
      )}
      {notes.hasNextPage && (
        <button type="button" className="button button-secondary" disabled={notes.isFetchingNextPage} onClick={() => void notes.fetchNextPage()}>
          {t('portal.remarks.more')}
        </button>
      )}
    </div>
  );
}

function NoteCard({ note, csrf }: { note: PortalNote; csrf: string }) {
  const { t, language } = useI18n();
  const headingId = `note-${note.id}`;
  return (
    <section className="portal-card portal-note" aria-labelledby={headingId}>
      <h2 id={headingId} className="h4">
        {t('portal.remarks.noteHeading', { date: formatDateTime(language, note.writtenAt) })}
      </h2>
      <p className="portal-note-meta">{note.corrected ? t('portal.remarks.writtenByCorrected', { organisation: note.organisation }) : t('portal.remarks.writtenBy', { organisation: note.organisation })}</p>
      <p className="portal-note-body">{note.body}</p>
      {note.remarks.length > 0 && (
        <>
          <h3 className="h5">{t('portal.remarks.yourRemarks')}</h3>
          <ul className="portal-remarks">
            {note.remarks.map((r) => (
              <li key={r.id}>
                <p className="portal-note-meta">{formatDateTime(language, r.writtenAt)}</p>
                <p className="portal-note-body">{r.body}</p>
              </li>
            ))}
          </ul>
        </>
      )}
      {note.canRemark ? <RemarkForm note={note} csrf={csrf} /> : <p>{t('portal.remarks.full')}</p>}
    </section>
  );
}

function RemarkForm({ note, csrf }: { note: PortalNote; csrf: string }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const fieldId = useId();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [sent, setSent] = useState(false);
  const send = useMutation({
    mutationFn: (body: string) => api.post<{ id: string }>(`/api/portal/notes/${note.id}/remarks`, { body }, { quiet401: true, csrf }),
    onSuccess: async () => {
      setOpen(false);
      setText('');
      setSent(true);
      await client.invalidateQueries({ queryKey: NOTES_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) {
      setProblem('portal.remarks.empty');
      textRef.current?.focus();
      return;
    }
    setProblem(null);
    send.mutate(body);
  };
  const failure = send.error instanceof ApiError && send.error.status === 409 ? t('portal.remarks.full') : t('portal.remarks.failed');
  if (!open) {
    return (
      <>
        <div role="status">{sent && <p className="portal-sent">{t('portal.remarks.sent')}</p>}</div>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setOpen(true);
            setSent(false);
            setTimeout(() => textRef.current?.focus(), 0);
          }}
        >
          {t('portal.remarks.write')}
        </button>
      </>
    );
  }
  return (
    <form className="portal-comment-form" onSubmit={submit} noValidate>
      <TextArea
        id={fieldId}
        label={t('portal.remarks.label', { date: formatDateTime(language, note.writtenAt) })}
        hint={t('portal.remarks.hint', { max: MAX_REMARK_LENGTH })}
        error={problem ? t(problem) : undefined}
        rows={5}
        maxLength={MAX_REMARK_LENGTH}
        value={text}
        onChange={setText}
        inputRef={textRef}
      />
      {send.isError && <ErrorAlert message={failure} />}
      <div className="portal-actions">
        <button type="submit" className="button button-primary" disabled={send.isPending}>
          {send.isPending ? t('portal.remarks.sending') : t('portal.remarks.send')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setOpen(false);
            setProblem(null);
          }}
        >
          {t('portal.remarks.cancel')}
        </button>
      </div>
    </form>
  );
}
