// "Mine borgere" (own caseload) or "Borgere" (the programme manager's whole programme): search, list, "Vis flere".
// The search text may be a CPR number, so it travels in a POST body, never in the URL, and is remembered only in memory;
// the filters (status, programme when the user has more than one, consultant from the programme's staff) are
// remembered in sessionStorage.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { CitizenSummary, EnrolmentStatus } from '../../../contracts/citizens.ts';
import { api, queryString } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { capabilitiesOf, rememberedSearchText, searchStorageKey, useUser } from '../../app/session.tsx';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { StatusTag } from './StatusTag.tsx';
import { useProgrammes, useProgrammeStaff } from './citizenApi.ts';

const PAGE_SIZE = 25;
const STATUSES: EnrolmentStatus[] = ['referred', 'active', 'paused', 'ended'];
type Search = { q: string; status: EnrolmentStatus | ''; programmeId: string; consultantId: string };
const EMPTY: Search = { q: '', status: '', programmeId: '', consultantId: '' };
const isSet = (s: Search) => !!(s.q || s.status || s.programmeId || s.consultantId);
type Page = { items: CitizenSummary[]; nextCursor: string | null };

// The search text may be a CPR number: it is kept in memory only (for returning from a citizen's page), never in
// sessionStorage, and goes with the session; the filters, which are ids and a status, are kept there for a reload.
const rememberedText = rememberedSearchText;

function readSearch(key: string): Search {
  const q = rememberedText.get(key) ?? '';
  try {
    const raw = sessionStorage.getItem(key);
    if (!raw) return { ...EMPTY, q };
    const parsed = JSON.parse(raw) as Partial<Search>;
    const status = STATUSES.includes(parsed.status as EnrolmentStatus) ? (parsed.status as EnrolmentStatus) : '';
    const id = (v: unknown) => (typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v) ? v : '');
    const search: Search = { q, status, programmeId: id(parsed.programmeId), consultantId: id(parsed.consultantId) };
    // An entry written before the text was kept out of storage loses its text now.
    if ('q' in parsed) writeSearch(key, search);
    return search;
  } catch {
    return { ...EMPTY, q };
  }
}

function writeSearch(key: string, search: Search): void {
  if (search.q) rememberedText.set(key, search.q);
  else rememberedText.delete(key);
  const filters = { status: search.status, programmeId: search.programmeId, consultantId: search.consultantId };
  try {
    if (!isSet({ ...filters, q: '' })) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(filters));
  } catch {
    // Storage blocked: the search still runs, it is only not remembered.
  }
}

