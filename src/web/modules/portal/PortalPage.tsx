// The citizen's portal at /portal: the code login (contact → code, and the birth date when several people share
// the contact), then the limited view a code login may see — the next appointment's time and whether a
// questionnaire waits. A MitID login (level "substantial") also gets the menu of the portal's sections
// (sections.tsx), each at /portal/<path>. Mobile first, plain Danish with "du"; its own session, apart from the
// staff one.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import { NavLink, Route, Routes, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { LanguageSwitch } from '../../app/Layout.tsx';
import { ErrorAlert, FailureRegion, Loading, PageHeading, QueryError, StatusNote } from '../../app/feedback.tsx';
import { WithdrawalRequestForm } from './WithdrawalRequestForm.tsx';
import { useI18n, type Language, type MessageKey } from '../../i18n/i18n.tsx';
import { portalApi, useForgetPortal, usePortalSession, usePortalSummary, useRefreshPortal } from './portalApi.ts';
import { PORTAL_SECTIONS } from './sections.tsx';
import { DueQuestionnaires } from './QuestionnairesPage.tsx';
import './portal.css';

function PortalFrame({ demo, children }: { demo: boolean; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="portal">
      <a className="skipnav" href="#main">
        {t('portal.skip')}
      </a>
      <header className="portal-header">
        {demo && (
          <div className="demo-banner">
            <p className="demo-banner-inner portal-inner">
              <strong className="demo-banner-label">{t('demo.label')}</strong> {t('demo.text')}
            </p>
          </div>
        )}
        <div className="portal-inner portal-header-inner">
          <span className="portal-brand">{t('portal.brand')}</span>
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="portal-inner portal-main">
        {children}
      </main>
    </div>
  );
}

export function PortalPage() {
  const session = usePortalSession();
  const [loggedOut, setLoggedOut] = useState(false);
  const demo = session.data?.demo ?? false;
  return (
    <PortalFrame demo={demo}>
      {session.isPending && <Loading />}
      {session.isError && <QueryError error={session.error} />}
      {session.data && !session.data.citizen && <CodeLogin loggedOut={loggedOut} mitid={session.data.mitid} />}
      {session.data?.citizen && session.data.assurance !== 'substantial' && (
        <LimitedView firstName={session.data.citizen.firstName} csrf={session.data.csrfToken ?? ''} onLoggedOut={() => setLoggedOut(true)} />
      )}
      {session.data?.citizen && session.data.assurance === 'substantial' && (
        <FullView firstName={session.data.citizen.firstName} csrf={session.data.csrfToken ?? ''} onLoggedOut={() => setLoggedOut(true)} />
      )}
    </PortalFrame>
  );
}

type Step = 'contact' | 'code';

/** Why a MitID login came back without a session: the callback sends the browser to /portal?login=<reason>. */
const MITID_FAILURES = ['not_invited', 'assurance_too_low', 'cancelled', 'expired', 'failed', 'unavailable'] as const;
type MitIdFailure = (typeof MITID_FAILURES)[number];

function useMitIdFailure(): MitIdFailure | null {
  const [params] = useSearchParams();
  const reason = params.get('login');
  return MITID_FAILURES.find((r) => r === reason) ?? null;
}

/** The MitID login: a link to the server's login route, which sends the browser on to MitID (the broker). */
function MitIdLogin({ available, failure }: { available: boolean; failure: MitIdFailure | null }) {
  const { t } = useI18n();
  return (
    <div className="portal-mitid">
      <FailureRegion heading={t('portal.mitid.failedHeading')} message={failure ? t(`portal.mitid.failure.${failure}`) : null} />
      {available && (
        <>
          <p>{t('portal.mitid.intro')}</p>
          <a className="button button-primary" href="/api/portal/login/mitid">
            {t('portal.mitid.button')}
          </a>
          <h2 className="h3 portal-mitid-or">{t('portal.mitid.or')}</h2>
          <p>{t('portal.mitid.codeIntro')}</p>
        </>
      )}
    </div>
  );
}

