// Journal notes, newest first: kind, author, time, sensitivity marked, external source named; a corrected note
// says "Rettet" and keeps its earlier text in an expandable history; the author can correct with a reason.
// The citizen's own remarks on a note (GDPR art. 16) sit under the note they remark on, never as entries of their own.
// The notes come a page at a time, newest first; "Vis flere" loads the next page.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { FormButtons, TextArea, TextField } from '../../app/fields.tsx';
import { ErrorAlert, errorMessageKey, Loading, QueryError } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import { citizenKey, useNotes, type Note } from './citizenApi.ts';
import { Section } from './Section.tsx';

export function NotesPanel({ citizenId }: { citizenId: string }) {
  const { t } = useI18n();
  const notes = useNotes(citizenId);
  const all = notes.data?.pages.flatMap((p) => p.items) ?? [];
  const ids = new Set(all.map((n) => n.id));
  // A remark whose note is not on this page still shows, as its own card.
  const items = all.filter((n) => !(n.kind === 'citizen_remark' && n.remarkOn && ids.has(n.remarkOn))).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const remarksOn = (id: string) => all.filter((n) => n.kind === 'citizen_remark' && n.remarkOn === id).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return (
    <Section id="notes-heading" title={t('note.title')}>
      {notes.isPending && <Loading />}
      {notes.isError && <QueryError error={notes.error} />}
      {notes.data && items.length === 0 && <p className="empty-state">{t('note.none')}</p>}
      {items.length > 0 && (
        <ul className="card-list note-list">
          {items.map((n) => (
            <NoteCard key={n.id} note={n} remarks={remarksOn(n.id)} citizenId={citizenId} />
          ))}
        </ul>
      )}
      {notes.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void notes.fetchNextPage()} disabled={notes.isFetchingNextPage}>
          {notes.isFetchingNextPage ? t('common.loading') : t('common.showMore')}
        </button>
      )}
    </Section>
  );
}

function NoteCard({ note: n, remarks, citizenId }: { note: Note; remarks: Note[]; citizenId: string }) {
  const { t, language } = useI18n();
  const user = useUser();
  const [open, setOpen] = useState<'correct' | 'remark' | null>(null);
  const correcting = open === 'correct';
  const corrected = n.revisions.length > 1;
  const earlier = [...n.revisions].sort((a, b) => b.revision - a.revision).slice(1);
  const latest = [...n.revisions].sort((a, b) => b.revision - a.revision)[0];
  return (
    <li className={n.sensitivity === 'sensitive' ? 'card-item note note-sensitive' : 'card-item note'}>
      <div className="note-head">
        <span className="note-kind">{t(`noteKind.${n.kind}`)}</span>
        {n.sensitivity === 'sensitive' && <span className="tag-sensitive">{t('note.sensitiveTag')}</span>}
        {corrected && <span className="tag-corrected">{t('note.corrected')}</span>}
        {n.citizenVisible && <span className="tag-shown">{t('note.shownToCitizen')}</span>}
      </div>
      <p className="note-meta">
        {t('note.meta', { author: n.author.name, time: formatDateTime(language, n.createdAt) })}
        {n.source && <> · {t(n.kind === 'citizen_remark' ? 'remark.receivedVia' : 'note.sourceValue', { source: n.source })}</>}
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
      {n.portalRemarks.length > 0 && (
        <section className="note-remarks" aria-label={t('note.portalRemarks')}>
          {n.portalRemarks.map((r) => (
            <div key={r.id} className="note-remark">
              <p className="note-remark-heading">{t('note.portalRemark')}</p>
              <p className="note-meta">{formatDateTime(language, r.writtenAt)}</p>
              <p className="note-body">{r.body}</p>
            </div>
          ))}
        </section>
      )}
      {remarks.length > 0 && (
        <section className="note-remarks" aria-label={t('remark.title')}>
          {remarks.map((r) => (
            <div key={r.id} className="note-remark">
              <p className="note-remark-heading">{t('remark.title')}</p>
              <p className="note-meta">
                {t('remark.meta', { via: r.source ?? '', author: r.author.name, time: formatDateTime(language, r.createdAt) })}
              </p>
              <p className="note-body">{r.body}</p>
            </div>
          ))}
        </section>
      )}
      {open === null && (
        <div className="button-row note-actions">
          {n.author.id === user.id && n.kind !== 'citizen_remark' && (
            <button type="button" className="button button-tertiary button-small" onClick={() => setOpen('correct')}>
              {t('note.correct')}
            </button>
          )}
          {n.kind !== 'citizen_remark' && (
            <button type="button" className="button button-tertiary button-small" onClick={() => setOpen('remark')}>
              {t('remark.add')}
            </button>
          )}
        </div>
      )}
      {correcting && <CorrectionForm note={n} citizenId={citizenId} onClose={() => setOpen(null)} />}
      {open === 'remark' && <RemarkForm note={n} citizenId={citizenId} onClose={() => setOpen(null)} />}
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
      {failed && <ErrorAlert message={t(failed)} />}
      <FormButtons saveLabel={t('note.saveCorrection')} disabled={save.isPending} onCancel={onClose} />
    </form>
  );
}

/** The citizen's own remark on a note, recorded by staff with how it was given; the note itself stays as it is. */
function RemarkForm({ note, citizenId, onClose }: { note: Note; citizenId: string; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [body, setBody] = useState('');
  const [via, setVia] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const bodyError = submitted && !body.trim() ? t('remark.error.bodyMissing') : undefined;
  const viaError = submitted && !via.trim() ? t('remark.error.viaMissing') : undefined;
  const save = useMutation({
    mutationFn: () => api.post(`/api/notes/${note.id}/remarks`, { body: body.trim(), receivedVia: via.trim() }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: citizenKey(citizenId) });
      onClose();
    },
    onError: (e) => setFailed(errorMessageKey(e)),
  });
  const id = `remark-${note.id}`;
  return (
    <form
      className="note-correction"
      noValidate
      aria-label={t('remark.formTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (!body.trim()) return document.getElementById(`${id}-body`)?.focus();
        if (!via.trim()) return document.getElementById(`${id}-via`)?.focus();
        save.mutate();
      }}
    >
      <p className="form-hint">{t('remark.intro')}</p>
      <TextArea id={`${id}-body`} label={t('remark.body')} value={body} rows={4} error={bodyError} onChange={(v) => { setBody(v); setFailed(null); }} />
      <TextField id={`${id}-via`} label={t('remark.via')} hint={t('remark.viaHint')} value={via} error={viaError} onChange={(v) => { setVia(v); setFailed(null); }} />
      {failed && <ErrorAlert message={t(failed)} />}
      <FormButtons saveLabel={t('remark.save')} disabled={save.isPending} onCancel={onClose} />
    </form>
  );
}
