// Shared page pieces: the page heading (title + focus), loading, error and success states.
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
  return <ErrorAlert heading={t('error.heading')} message={t(errorMessageKey(error))} />;
}

/** An error alert, announced as it appears: an optional heading, the message, and anything to act on (children). */
export function ErrorAlert({ heading, message, children }: { heading?: string; message: ReactNode; children?: ReactNode }) {
  return (
    <div className="alert alert-error" role="alert">
      <div className="alert-body">
        {heading && <p className="alert-heading">{heading}</p>}
        <p className="alert-text">{message}</p>
        {children}
      </div>
    </div>
  );
}

/** A live region that always stands on the page (so screen readers hear what appears in it) and shows a success message when there is one. */
export function SuccessNotice({ message, className }: { message: ReactNode; className?: string }) {
  return (
    <div role="status" className={className}>
      {message && (
        <div className="alert alert-success">
          <div className="alert-body">
            <p className="alert-text">{message}</p>
          </div>
        </div>
      )}
    </div>
  );
}

/** A short status message (information or success), read out politely where it appears. */
export function StatusNote({ kind, message }: { kind: 'info' | 'success'; message: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role="status">
      <div className="alert-body">
        <p className="alert-text">{message}</p>
      </div>
    </div>
  );
}

/** A live region for a form's failure that always stands on the page, so the message is announced when it appears. */
export function FailureRegion({ heading, message }: { heading: string; message: ReactNode | null }) {
  return (
    <div role="alert">
      {message && (
        <div className="alert alert-error">
          <div className="alert-body">
            <p className="alert-heading">{heading}</p>
            <p className="alert-text">{message}</p>
          </div>
        </div>
      )}
    </div>
  );
}
