// The DPO's search of the organisation's audit log: filters kept in the address, newest first, "load more".
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditRow } from '../../../contracts/audit.ts';
import { api, queryString } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { auditActionLabel, auditOutcomeLabel, auditPurposeLabel, resourceTypeLabel, roleLabel } from '../../i18n/labels.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { SelectField, TextField } from '../../app/fields.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';

const PAGE_SIZE = 50;
const ACTIONS = ['login', 'logout', 'change-password', 'read', 'search', 'create', 'update', 'delete', 'export', 'reveal-cpr', 'cpr-lookup', 'grant-role', 'revoke-role', 'reset-password', 'purge'];
/** Categories the dpo watches: an administrator reaching case content through accounts, and CPR look-ups without access. */
const CATEGORIES = ['accounts', 'hidden-cpr-lookups'] as const;
const OUTCOMES = ['success', 'denied', 'failure'];
const FILTER_KEYS = ['from', 'to', 'category', 'action', 'outcome', 'actor', 'citizenId'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filter = Record<FilterKey, string>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function filterErrors(f: Filter): Partial<Record<FilterKey, MessageKey>> {
  const errors: Partial<Record<FilterKey, MessageKey>> = {};
  if (f.from && f.to && f.from > f.to) errors.to = 'audit.error.toBeforeFrom';
  if (f.citizenId && !UUID.test(f.citizenId.trim())) errors.citizenId = 'audit.error.citizenId';
  return errors;
}

export function AuditLogPage() {
  const { t, language } = useI18n();
  // The applied filter lives in the address, so reload, back and a bookmark keep it.
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Filter;
  const [draft, setDraft] = useState<Filter>(applied);
  const [submitted, setSubmitted] = useState(false);
  const errors = filterErrors(draft);

  const log = useInfiniteQuery({
    queryKey: ['audit', applied],
    queryFn: ({ pageParam }) =>
      api.get<{ items: AuditRow[]; nextCursor: string | null; sealing: 'ok' | 'halted' }>(`/api/audit${queryString({ ...applied, citizenId: applied.citizenId.trim(), cursor: pageParam, limit: PAGE_SIZE })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = FILTER_KEYS.some((k) => applied[k]);

  function apply(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    const first = FILTER_KEYS.find((k) => errors[k]);
    if (first) return document.getElementById(`audit-${first}`)?.focus();
    setParams(Object.fromEntries(FILTER_KEYS.filter((k) => draft[k].trim()).map((k) => [k, draft[k].trim()])));
  }

  function reset() {
    const empty = Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])) as Filter;
    setDraft(empty);
    setSubmitted(false);
    setParams({});
  }

  const field = (key: FilterKey) => ({
    id: `audit-${key}`,
    value: draft[key],
    error: submitted && errors[key] ? t(errors[key]) : undefined,
    onChange: (value: string) => setDraft((d) => ({ ...d, [key]: value })),
  });

  return (
    <>
      <PageHeading title={t('audit.title')}>{t('audit.title')}</PageHeading>
      <p className="page-intro">{t('audit.intro')}</p>
      {log.data?.pages[0]?.sealing === 'halted' && (
        <div className="alert alert-error" role="alert">
          <div className="alert-body">
            <p className="alert-heading">{t('audit.sealingHaltedHeading')}</p>
            <p className="alert-text">{t('audit.sealingHalted')}</p>
          </div>
        </div>
      )}

      <form className="filter-form" onSubmit={apply} noValidate aria-labelledby="audit-filter-heading">
        <h2 id="audit-filter-heading" className="h3">
          {t('audit.filterHeading')}
        </h2>
        <div className="filter-grid">
          <TextField {...field('from')} label={t('audit.from')} type="date" />
          <TextField {...field('to')} label={t('audit.to')} type="date" />
          <SelectField
            {...field('category')}
            label={t('audit.category')}
            options={[{ value: '', label: t('audit.any') }, ...CATEGORIES.map((c) => ({ value: c, label: t(`audit.category.${c}`) }))]}
          />
          <SelectField
            {...field('action')}
            label={t('audit.action')}
            options={[{ value: '', label: t('audit.any') }, ...ACTIONS.map((a) => ({ value: a, label: auditActionLabel(t, a) }))]}
          />
          <SelectField
            {...field('outcome')}
            label={t('audit.outcome')}
            options={[{ value: '', label: t('audit.any') }, ...OUTCOMES.map((o) => ({ value: o, label: auditOutcomeLabel(t, o) }))]}
          />
          <TextField {...field('actor')} label={t('audit.actor')} hint={t('audit.actorHint')} autoComplete="off" />
          <TextField {...field('citizenId')} label={t('audit.citizenId')} hint={t('audit.citizenIdHint')} autoComplete="off" />
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary">
            {t('audit.search')}
          </button>
          <button type="button" className="button button-secondary" onClick={reset}>
            {t('audit.reset')}
          </button>
        </div>
      </form>

      <h2 id="audit-results-heading">{t('audit.results')}</h2>
      {log.isPending && <Loading />}
      {log.isError && <QueryError error={log.error} />}
      {log.data && rows.length === 0 && (
        <div className="empty-state">
          <p>{filtered ? t('audit.emptyFiltered') : t('audit.empty')}</p>
          {filtered && (
            <button type="button" className="button button-secondary" onClick={reset}>
              {t('audit.reset')}
            </button>
          )}
        </div>
      )}
      {rows.length > 0 && (
        <>
          <p role="status">{t(log.hasNextPage ? 'audit.shownMore' : 'audit.shown', { count: rows.length })}</p>
          <TableScroll labelledBy="audit-results-heading">
            <table className="table table--compact table-stack audit-table">
              <thead>
                <tr>
                  <th scope="col">{t('audit.time')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.organisation')}</th>
                  <th scope="col">{t('audit.roles')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.purpose')}</th>
                  <th scope="col">{t('audit.resource')}</th>
                  <th scope="col">{t('audit.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.seq}>
                    <td className="nowrap" data-label={t('audit.time')}>
                      {formatDateTime(language, row.occurredAt)}
                    </td>
                    <td data-label={t('audit.actor')}>{row.actorUsername ?? t('audit.unknownActor')}</td>
                    <td data-label={t('audit.organisation')}>{row.actorOrganisation ?? '–'}</td>
                    <td data-label={t('audit.roles')}>{row.actorRoles.length ? row.actorRoles.map((r) => roleLabel(t, r)).join(', ') : '–'}</td>
                    <td data-label={t('audit.action')}>{auditActionLabel(t, row.action)}</td>
                    <td data-label={t('audit.purpose')}>{auditPurposeLabel(t, row.purpose)}</td>
                    <td data-label={t('audit.resource')}>
                      <span>
                        {resourceTypeLabel(t, row.resourceType)}
                        {row.resourceId && <span className="resource-id">{row.resourceId}</span>}
                        {/* For an account change: whose account, and which role. */}
                        {typeof row.criteria?.username === 'string' && (
                          <span className="resource-id">
                            {row.criteria.username}
                            {typeof row.criteria.role === 'string' && ` · ${roleLabel(t, row.criteria.role)}`}
                          </span>
                        )}
                      </span>
                    </td>
                    <td data-label={t('audit.outcome')}>
                      {/* A symbol and a word as well as the colour, so the outcome is not told by colour alone. */}
                      <span className={`outcome outcome-${row.outcome}`}>
                        <span aria-hidden="true">{row.outcome === 'success' ? '✓ ' : '✕ '}</span>
                        {auditOutcomeLabel(t, row.outcome)}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {log.hasNextPage && (
            <button type="button" className="button button-secondary load-more" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
              {log.isFetchingNextPage ? t('common.loading') : t('audit.loadMore')}
            </button>
          )}
        </>
      )}
    </>
  );
}
