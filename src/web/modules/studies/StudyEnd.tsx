// The study's end (decision 0044): past its end date no export or delivery is made and packages are deleted; the
// page shows whether the partner's confirmation of deletion or archiving is awaited or recorded, and the recording
// organisation's programme manager records it (deleted, or archived with the archive's reference).
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, SuccessNotice } from '../../app/feedback.tsx';
import { FormButtons, SelectField, TextField } from '../../app/fields.tsx';
import { useUser } from '../../app/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { STUDIES_KEY, type Study } from './studiesApi.ts';

export function StudyEnd({ study }: { study: Study }) {
  const { t, language } = useI18n();
  const user = useUser();
  if (study.status !== 'approved' || !study.ended) return null;
  const mayRecord = user.organisation.id === study.organisationId && user.roles.some((r) => r.role === 'programme_manager' && r.programmeId === study.programme.id);
  const c = study.endConfirmation;
  return (
    <section className="study-actions" aria-labelledby="study-end-heading">
      <h2 id="study-end-heading">{t('studies.end.heading')}</h2>
      <p>{t('studies.end.ended', { date: formatIsoDate(language, study.endsOn) })}</p>
      {c ? (
        <p>
          <span className="study-status study-status-approved">{t('studies.end.confirmed')}</span>{' '}
          {t(c.kind === 'archived' ? 'studies.end.confirmedArchived' : 'studies.end.confirmedDeleted', {
            reference: c.archiveReference ?? '',
            name: c.recordedBy.name,
            date: formatDateTime(language, c.recordedAt),
          })}
        </p>
      ) : (
        <>
          <p>
            <span className="study-status study-status-awaiting_approval">{t('studies.end.awaiting')}</span>
          </p>
          {mayRecord && <ConfirmEnd study={study} />}
        </>
      )}
    </section>
  );
}

function ConfirmEnd({ study }: { study: Study }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [kind, setKind] = useState<'deleted' | 'archived'>('deleted');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: () => api.post<Study>(`/api/studies/${study.id}/end-confirmation`, kind === 'archived' ? { kind, archiveReference: reference.trim() } : { kind }),
    onSuccess: (next) => {
      client.setQueryData(['studies', 'one', study.id], next);
      void client.invalidateQueries({ queryKey: STUDIES_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (kind === 'archived' && !reference.trim()) return setError(t('studies.end.referenceRequired'));
    if (reference.trim().length > 200) return setError(t('studies.end.referenceTooLong'));
    setError(undefined);
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="study-end-form-heading">
      <h3 id="study-end-form-heading">{t('studies.end.formHeading')}</h3>
      {save.isSuccess && <SuccessNotice message={t('studies.end.saved')} />}
      {save.isError && <ErrorAlert message={save.error instanceof ApiError && save.error.status === 409 ? t('studies.end.refused') : t('error.request')} />}
      <SelectField
        id="study-end-kind"
        label={t('studies.end.kindLabel')}
        value={kind}
        onChange={(v) => setKind(v === 'archived' ? 'archived' : 'deleted')}
        options={[
          { value: 'deleted', label: t('studies.end.kind.deleted') },
          { value: 'archived', label: t('studies.end.kind.archived') },
        ]}
      />
      {kind === 'archived' && <TextField id="study-end-reference" label={t('studies.end.referenceLabel')} hint={t('studies.end.referenceHint')} value={reference} onChange={setReference} error={error} />}
      <FormButtons saveLabel={t('studies.end.save')} disabled={save.isPending} />
    </form>
  );
}
