// "Måleredskaber" for the organisation's administrators: the instruments in use and those waiting for
// approval, upload of Bindeled JSON, import of a REDCap data dictionary (CSV), approval after consulting the
// dpo, and export of any version to both forms.
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CreatedInstrument, ImportResponse } from '../../../contracts/progression.ts';
import { api, ApiError, queryString } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { ErrorAlert, Loading, PageHeading, QueryError, SuccessNotice, errorMessageKey } from '../../app/feedback.tsx';
import { FormButtons, TextArea, TextField } from '../../app/fields.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { useInstruments, type InstrumentSummary } from './progressionAdminApi.ts';
import './progression-admin.css';

const DATA_CATEGORIES = ['wellbeing', 'work_ability', 'employment_progression', 'health', 'everyday_life', 'other'] as const;
type Issue = { path: string; message: string; code?: string };

/** The issues of a 400, or nothing for other failures. */
function issuesOf(error: unknown): Issue[] {
  return error instanceof ApiError && error.status === 400 ? (error.body?.issues ?? []) : [];
}

/** A file chosen in a file input, as text. */
function readFile(file: File): Promise<string> {
  return file.text();
}

export function InstrumentsPage() {
  const { t } = useI18n();
  const instruments = useInstruments();
  const title = t('progressionAdmin.instruments.title');
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="page-intro">{t('progressionAdmin.instruments.intro')}</p>
      <section className="page-section" aria-labelledby="instrument-list-heading">
        <h2 id="instrument-list-heading">{t('progressionAdmin.instruments.list')}</h2>
        {instruments.isPending && <Loading />}
        {instruments.isError && <QueryError error={instruments.error} />}
        {instruments.data && <InstrumentTable items={instruments.data.items} />}
      </section>
      <ImportForm />
      <UploadForm />
    </>
  );
}

function statusKey(status: InstrumentSummary['status']): MessageKey {
  return `progressionAdmin.instruments.status.${status}`;
}

