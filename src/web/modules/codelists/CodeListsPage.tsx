// "Kodelister" for the admin: the four lists with their validity periods, national or local; add a local code,
// relabel it or end it (national codes change only by law and are read-only here).
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { FormButtons, SelectField, TextField } from '../../app/fields.tsx';
import { ErrorAlert, errorMessageKey, Loading, PageHeading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { isIsoDate, useCodeList, type CodeListName, type CodeValue } from '../citizens/citizenApi.ts';

const LISTS: CodeListName[] = ['benefit', 'visitation', 'referral_source', 'exit_outcome'];

export function CodeListsPage() {
  const { t } = useI18n();
  const [list, setList] = useState<CodeListName>('benefit');
  const [editing, setEditing] = useState<CodeValue | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const values = useCodeList(list, '', true);
  const title = t('codeLists.title');
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="page-intro">{t('codeLists.intro')}</p>
      <div className="list-toolbar">
        <SelectField id="code-list" label={t('codeLists.list')} value={list} options={LISTS.map((l) => ({ value: l, label: t(`codeLists.name.${l}`) }))} onChange={(l) => { setList(l as CodeListName); setEditing(null); setNotice(null); }} />
        <button type="button" className="button button-primary" onClick={() => { setEditing('new'); setNotice(null); }}>
          {t('codeLists.add')}
        </button>
      </div>
      <SuccessNotice message={notice} />
      {editing && (
        <CodeEditor
          key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
          list={list}
          value={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(code) => {
            setEditing(null);
            setNotice(t('codeLists.saved', { code }));
          }}
        />
      )}
      <h2 id="code-list-heading">{t(`codeLists.name.${list}`)}</h2>
      {values.isPending && <Loading />}
      {values.isError && <QueryError error={values.error} />}
      {values.data && (
        <TableScroll labelledBy="code-list-heading">
          <table className="table table--compact table-stack code-table">
            <thead>
              <tr>
                <th scope="col">{t('codeLists.code')}</th>
                <th scope="col">{t('codeLists.labelDa')}</th>
                <th scope="col">{t('codeLists.labelEn')}</th>
                <th scope="col">{t('codeLists.validity')}</th>
                <th scope="col">{t('codeLists.kind')}</th>
                <th scope="col">
                  <span className="sr-only">{t('users.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {values.data.items.map((c) => (
                <CodeRow key={c.id} value={c} onEdit={() => { setEditing(c); setNotice(null); }} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

function CodeRow({ value: c, onEdit }: { value: CodeValue; onEdit: () => void }) {
  const { t, language } = useI18n();
  const from = c.validFrom <= '1900-01-01' ? t('codeLists.always') : formatIsoDate(language, c.validFrom);
  return (
    <tr>
      <th scope="row">
        <code>{c.code}</code>
      </th>
      <td data-label={t('codeLists.labelDa')} lang="da">{c.label.da}</td>
      <td data-label={t('codeLists.labelEn')} lang="en">{c.label.en}</td>
      <td data-label={t('codeLists.validity')}>{t('codeLists.validityValue', { from, to: c.validTo ? formatIsoDate(language, c.validTo) : t('codeLists.open') })}</td>
      <td data-label={t('codeLists.kind')}>{c.national ? t('codeLists.national') : t('codeLists.local')}</td>
      <td className="table-stack-action">
        {c.national ? (
          <span className="muted">{t('codeLists.byLaw')}</span>
        ) : (
          <button type="button" className="button button-tertiary" onClick={onEdit}>
            {t('codeLists.edit')}
            <span className="sr-only"> {c.code}</span>
          </button>
        )}
      </td>
    </tr>
  );
}

type Values = { code: string; labelDa: string; labelEn: string; validFrom: string; validTo: string };

function CodeEditor({ list, value, onClose, onSaved }: { list: CodeListName; value: CodeValue | null; onClose: () => void; onSaved: (code: string) => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [v, setV] = useState<Values>({ code: value?.code ?? '', labelDa: value?.label.da ?? '', labelEn: value?.label.en ?? '', validFrom: '', validTo: value?.validTo ?? '' });
  const [submitted, setSubmitted] = useState(false);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const [taken, setTaken] = useState(false);
  const errors: Partial<Record<keyof Values, MessageKey>> = {};
  if (!value && !/^[a-z0-9_]{1,60}$/.test(v.code)) errors.code = 'codeLists.error.code';
  if (!v.labelDa.trim()) errors.labelDa = 'codeLists.error.label';
  if (!v.labelEn.trim()) errors.labelEn = 'codeLists.error.label';
  if (v.validFrom && !isIsoDate(v.validFrom)) errors.validFrom = 'newCitizen.error.date';
  if (v.validTo && !isIsoDate(v.validTo)) errors.validTo = 'newCitizen.error.date';
  const err = (f: keyof Values) => (f === 'code' && taken ? t('codeLists.error.taken') : submitted && errors[f] ? t(errors[f]!) : undefined);
  const set = (patch: Partial<Values>) => {
    setV({ ...v, ...patch });
    setFailed(null);
    if ('code' in patch) setTaken(false);
  };
  const save = useMutation({
    mutationFn: () =>
      value
        ? api.patch<CodeValue>(`/api/code-values/${value.id}`, { version: value.version, labelDa: v.labelDa.trim(), labelEn: v.labelEn.trim(), validTo: v.validTo || null })
        : api.post<CodeValue>(`/api/code-lists/${list}`, { code: v.code, labelDa: v.labelDa.trim(), labelEn: v.labelEn.trim(), ...(v.validFrom ? { validFrom: v.validFrom } : {}), ...(v.validTo ? { validTo: v.validTo } : {}) }),
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['code-list'] });
      onSaved(saved.code);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409 && e.issueFor('code')) return setTaken(true);
      setFailed(e instanceof ApiError && e.status === 409 ? 'citizen.stale' : errorMessageKey(e));
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    const first = (Object.keys(errors) as (keyof Values)[])[0];
    if (first) return document.getElementById(`code-${first}`)?.focus();
    save.mutate();
  }
  return (
    <section className="editor" aria-labelledby="code-editor-heading">
      <h2 id="code-editor-heading">{value ? t('codeLists.editTitle', { code: value.code }) : t('codeLists.addTitle', { list: t(`codeLists.name.${list}`) })}</h2>
      <form onSubmit={submit} noValidate>
        {!value && <TextField id="code-code" label={t('codeLists.code')} hint={t('codeLists.codeHint')} value={v.code} error={err('code')} onChange={(code) => set({ code })} />}
        <TextField id="code-labelDa" label={t('codeLists.labelDa')} value={v.labelDa} error={err('labelDa')} onChange={(labelDa) => set({ labelDa })} />
        <TextField id="code-labelEn" label={t('codeLists.labelEn')} value={v.labelEn} error={err('labelEn')} onChange={(labelEn) => set({ labelEn })} />
        {!value && <TextField id="code-validFrom" label={t('codeLists.validFrom')} type="date" className="input-width-s" value={v.validFrom} error={err('validFrom')} onChange={(validFrom) => set({ validFrom })} />}
        <TextField id="code-validTo" label={t('codeLists.validTo')} hint={t('codeLists.validToHint')} type="date" className="input-width-s" value={v.validTo} error={err('validTo')} onChange={(validTo) => set({ validTo })} />
        {failed && <ErrorAlert message={t(failed)} />}
        <FormButtons saveLabel={t('codeLists.save')} disabled={save.isPending} onCancel={onClose} />
      </form>
    </section>
  );
}
