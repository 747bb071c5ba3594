// Shared page pieces: the page heading (title + focus), loading and error states.
import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';

/** The page's h1; also sets the document title and takes focus so screen readers announce the new page. */
export function PageHeading({ children, title, focus = true }: { children: ReactNode; title: string; focus?: boolean }) {
  const { t } = useI18n();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t('app.documentTitle', { page: title });
  }, [t, title]);
  useEffect(() => {
    if (focus) ref.current?.focus({ preventScroll: true });
  }, [focus]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** What went wrong, in words the user can act on; never a stack trace. */
export function errorMessageKey(error: unknown): MessageKey {
  if (error instanceof ApiError) {
    if (error.status === 404) return 'error.notFound';
    if (error.status === 403) return 'error.forbidden';
    if (error.status === 409) return 'error.conflict';
    if (error.status >= 500) return 'error.server';
    return 'error.request';
  }
  return 'error.network';
}

export function QueryError({ error }: { error: unknown }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-error" role="alert">
      <div className="alert-body">
        <p className="alert-heading">{t('error.heading')}</p>
        <p className="alert-text">{t(errorMessageKey(error))}</p>
      </div>
    </div>
  );
}
