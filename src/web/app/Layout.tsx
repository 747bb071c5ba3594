// The page frame: skip link, header (product, user, organisation, language, logout), role-based navigation, main.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { NavLink, Outlet } from 'react-router';
import { api } from '../api/client.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { capabilitiesOf, endSession, useDemoMode, useUser } from './session.tsx';

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  const next = language === 'da' ? 'en' : 'da';
  return (
    // The label is written in the language it switches to, so a reader of that language finds it.
    <button type="button" className="button button-tertiary header-button" lang={next} onClick={() => setLanguage(next)}>
      {t('language.switchTo')}
    </button>
  );
}

function SkipLink() {
  const { t } = useI18n();
  return (
    <a className="skipnav" href="#main">
      {t('nav.skip')}
    </a>
  );
}

/** In demo mode, on every page: the data is made up, so nobody takes it for real or types real data in. */
function DemoBanner() {
  const { t } = useI18n();
  if (!useDemoMode()) return null;
  return (
    <div className="demo-banner">
      <p className="container demo-banner-inner">
        <strong className="demo-banner-label">{t('demo.label')}</strong> {t('demo.text')}
      </p>
    </div>
  );
}

/** The header of the login page: product and language only. */
export function PublicFrame({ children }: { children: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <SkipLink />
      <header className="app-header">
        <DemoBanner />
        <div className="container app-header-inner">
          <span className="app-brand">{t('app.name')}</span>
          <div className="app-header-tools">
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="container app-main">
        {children}
      </main>
    </>
  );
}

type NavItem = { to: string; label: MessageKey };

export function Layout() {
  const { t } = useI18n();
  const user = useUser();
  const client = useQueryClient();
  const can = capabilitiesOf(user);

  const logout = useMutation({
    mutationFn: () => api.post<void>('/api/auth/logout'),
    // Logged out locally even if the server call fails: the user asked to leave.
    onSettled: () => endSession(client, 'loggedOut'),
  });

  // With a temporary password only the password change is open (the server refuses the rest).
  const items: NavItem[] = user.passwordChangeRequired ? [{ to: '/password', label: 'nav.password' }] : [
    ...(can.myDay ? [{ to: '/my-day', label: 'calendar.nav.myDay' as const }] : []),
    ...(can.myCitizens ? [{ to: '/citizens', label: 'nav.myCitizens' as const }] : can.allCitizens ? [{ to: '/citizens', label: 'nav.allCitizens' as const }] : []),
    ...(can.myDay ? [{ to: '/calendar', label: 'calendar.nav' as const }] : []),
    ...(can.caseloads ? [{ to: '/caseloads', label: 'nav.caseloads' as const }] : []),
    ...(can.clinicianPatients ? [{ to: '/my-patients', label: 'inquiries.navPatients' as const }] : []),
    ...(can.inquiries ? [{ to: '/inquiries', label: 'inquiries.nav' as const }] : []),
    ...(can.companies ? [{ to: '/companies', label: 'nav.companies' as const }] : []),
    ...(can.programmes ? [{ to: '/programmes', label: 'nav.programmes' as const }] : []),
    ...(can.users ? [{ to: '/users', label: 'nav.users' as const }] : []),
    ...(can.codeLists ? [{ to: '/code-lists', label: 'nav.codeLists' as const }] : []),
    ...(can.instruments ? [{ to: '/instruments', label: 'progressionAdmin.nav' as const }] : []),
    ...(can.log ? [{ to: '/log', label: 'nav.log' as const }] : []),
    ...(can.log ? [{ to: '/citizen-log', label: 'citizenLog.nav' as const }] : []),
    ...(can.studies ? [{ to: '/studies', label: 'studies.nav' as const }] : []),
    ...(can.accessRequests ? [{ to: '/access-requests', label: 'accessRequests.nav' as const }] : []),
    ...(can.log && user.organisation.kind === 'region' ? [{ to: '/disclosures/exceptions', label: 'disclosures.exceptions.nav' as const }] : []),
    { to: '/password', label: 'nav.password' },
  ];

  return (
    <>
      <SkipLink />
      <header className="app-header">
        <DemoBanner />
        <div className="container app-header-inner">
          <NavLink to="/" className="app-brand">
            {t('app.name')}
          </NavLink>
          <div className="app-user">
            <span className="app-user-name">{user.name}</span>
            <span className="app-user-org">{user.organisation.name}</span>
          </div>
          <div className="app-header-tools">
            <LanguageSwitch />
            <button type="button" className="button button-secondary header-button" onClick={() => logout.mutate()} disabled={logout.isPending}>
              {t('nav.logout')}
            </button>
          </div>
        </div>
        <nav className="app-nav" aria-label={t('nav.label')}>
          <div className="container">
            <ul className="app-nav-list">
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} className={({ isActive }) => (isActive ? 'app-nav-link active' : 'app-nav-link')}>
                  {t(item.label)}
                </NavLink>
              </li>
            ))}
            </ul>
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="container app-main">
        <Outlet />
      </main>
    </>
  );
}
