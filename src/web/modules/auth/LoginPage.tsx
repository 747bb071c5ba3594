// Login with username and password; one message for every failure so it does not tell which part was wrong.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import type { LoginResponse } from '../../../contracts/auth.ts';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { PublicFrame } from '../../app/Layout.tsx';
import { homePathOf, forgetSessionEndReason, sessionEndReason, useSession, useSignIn } from '../../app/session.tsx';
import { FailureRegion, Loading, PageHeading, StatusNote } from '../../app/feedback.tsx';

type LocationState = { from?: string } | null;

export function LoginPage() {
  const { t } = useI18n();
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const state = useLocation().state as LocationState;

  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const [failure, setFailure] = useState<MessageKey | null>(null);
  const [ended] = useState(sessionEndReason);
  // Told once: a later visit to the login page starts without the message.
  useEffect(() => forgetSessionEndReason(), []);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const login = useMutation({
    mutationFn: (body: { username: string; password: string }) => api.post<LoginResponse>('/api/auth/login', body, { quiet401: true }),
    onSuccess: (result) => {
      signIn(result);
      const from = state?.from;
      navigate(from && from !== '/login' ? from : homePathOf(result.user), { replace: true });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) setFailure('error.network');
      else setFailure(error.status === 429 ? 'login.throttled' : error.status < 500 ? 'login.failed' : 'error.server');
      setPassword('');
    },
  });

  useEffect(() => {
    // The message is read out by role="alert"; focus goes back to the username so the user can retry at once.
    if (failure) usernameRef.current?.focus();
  }, [failure]);

  if (session.isPending) return <Loading />;
  if (session.data?.user && !login.isPending && !login.isSuccess) return <Navigate to={homePathOf(session.data.user)} replace />;

  function submit(event: FormEvent) {
    event.preventDefault();
    const nowMissing = { username: username.trim() === '', password: password === '' };
    setMissing(nowMissing);
    setFailure(null);
    if (nowMissing.username) return usernameRef.current?.focus();
    if (nowMissing.password) return passwordRef.current?.focus();
    login.mutate({ username: username.trim(), password });
  }

  return (
    <PublicFrame>
      <div className="login-box">
        <PageHeading title={t('login.title')} focus={false}>{t('login.title')}</PageHeading>
        <p>{t('login.intro')}</p>
        {ended === 'expired' && !failure && <StatusNote kind="info" message={t('login.expired')} />}
        {ended === 'loggedOut' && !failure && <StatusNote kind="success" message={t('login.loggedOut')} />}
        <FailureRegion heading={t('login.failedHeading')} message={failure ? t(failure) : null} />
        <form onSubmit={submit} noValidate>
          <div className={missing.username ? 'form-group form-error' : 'form-group'}>
            <label className="form-label" htmlFor="login-username">
              {t('login.username')}
            </label>
            {missing.username && (
              <span className="form-error-message" id="login-username-error">
                {t('login.usernameMissing')}
              </span>
            )}
            <input
              ref={usernameRef}
              id="login-username"
              className="form-input"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              aria-invalid={missing.username || undefined}
              aria-describedby={missing.username ? 'login-username-error' : undefined}
              onChange={(e) => {
                setUsername(e.target.value);
                if (e.target.value.trim()) setMissing((m) => ({ ...m, username: false }));
              }}
              autoFocus
            />
          </div>
          <div className={missing.password ? 'form-group form-error' : 'form-group'}>
            <label className="form-label" htmlFor="login-password">
              {t('login.password')}
            </label>
            {missing.password && (
              <span className="form-error-message" id="login-password-error">
                {t('login.passwordMissing')}
              </span>
            )}
            <input
              ref={passwordRef}
              id="login-password"
              className="form-input"
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              aria-invalid={missing.password || undefined}
              aria-describedby={missing.password ? 'login-password-error' : undefined}
              onChange={(e) => {
                setPassword(e.target.value);
                if (e.target.value) setMissing((m) => ({ ...m, password: false }));
              }}
            />
          </div>
          <button type="submit" className="button button-primary" disabled={login.isPending}>
            {login.isPending ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </div>
    </PublicFrame>
  );
}