function InstrumentTable({ items }: { items: InstrumentSummary[] }) {
  const { t, language } = useI18n();
  const [approving, setApproving] = useState<string | null>(null);
  if (items.length === 0) return <p>{t('progressionAdmin.instruments.none')}</p>;
  const exportHref = (i: InstrumentSummary, format: 'json' | 'redcap') =>
    `/api/instruments/${encodeURIComponent(i.code)}/export${queryString({ format, version: i.version, lang: language })}`;
  return (
    <TableScroll labelledBy="instrument-list-heading">
      <table className="table table--compact table-stack instrument-table">
        <thead>
          <tr>
            <th scope="col">{t('progressionAdmin.instruments.name')}</th>
            <th scope="col">{t('progressionAdmin.instruments.version')}</th>
            <th scope="col">{t('progressionAdmin.instruments.statusLabel')}</th>
            <th scope="col">{t('progressionAdmin.instruments.source')}</th>
            <th scope="col">{t('progressionAdmin.instruments.details')}</th>
            <th scope="col">{t('progressionAdmin.instruments.export')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => {
            const key = `${i.code}-${i.version}`;
            return (
              <tr key={key}>
                <th scope="row">
                  {i.title[language]}
                  <span className="instrument-code">{i.code}</span>
                </th>
                <td data-label={t('progressionAdmin.instruments.version')}>{i.version}</td>
                <td data-label={t('progressionAdmin.instruments.statusLabel')}>
                  <span className={`instrument-status instrument-status-${i.status}`}>{t(statusKey(i.status))}</span>
                  {i.approvedAt && <span className="instrument-approved">{t('progressionAdmin.instruments.approvedAt', { time: formatDateTime(language, i.approvedAt) })}</span>}
                  {i.status === 'inactive' && approving !== key && (
                    <button type="button" className="button button-secondary button-small" onClick={() => setApproving(key)}>
                      {t('progressionAdmin.approve.open', { name: i.title[language] })}
                    </button>
                  )}
                  {approving === key && <ApproveForm instrument={i} onClose={() => setApproving(null)} />}
                </td>
                <td data-label={t('progressionAdmin.instruments.source')}>{t(`progressionAdmin.instruments.sourceName.${i.source}`)}</td>
                <td data-label={t('progressionAdmin.instruments.details')}>
                  <ul className="plain-list instrument-facts">
                    <li>{i.scored ? t('progressionAdmin.instruments.scored') : t('progressionAdmin.instruments.unscored')}</li>
                    <li>{i.healthData ? t('progressionAdmin.instruments.healthData') : t('progressionAdmin.instruments.noHealthData')}</li>
                    <li>{t('progressionAdmin.instruments.categories', { list: i.dataCategories.map((c) => categoryLabel(t, c)).join(', ') })}</li>
                    <li>{t('progressionAdmin.instruments.licence', { licence: i.licence })}</li>
                  </ul>
                </td>
                <td data-label={t('progressionAdmin.instruments.export')}>
                  <ul className="plain-list">
                    <li>
                      <a href={exportHref(i, 'json')} download aria-label={t('progressionAdmin.instruments.exportJsonOf', { name: i.title[language], version: i.version })}>
                        {t('progressionAdmin.instruments.exportJson')}
                      </a>
                    </li>
                    <li>
                      <a href={exportHref(i, 'redcap')} download aria-label={t('progressionAdmin.instruments.exportRedcapOf', { name: i.title[language], version: i.version })}>
                        {t('progressionAdmin.instruments.exportRedcap')}
                      </a>
                    </li>
                  </ul>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

function categoryLabel(t: (key: MessageKey) => string, code: string): string {
  const key = `progressionAdmin.category.${code}`;
  return (DATA_CATEGORIES as readonly string[]).includes(code) ? t(key as MessageKey) : code;
}

function ApproveForm({ instrument, onClose }: { instrument: InstrumentSummary; onClose: () => void }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const id = useId();
  const [dpo, setDpo] = useState(false);
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const approve = useMutation({
    mutationFn: () =>
      api.post<z.infer<typeof CreatedInstrument>>(`/api/instruments/${encodeURIComponent(instrument.code)}/versions/${instrument.version}/approve`, { dpoConsulted: true, note: note.trim() }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['instruments'] });
      onClose();
    },
  });
  const dpoError = submitted && !dpo ? t('progressionAdmin.approve.dpoRequired') : undefined;
  const noteError = submitted && !note.trim() ? t('progressionAdmin.approve.noteRequired') : (approve.error instanceof ApiError ? approve.error.issueFor('note') : undefined);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!dpo || !note.trim()) return;
    approve.mutate();
  }

  return (
    <form className="approve-form" onSubmit={submit} noValidate aria-label={t('progressionAdmin.approve.title', { name: instrument.title[language], version: instrument.version })}>
      <p className="approve-title">{t('progressionAdmin.approve.title', { name: instrument.title[language], version: instrument.version })}</p>
      <div className={dpoError ? 'form-group form-error' : 'form-group'}>
        {dpoError && (
          <span className="form-error-message" id={`${id}-dpo-error`}>
            {dpoError}
          </span>
        )}
        <div className="form-group-checkbox">
          <input
            id={`${id}-dpo`}
            type="checkbox"
            className="form-checkbox"
            checked={dpo}
            required
            aria-invalid={dpoError ? true : undefined}
            aria-describedby={dpoError ? `${id}-dpo-error` : undefined}
            onChange={(e) => setDpo(e.target.checked)}
          />
          <label htmlFor={`${id}-dpo`}>{t('progressionAdmin.approve.dpo')}</label>
        </div>
      </div>
      <TextArea id={`${id}-note`} label={t('progressionAdmin.approve.note')} hint={t('progressionAdmin.approve.noteHint')} value={note} error={noteError} onChange={setNote} rows={3} />
      {approve.isError && <ErrorAlert message={t(errorMessageKey(approve.error))} />}
      <FormButtons saveLabel={t('progressionAdmin.approve.submit')} disabled={approve.isPending} onCancel={onClose} />
    </form>
  );
}

/** The 400 of an import or upload: one line per issue, naming row, column and feature where the server does. */
function IssueList({ issues }: { issues: Issue[] }) {
  const { t } = useI18n();
  return (
    <ErrorAlert heading={t('progressionAdmin.import.refused')} message={t('progressionAdmin.import.refusedIntro')}>
      <ul className="issue-list">
        {issues.map((issue, i) => {
          const place = /^row (\d+), column "(.*)"$/.exec(issue.path);
          return (
            <li key={i}>
              {place ? t('progressionAdmin.import.place', { row: place[1] ?? '', column: place[2] ?? '' }) : issue.path}
              {issue.code && (
                <>
                  {' – '}
                  <code>{issue.code}</code>
                </>
              )}
              {': '}
              <span lang="en">{issue.message}</span>
            </li>
          );
        })}
      </ul>
    </ErrorAlert>
  );
}

function ImportForm() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [licence, setLicence] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [healthData, setHealthData] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const importCsv = useMutation({
    mutationFn: async () => {
      const text = await readFile(file!);
      const query = queryString({ licence: licence.trim(), dataCategories: categories.join(','), healthData: String(healthData) });
      return api.postText<z.infer<typeof ImportResponse>>(`/api/instruments/import${query}`, text, 'text/csv');
    },
    onSuccess: async (data) => {
      setResult(t('progressionAdmin.import.done', { list: data.instruments.map((i) => `${i.code} (${t('progressionAdmin.instruments.versionN', { version: i.version })})`).join(', ') }));
      await client.invalidateQueries({ queryKey: ['instruments'] });
    },
  });
  const errors = {
    file: submitted && !file ? t('progressionAdmin.import.fileRequired') : undefined,
    licence: submitted && !licence.trim() ? t('progressionAdmin.import.licenceRequired') : undefined,
    categories: submitted && categories.length === 0 ? t('progressionAdmin.import.categoriesRequired') : undefined,
  };
  const issues = issuesOf(importCsv.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setResult(null);
    if (!file || !licence.trim() || categories.length === 0) return;
    importCsv.mutate();
  }

  return (
    <section className="page-section" aria-labelledby="import-heading">
      <h2 id="import-heading">{t('progressionAdmin.import.title')}</h2>
      <p>{t('progressionAdmin.import.intro')}</p>
      <form onSubmit={submit} noValidate>
        <div className={errors.file ? 'form-group form-error' : 'form-group'}>
          <label className="form-label" htmlFor="import-file">
            {t('progressionAdmin.import.file')}
          </label>
          <span className="form-hint" id="import-file-hint">
            {t('progressionAdmin.import.fileHint')}
          </span>
          {errors.file && (
            <span className="form-error-message" id="import-file-error">
              {errors.file}
            </span>
          )}
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            className="form-file-input"
            aria-invalid={errors.file ? true : undefined}
            aria-describedby={errors.file ? 'import-file-hint import-file-error' : 'import-file-hint'}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <TextField id="import-licence" label={t('progressionAdmin.import.licence')} hint={t('progressionAdmin.import.licenceHint')} value={licence} error={errors.licence ?? (importCsv.error instanceof ApiError ? importCsv.error.issueFor('licence') : undefined)} onChange={setLicence} />
        <fieldset className={errors.categories ? 'form-group form-error' : 'form-group'} aria-describedby={errors.categories ? 'import-categories-error' : undefined}>
          <legend className="form-label">{t('progressionAdmin.import.categories')}</legend>
          {errors.categories && (
            <span className="form-error-message" id="import-categories-error">
              {errors.categories}
            </span>
          )}
          <ul className="plain-list">
            {DATA_CATEGORIES.map((c) => (
              <li key={c} className="form-group-checkbox">
                <input
                  id={`import-category-${c}`}
                  type="checkbox"
                  className="form-checkbox"
                  checked={categories.includes(c)}
                  onChange={(e) => setCategories(e.target.checked ? [...categories, c] : categories.filter((x) => x !== c))}
                />
                <label htmlFor={`import-category-${c}`}>{t(`progressionAdmin.category.${c}`)}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="form-group">
          <div className="form-group-checkbox">
            <input id="import-health" type="checkbox" className="form-checkbox" checked={healthData} aria-describedby="import-health-hint" onChange={(e) => setHealthData(e.target.checked)} />
            <label htmlFor="import-health">{t('progressionAdmin.import.healthData')}</label>
          </div>
          <span className="form-hint" id="import-health-hint">
            {t('progressionAdmin.import.healthDataHint')}
          </span>
        </div>
        {issues.length > 0 && <IssueList issues={issues} />}
        {importCsv.isError && issues.length === 0 && <ErrorAlert message={t(errorMessageKey(importCsv.error))} />}
        <SuccessNotice message={result} />
        <FormButtons saveLabel={t('progressionAdmin.import.submit')} disabled={importCsv.isPending} />
      </form>
    </section>
  );
}

function UploadForm() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | undefined>();
  const [result, setResult] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (definition: unknown) => api.post<z.infer<typeof CreatedInstrument>>('/api/instruments', definition),
    onSuccess: async (created) => {
      setResult(t('progressionAdmin.upload.done', { code: created.code, version: created.version }));
      setText('');
      await client.invalidateQueries({ queryKey: ['instruments'] });
    },
  });
  const issues = issuesOf(upload.error);

  async function chooseFile(file: File | undefined) {
    if (file) setText(await readFile(file));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch {
      setParseError(t('progressionAdmin.upload.notJson'));
      return;
    }
    setParseError(undefined);
    upload.mutate(definition);
  }

  return (
    <section className="page-section" aria-labelledby="upload-heading">
      <h2 id="upload-heading">{t('progressionAdmin.upload.title')}</h2>
      <p>{t('progressionAdmin.upload.intro')}</p>
      <form onSubmit={submit} noValidate>
        <div className="form-group">
          <label className="form-label" htmlFor="upload-file">
            {t('progressionAdmin.upload.file')}
          </label>
          <input id="upload-file" type="file" accept=".json,application/json" className="form-file-input" onChange={(e) => void chooseFile(e.target.files?.[0])} />
        </div>
        <TextArea id="upload-json" label={t('progressionAdmin.upload.json')} hint={t('progressionAdmin.upload.jsonHint')} value={text} error={parseError} onChange={setText} rows={8} />
        {issues.length > 0 && <IssueList issues={issues} />}
        {upload.isError && issues.length === 0 && <ErrorAlert message={t(errorMessageKey(upload.error))} />}
        <SuccessNotice message={result} />
        <FormButtons saveLabel={t('progressionAdmin.upload.submit')} disabled={upload.isPending || !text.trim()} />
      </form>
    </section>
  );
}
