// Admin's staff list: search, cursor pagination, and the create/edit form beside it.
import { useEffect, useRef, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { StaffUser } from '../../../contracts/users.ts';
import { api, queryString } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { roleLabel } from '../../i18n/labels.ts';
import { Loading, PageHeading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { UserEditor, type UserOptions } from './UserEditor.tsx';

const PAGE_SIZE = 25;
type Mode = { kind: 'list' } | { kind: 'create' } | { kind: 'edit'; user: StaffUser };

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function UsersPage() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  // Cursors of the pages up to the current one, so "previous" can go back; a new search starts again at page 1.
  const [paging, setPaging] = useState<{ q: string; cursors: (string | undefined)[] }>({ q: '', cursors: [undefined] });
  const cursors = paging.q === q ? paging.cursors : [undefined];
  const setCursors = (change: (c: (string | undefined)[]) => (string | undefined)[]) => setPaging({ q, cursors: change(cursors) });
  const cursor = cursors[cursors.length - 1];
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [notice, setNotice] = useState<string | null>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);

  const users = useQuery({
    queryKey: ['users', q, cursor],
    queryFn: () => api.get<{ items: StaffUser[]; nextCursor: string | null }>(`/api/users${queryString({ q, cursor, limit: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
  const options = useQuery({ queryKey: ['users', 'options'], queryFn: () => api.get<UserOptions>('/api/users/options') });

  function closeEditor() {
    setMode({ kind: 'list' });
    requestAnimationFrame(() => listHeading.current?.focus());
  }

  async function reloadUser(id: string) {
    await client.invalidateQueries({ queryKey: ['users'] });
    const fresh = await client.fetchQuery({
      queryKey: ['users', q, cursor],
      queryFn: () => api.get<{ items: StaffUser[]; nextCursor: string | null }>(`/api/users${queryString({ q, cursor, limit: PAGE_SIZE })}`),
    });
    const user = fresh.items.find((u) => u.id === id);
    setMode(user ? { kind: 'edit', user } : { kind: 'list' });
  }

  const page = cursors.length;

  return (
    <>
      <PageHeading title={t('users.title')}>{t('users.title')}</PageHeading>
      <p className="page-intro">{t('users.intro')}</p>
      <SuccessNotice message={notice} className="notice-slot" />

      {mode.kind !== 'list' && options.data && (
        <UserEditor
          key={mode.kind === 'edit' ? `${mode.user.id}:${mode.user.version}` : 'create'}
          mode={mode.kind}
          user={mode.kind === 'edit' ? mode.user : null}
          options={options.data}
          onClose={closeEditor}
          onReload={() => mode.kind === 'edit' && void reloadUser(mode.user.id)}
          onSaved={(saved, how) => {
            void client.invalidateQueries({ queryKey: ['users'] });
            setNotice(t(how === 'created' ? 'users.created' : 'users.updated', { username: saved.username }));
            if (how === 'created') {
              setSearch(saved.username);
              closeEditor();
            } else setMode({ kind: 'edit', user: saved });
          }}
        />
      )}
      {mode.kind !== 'list' && options.isError && <QueryError error={options.error} />}

      {mode.kind === 'list' && (
        <>
          <div className="list-toolbar">
            <div className="form-group search-group">
              <label className="form-label" htmlFor="user-search">
                {t('users.search')}
              </label>
              <span className="form-hint" id="user-search-hint">
                {t('users.searchHint')}
              </span>
              <input
                id="user-search"
                className="form-input"
                type="search"
                value={search}
                aria-describedby="user-search-hint"
                onChange={(e) => setSearch(e.target.value)}
              />
            </div>
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                setNotice(null);
                setMode({ kind: 'create' });
              }}
            >
              {t('users.new')}
            </button>
          </div>

          <h2 ref={listHeading} tabIndex={-1} id="users-list-heading">
            {q ? t('users.resultsFor', { q }) : t('users.all')}
          </h2>
          {users.isPending && <Loading />}
          {users.isError && <QueryError error={users.error} />}
          {users.data && users.data.items.length === 0 && <p>{q ? t('users.noneFound', { q }) : t('users.none')}</p>}
          {users.data && users.data.items.length > 0 && (
            <TableScroll labelledBy="users-list-heading">
              {/* While the next search runs, the previous rows stay (dimmed) so the page does not jump. */}
              <table className={users.isPlaceholderData ? 'table table--compact table-stack users-table stale' : 'table table--compact table-stack users-table'} aria-busy={users.isPlaceholderData}>
                <thead>
                  <tr>
                    <th scope="col">{t('users.name')}</th>
                    <th scope="col">{t('users.username')}</th>
                    <th scope="col">{t('users.email')}</th>
                    <th scope="col">{t('users.roles')}</th>
                    <th scope="col">{t('users.status')}</th>
                    <th scope="col">
                      <span className="sr-only">{t('users.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {users.data.items.map((user) => (
                    <tr key={user.id}>
                      <th scope="row">{user.name}</th>
                      <td data-label={t('users.username')}>{user.username}</td>
                      <td data-label={t('users.email')}>{user.email ?? '–'}</td>
                      <td data-label={t('users.roles')}>
                        <ul className="plain-list">
                          {user.roles.map((r) => (
                            <li key={`${r.role}:${r.programmeId ?? ''}`}>
                              {r.programmeName ? t('users.roleIn', { role: roleLabel(t, r.role), programme: r.programmeName }) : roleLabel(t, r.role)}
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td data-label={t('users.status')}>{statusText(t, user)}</td>
                      <td className="table-stack-action">
                        <button
                          type="button"
                          className="button button-tertiary"
                          onClick={() => {
                            setNotice(null);
                            setMode({ kind: 'edit', user });
                          }}
                        >
                          {t('users.edit')}
                          <span className="sr-only"> {user.name}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          {users.data && (page > 1 || users.data.nextCursor) && (
            <nav className="pager" aria-label={t('users.pagination')}>
              <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t('common.previous')}
              </button>
              <span>{t('common.page', { n: page })}</span>
              <button
                type="button"
                className="button button-secondary"
                disabled={!users.data.nextCursor}
                onClick={() => users.data.nextCursor && setCursors((c) => [...c, users.data.nextCursor ?? undefined])}
              >
                {t('common.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </>
  );
}

function statusText(t: ReturnType<typeof useI18n>['t'], user: StaffUser): string {
  if (!user.active) return t('users.statusInactiveShort');
  if (user.lockedUntil && new Date(user.lockedUntil) > new Date()) return t('users.statusLockedShort');
  return t('users.statusActiveShort');
}