function failureKey(error: unknown): MessageKey {
  if (!(error instanceof ApiError)) return 'error.network';
  if (error.status === 429) return 'portal.login.throttled';
  if (error.status === 503) return 'portal.login.unavailable';
  if (error.status === 400 && error.issueFor('contact')) return 'portal.login.contactInvalid';
  if (error.status >= 500) return 'error.server';
  return 'portal.login.failed';
}

function CodeLogin({ loggedOut, mitid }: { loggedOut: boolean; mitid: boolean }) {
  const { t } = useI18n();
  const mitIdFailure = useMitIdFailure();
  const refresh = useRefreshPortal();
  const [step, setStep] = useState<Step>('contact');
  const [contact, setContact] = useState('');
  const [code, setCode] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [needsBirthDate, setNeedsBirthDate] = useState(false);
  const [validMinutes, setValidMinutes] = useState(10);
  const [missing, setMissing] = useState<'contact' | 'code' | 'birthDate' | null>(null);
  const [failure, setFailure] = useState<MessageKey | null>(null);
  const contactRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const birthDateRef = useRef<HTMLInputElement>(null);

  const sendCode = useMutation({
    mutationFn: (value: string) => portalApi.requestCode(value),
    onSuccess: (answer) => {
      setValidMinutes(answer.validMinutes);
      setStep('code');
      setCode('');
      setNeedsBirthDate(false);
      setBirthDate('');
    },
    onError: (error) => setFailure(failureKey(error)),
  });

  const login = useMutation({
    mutationFn: () => portalApi.login({ contact: contact.trim(), code: code.trim(), ...(needsBirthDate ? { birthDate } : {}) }),
    onSuccess: () => void refresh(),
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409 && error.body?.error === 'birth_date_required') {
        setNeedsBirthDate(true);
        return;
      }
      setFailure(failureKey(error));
    },
  });

  useEffect(() => {
    if (step === 'code') codeRef.current?.focus();
  }, [step]);
  useEffect(() => {
    if (needsBirthDate) birthDateRef.current?.focus();
  }, [needsBirthDate]);

  function submitContact(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    if (contact.trim() === '') {
      setMissing('contact');
      contactRef.current?.focus();
      return;
    }
    setMissing(null);
    sendCode.mutate(contact.trim());
  }

  function submitCode(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    if (!/^[0-9]{6}$/.test(code.trim())) {
      setMissing('code');
      codeRef.current?.focus();
      return;
    }
    if (needsBirthDate && birthDate === '') {
      setMissing('birthDate');
      birthDateRef.current?.focus();
      return;
    }
    setMissing(null);
    login.mutate();
  }

  return (
    <div className="portal-box">
      <PageHeading title={t('portal.login.title')} focus={false}>
        {t('portal.login.title')}
      </PageHeading>
      {loggedOut && !failure && step === 'contact' && <StatusNote kind="success" message={t('portal.login.loggedOut')} />}
      <FailureRegion heading={t('portal.login.failedHeading')} message={failure ? t(failure) : null} />

      {step === 'contact' && (mitid || mitIdFailure) && <MitIdLogin available={mitid} failure={mitIdFailure} />}
      {step === 'contact' ? (
        <form onSubmit={submitContact} noValidate>
          <p>{t('portal.login.intro')}</p>
          <div className={missing === 'contact' ? 'form-group form-error' : 'form-group'}>
            <label className="form-label" htmlFor="portal-contact">
              {t('portal.login.contact')}
            </label>
            <span className="form-hint" id="portal-contact-hint">
              {t('portal.login.contactHint')}
            </span>
            {missing === 'contact' && (
              <span className="form-error-message" id="portal-contact-error">
                {t('portal.login.contactMissing')}
              </span>
            )}
            <input
              ref={contactRef}
              id="portal-contact"
              className="form-input"
              name="contact"
              autoComplete="email"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={200}
              value={contact}
              aria-invalid={missing === 'contact' || undefined}
              aria-describedby={missing === 'contact' ? 'portal-contact-hint portal-contact-error' : 'portal-contact-hint'}
              onChange={(e) => setContact(e.target.value)}
            />
          </div>
          <button type="submit" className="button button-primary" disabled={sendCode.isPending}>
            {sendCode.isPending ? t('portal.login.sending') : t('portal.login.sendCode')}
          </button>
        </form>
      ) : (
        <form onSubmit={submitCode} noValidate>
          <StatusNote kind="info" message={t('portal.login.codeSent', { contact: contact.trim(), minutes: validMinutes })} />
          <div className={missing === 'code' ? 'form-group form-error' : 'form-group'}>
            <label className="form-label" htmlFor="portal-code">
              {t('portal.login.code')}
            </label>
            <span className="form-hint" id="portal-code-hint">
              {t('portal.login.codeHint')}
            </span>
            {missing === 'code' && (
              <span className="form-error-message" id="portal-code-error">
                {t('portal.login.codeMissing')}
              </span>
            )}
            <input
              ref={codeRef}
              id="portal-code"
              className="form-input input-width-xs"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              aria-invalid={missing === 'code' || undefined}
              aria-describedby={missing === 'code' ? 'portal-code-hint portal-code-error' : 'portal-code-hint'}
              onChange={(e) => setCode(e.target.value.replace(/[^0-9]/g, ''))}
            />
          </div>
          {needsBirthDate && (
            <div className={missing === 'birthDate' ? 'form-group form-error' : 'form-group'}>
              <label className="form-label" htmlFor="portal-birth-date">
                {t('portal.login.birthDate')}
              </label>
              <span className="form-hint" id="portal-birth-date-hint">
                {t('portal.login.birthDateNeeded')}
              </span>
              {missing === 'birthDate' && (
                <span className="form-error-message" id="portal-birth-date-error">
                  {t('portal.login.birthDateMissing')}
                </span>
              )}
              <input
                ref={birthDateRef}
                id="portal-birth-date"
                className="form-input input-width-s"
                type="date"
                name="birthDate"
                autoComplete="bday"
                min="1900-01-01"
                max="2100-12-31"
                value={birthDate}
                aria-invalid={missing === 'birthDate' || undefined}
                aria-describedby={missing === 'birthDate' ? 'portal-birth-date-hint portal-birth-date-error' : 'portal-birth-date-hint'}
                onChange={(e) => setBirthDate(e.target.value)}
              />
            </div>
          )}
          <button type="submit" className="button button-primary" disabled={login.isPending}>
            {login.isPending ? t('portal.login.submitting') : t('portal.login.submit')}
          </button>
          <div className="portal-links">
            <button type="button" className="button button-tertiary" disabled={sendCode.isPending} onClick={() => { setFailure(null); sendCode.mutate(contact.trim()); }}>
              {t('portal.login.newCode')}
            </button>
            <button
              type="button"
              className="button button-tertiary"
              onClick={() => {
                setFailure(null);
                setStep('contact');
                setTimeout(() => contactRef.current?.focus(), 0);
              }}
            >
              {t('portal.login.otherContact')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function appointmentParts(language: Language, iso: string): { date: string; time: string } {
  const at = new Date(iso);
  const locale = language === 'da' ? 'da-DK' : 'en-GB';
  const date = new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Copenhagen', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(at);
  const time = new Intl.DateTimeFormat('da-DK', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit' }).format(at);
  return { date, time };
}

interface ViewProps {
  firstName: string;
  csrf: string;
  onLoggedOut: () => void;
}

/** A MitID login: the menu of the portal's sections, and the section the address names (the front page at /portal). */
function FullView(props: ViewProps) {
  const { t } = useI18n();
  const linkClass = ({ isActive }: { isActive: boolean }) => (isActive ? 'portal-nav-link active' : 'portal-nav-link');
  return (
    <>
      <nav className="portal-nav" aria-label={t('portal.nav.label')}>
        <ul>
          <li>
            <NavLink to="/portal" end className={linkClass}>
              {t('portal.nav.home')}
            </NavLink>
          </li>
          {PORTAL_SECTIONS.map((section) => (
            <li key={section.path}>
              <NavLink to={`/portal/${section.path}`} className={linkClass}>
                {t(section.labelKey)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<LimitedView {...props} full />} />
        {PORTAL_SECTIONS.map((section) => (
          <Route key={section.path} path={section.path} element={<section.Component csrf={props.csrf} />} />
        ))}
        <Route path="*" element={<PortalNotFound />} />
      </Routes>
    </>
  );
}

function PortalNotFound() {
  const { t } = useI18n();
  return (
    <div className="portal-box">
      <PageHeading title={t('portal.notFound.title')}>{t('portal.notFound.title')}</PageHeading>
      <p>{t('portal.notFound.text')}</p>
      <NavLink to="/portal">{t('portal.nav.home')}</NavLink>
    </div>
  );
}

function LimitedView({ firstName, csrf, onLoggedOut, full = false }: ViewProps & { full?: boolean }) {
  const { t, language } = useI18n();
  const forget = useForgetPortal();
  const summary = usePortalSummary(true);
  const logout = useMutation({
    mutationFn: () => portalApi.logout(csrf),
    // Logged out here even if the server call failed: the citizen asked to leave. After a MitID login the browser
    // goes on to the broker's logout, which returns to /portal.
    onSettled: (data) => {
      onLoggedOut();
      forget();
      if (data?.brokerLogoutUrl) window.location.assign(data.brokerLogoutUrl);
    },
  });
  const title = firstName ? t('portal.home.title', { name: firstName }) : t('portal.home.titleNoName');
  return (
    <div className="portal-box">
      <PageHeading title={t('portal.brand')}>{title}</PageHeading>
      <p>{full ? t('portal.home.introFull') : t('portal.home.intro')}</p>
      {summary.isPending && <Loading />}
      {summary.isError && <QueryError error={summary.error} />}
      {summary.data && (
        <>
          <section className="portal-card" aria-labelledby="portal-appointment">
            <h2 id="portal-appointment" className="h3">
              {t('portal.home.appointment')}
            </h2>
            {summary.data.nextAppointmentAt ? (
              <p className="portal-card-value">{t('portal.home.appointmentAt', appointmentParts(language, summary.data.nextAppointmentAt))}</p>
            ) : (
              <p>{t('portal.home.noAppointment')}</p>
            )}
          </section>
          <section className="portal-card" aria-labelledby="portal-questionnaire">
            <h2 id="portal-questionnaire" className="h3">
              {t('portal.home.questionnaire')}
            </h2>
            {full ? (
              <>
                <p>{summary.data.questionnaireWaiting ? t('portal.home.questionnaireWaiting') : t('portal.home.noQuestionnaire')}</p>
                {summary.data.questionnaireWaiting && <NavLink to="/portal/spoergeskemaer">{t('portal.questionnaires.home.goTo')}</NavLink>}
              </>
            ) : (
              <>
                {/* A one-time code may answer a new questionnaire here; earlier answers need MitID. */}
                {summary.data.questionnaireWaiting && <p>{t('portal.home.questionnaireWaiting')}</p>}
                <DueQuestionnaires csrf={csrf} low />
              </>
            )}
          </section>
        </>
      )}
      {!full && <WithdrawalRequestForm csrf={csrf} />}
      <p>{t('portal.home.questions')}</p>
      {logout.isError && <ErrorAlert message={t('error.network')} />}
      <button type="button" className="button button-secondary" disabled={logout.isPending} onClick={() => logout.mutate()}>
        {t('portal.home.logout')}
      </button>
    </div>
  );
}
