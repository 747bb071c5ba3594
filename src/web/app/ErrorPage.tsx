// The friendly pages for "no such page" and for an unexpected failure while showing a page.
import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { useI18n } from '../i18n/i18n.tsx';
import { PageHeading } from './feedback.tsx';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading title={t('notFound.title')}>{t('notFound.title')}</PageHeading>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/">{t('error.home')}</Link>
      </p>
    </>
  );
}

export function ErrorPage() {
  const { t } = useI18n();
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main id="main" className="container error-page">
      <PageHeading title={t(notFound ? 'notFound.title' : 'error.pageTitle')}>{t(notFound ? 'notFound.title' : 'error.pageTitle')}</PageHeading>
      <p>{t(notFound ? 'notFound.text' : 'error.pageText')}</p>
      <p>
        {/* A full reload: the app state that failed is thrown away. */}
        <a href="/">{t('error.home')}</a>
      </p>
    </main>
  );
}