export function CitizenListPage() {
  const { t } = useI18n();
  const user = useUser();
  const can = capabilitiesOf(user);
  const scope = can.myCitizens ? 'mine' : 'all';
  const storageKey = searchStorageKey(user.id, scope);
  const [active, setActive] = useState<Search>(() => readSearch(storageKey));
  const [draft, setDraft] = useState<Search>(active);
  const searching = isSet(active);
  const programmes = useProgrammes();
  const myProgrammes = programmes.data?.items ?? [];
  // The consultant filter lists the staff of the chosen programme, or of the only one.
  const staffProgrammeId = draft.programmeId || (myProgrammes.length === 1 ? myProgrammes[0]!.id : '');
  const staff = useProgrammeStaff(staffProgrammeId);
  const consultants = (staff.data?.items ?? []).filter((m) => m.roles.includes('resource_consultant'));
  const title = t(scope === 'mine' ? 'citizens.mineTitle' : 'citizens.allTitle');

  const list = useInfiniteQuery({
    queryKey: ['citizens', scope, active.q, active.status, active.programmeId, active.consultantId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      searching
        ? api.post<Page>('/api/citizens/search', {
            q: active.q || undefined,
            status: active.status || undefined,
            programmeId: active.programmeId || undefined,
            consultantId: active.consultantId || undefined,
            cursor: pageParam,
            limit: PAGE_SIZE,
          })
        : api.get<Page>(`/api/citizens${queryString({ scope, cursor: pageParam, limit: PAGE_SIZE })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = { ...draft, q: draft.q.trim() };
    writeSearch(storageKey, next);
    setActive(next);
  }

  function clear() {
    writeSearch(storageKey, EMPTY);
    setDraft(EMPTY);
    setActive(EMPTY);
  }

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <div className="title-row">
        <PageHeading title={title}>{title}</PageHeading>
        {can.createCitizens && (
          <Link to="/citizens/new" className="button button-primary title-action">
            {t('citizens.new')}
          </Link>
        )}
      </div>
      <p className="page-intro">{t(scope === 'mine' ? 'citizens.mineIntro' : 'citizens.allIntro')}</p>

      <form className="filter-form" role="search" aria-labelledby="citizen-search-heading" onSubmit={submit}>
        <h2 id="citizen-search-heading" className="h3">
          {t('citizens.searchHeading')}
        </h2>
        <div className="filter-grid">
          <div className="form-group">
            <label className="form-label" htmlFor="citizen-q">
              {t('citizens.searchLabel')}
            </label>
            <span className="form-hint" id="citizen-q-hint">
              {t('citizens.searchHint')}
            </span>
            <input
              id="citizen-q"
              className="form-input"
              type="search"
              autoComplete="off"
              spellCheck={false}
              value={draft.q}
              aria-describedby="citizen-q-hint"
              onChange={(e) => setDraft({ ...draft, q: e.target.value })}
            />
          </div>
          <div className="form-group">
            <label className="form-label" htmlFor="citizen-status">
              {t('citizens.statusFilter')}
            </label>
            <select id="citizen-status" className="form-select" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value as Search['status'] })}>
              <option value="">{t('citizens.anyStatus')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`enrolmentStatus.${s}`)}
                </option>
              ))}
            </select>
          </div>
          {myProgrammes.length > 1 && (
            <div className="form-group">
              <label className="form-label" htmlFor="citizen-programme">
                {t('citizens.programmeFilter')}
              </label>
              <select id="citizen-programme" className="form-select" value={draft.programmeId} onChange={(e) => setDraft({ ...draft, programmeId: e.target.value, consultantId: '' })}>
                <option value="">{t('citizens.anyProgramme')}</option>
                {myProgrammes.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {staffProgrammeId && consultants.length > 0 && (
            <div className="form-group">
              <label className="form-label" htmlFor="citizen-consultant">
                {t('citizens.consultantFilter')}
              </label>
              <select id="citizen-consultant" className="form-select" value={draft.consultantId} onChange={(e) => setDraft({ ...draft, consultantId: e.target.value })}>
                <option value="">{t('citizens.anyConsultant')}</option>
                {consultants.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary">
            {t('citizens.search')}
          </button>
          {searching && (
            <button type="button" className="button button-secondary" onClick={clear}>
              {t('citizens.clearSearch')}
            </button>
          )}
        </div>
      </form>

      <h2 id="citizen-list-heading" aria-live="polite">
        {searching ? t('citizens.results') : t(scope === 'mine' ? 'citizens.mineList' : 'citizens.allList')}
      </h2>
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.isSuccess && items.length === 0 && (
        <div className="empty-state">
          <p>{searching ? t('citizens.noneFound') : t(scope === 'mine' ? 'citizens.noneMine' : 'citizens.noneAll')}</p>
          <p>
            {searching ? (
              <button type="button" className="button button-secondary" onClick={clear}>
                {t('citizens.clearSearch')}
              </button>
            ) : (
              can.createCitizens && <Link to="/citizens/new">{t('citizens.newLong')}</Link>
            )}
          </p>
        </div>
      )}
      {items.length > 0 && (
        <>
          <p className="list-count">{t('citizens.shown', { n: items.length })}</p>
          <CitizenTable items={items} />
        </>
      )}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? t('common.loading') : t('common.showMore')}
        </button>
      )}
    </>
  );
}

function CitizenTable({ items }: { items: CitizenSummary[] }) {
  const { t } = useI18n();
  return (
    <TableScroll labelledBy="citizen-list-heading">
      <table className="table table--compact table-stack citizen-table">
        <thead>
          <tr>
            <th scope="col">{t('citizen.name')}</th>
            <th scope="col">{t('citizen.cpr')}</th>
            <th scope="col" className="numeric">
              {t('citizen.age')}
            </th>
            <th scope="col">{t('citizen.programme')}</th>
            <th scope="col">{t('citizen.status')}</th>
            <th scope="col">{t('citizen.consultants')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <Link to={`/citizens/${c.id}`}>
                  {c.firstName} {c.lastName}
                </Link>
                {c.isDemo && (
                  <span className="badge badge-small demo-badge" title={t('common.demoExplained')}>
                    {t('common.demo')}
                  </span>
                )}
              </th>
              <td data-label={t('citizen.cpr')} className="nowrap">
                {c.cprMasked}
              </td>
              <td data-label={t('citizen.age')} className="numeric">
                {c.age ?? t('citizen.ageUnknown')}
              </td>
              <td data-label={t('citizen.programme')}>{c.enrolment?.programmeName ?? t('citizens.notEnrolled')}</td>
              <td data-label={t('citizen.status')}>{c.enrolment ? <StatusTag status={c.enrolment.status} /> : t('common.none')}</td>
              <td data-label={t('citizen.consultants')}>
                {c.enrolment && c.enrolment.consultants.length > 0 ? c.enrolment.consultants.map((u) => u.name).join(', ') : t('common.none')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
