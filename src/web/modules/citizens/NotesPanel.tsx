// Journal notes, newest first: kind, author, time, sensitivity marked, external source named; a corrected note
// says "Rettet" and keeps its earlier text in an expandable history; the author can correct with a reason.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { TextArea, TextField } from '../../app/fields.tsx';
import { errorMessageKey, Loading, QueryError } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import { citizenKey, useNotes, type Note } from './citizenApi.ts';
import { Section } from './Section.tsx';

export function NotesPanel({ citizenId }: { citizenId: string }) {
  const { t } = useI18n();
  const notes = useNotes(citizenId);
  const items = [...(notes.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <Section id="notes-heading" title={t('note.title')}>
      {notes.isPending && <Loading />}
      {notes.isError && <QueryError error={notes.error} />}
      {notes.data && items.length === 0 && <p className="empty-state">{t('note.none')}</p>}
      {items.length > 0 && (
        <ul className="card-list note-list">
          {items.map((n) => (
            <NoteCard key={n.id} note={n} citizenId={citizenId} />
          ))}
        </ul>
      )}
    </Section>
  );
}

function NoteCard({ note: n, citizenId }: { note: Note; citizenId: string }) {
  const { t, language } = useI18n();
  const user = useUser();
  const [correcting, setCorrecting] = useState(false);
  const corrected = n.revisions.length > 1;
  const earlier = [...n.revisions].sort((a, b) => b.revision - a.revision).slice(1);
  const latest = [...n.revisions].sort((a, b) => b.revision - a.revision)[0];
  return (
    <li className={n.sensitivity === 'sensitive' ? 'card-item note note-sensitive' : 'card-item note'}>
      <div className="note-head">
        <span className="note-kind">{t(`noteKind.${n.kind}`)}</span>
        {n.sensitivity === 'sensitive' && <span className="tag-sensitive">{t('note.sensitiveTag')}</span>}
        {corrected && <span className="tag-corrected">{t('note.corrected')}</span>}
      </div>
      <p className="note-meta">
        {t('note.meta', { author: n.author.name, time: formatDateTime(language, n.createdAt) })}
        {n.source && <> · {t('note.sourceValue', { source: n.source })}</>}
      </p>
      <p className="note-body">{n.body}</p>
      {corrected && latest && (
        <details className="note-history">
          <summary>{t('note.history', { count: earlier.length })}</summary>
          <p className="note-meta">{t('note.correctedBy', { name: latest.writtenBy.name, time: formatDateTime(language, latest.writtenAt), reason: latest.reason ?? '' })}</p>
          <ol className="plain-list">
            {earlier.map((r) => (
              <li key={r.revision} className="note-revision">
                <p className="note-meta">{t('note.revisionMeta', { n: r.revision, name: r.writtenBy.name, time: formatDateTime(language, r.writtenAt) })}</p>
                <p className="note-body">{r.body}</p>
              </li>
            ))}
          </ol>
        </details>
      )}
      {n.author.id === user.id && n.kind !== 'citizen_remark' && !correcting && (
        <button type="button" className="button button-tertiary button-small" onClick={() => setCorrecting(true)}>
          {t('note.correct')}
        </button>
      )}
      {correcting && <CorrectionForm note={n} citizenId={citizenId} onClose={() => setCorrecting(false)} />}
    </li>
  );
}

function CorrectionForm({ note, citizenId, onClose }: { note: Note; citizenId: string; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [body, setBody] = useState(note.body);
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const bodyError = submitted && !body.trim() ? t('note.error.bodyMissing') : undefined;
  const reasonError = submitted && !reason.trim() ? t('note.error.reasonMissing') : undefined;
  const save = useMutation({
    mutationFn: () => api.post(`/api/notes/${note.id}/corrections`, { version: note.version, body: body.trim(), reason: reason.trim() }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: citizenKey(citizenId) });
      onClose();
    },
    onError: (e) => setFailed(e instanceof ApiError && e.status === 409 ? 'citizen.stale' : e instanceof ApiError && e.status === 403 ? 'note.onlyAuthor' : errorMessageKey(e)),
  });
  const id = `correct-${note.id}`;
  return (
    <form
      className="note-correction"
      noValidate
      aria-label={t('note.correctTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (!body.trim()) return document.getElementById(`${id}-body`)?.focus();
        if (!reason.trim()) return document.getElementById(`${id}-reason`)?.focus();
        save.mutate();
      }}
    >
      <TextArea id={`${id}-body`} label={t('note.newText')} value={body} rows={5} error={bodyError} onChange={(v) => { setBody(v); setFailed(null); }} />
      <TextField id={`${id}-reason`} label={t('note.reason')} hint={t('note.reasonHint')} value={reason} error={reasonError} onChange={(v) => { setReason(v); setFailed(null); }} />
      {failed && (
        <div className="alert alert-error" role="alert">
          <div className="alert-body">
            <p className="alert-text">{t(failed)}</p>
          </div>
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {t('note.saveCorrection')}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
