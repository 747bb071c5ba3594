// Change the own password: rules shown up front, checked while typing, server issues shown at the field.
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { ErrorAlert, PageHeading, SuccessNotice } from '../../app/feedback.tsx';
import { homePathOf, useSession, useUser } from '../../app/session.tsx';
import { TextField } from '../../app/fields.tsx';
import { MIN_PASSWORD_LENGTH, passwordIssueKey, passwordProblem } from './passwordRules.ts';

type Field = 'currentPassword' | 'newPassword' | 'repeatPassword';

export function ChangePasswordPage() {
  const { t } = useI18n();
  const user = useUser();
  const session = useSession();
  // Whether this visit began with a temporary password, so the way on is offered once it is changed.
  const [wasRequired] = useState(user.passwordChangeRequired);
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: '', newPassword: '', repeatPassword: '' });
  const [touched, setTouched] = useState<Record<Field, boolean>>({ currentPassword: false, newPassword: false, repeatPassword: false });
  const [serverErrors, setServerErrors] = useState<Partial<Record<Field, MessageKey>>>({});
  const [done, setDone] = useState(false);

  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api.post<void>('/api/auth/password', body),
    onSuccess: () => {
      // The server now opens every page again; the session says so too.
      if (user.passwordChangeRequired) void session.refetch();
      setDone(true);
      setValues({ currentPassword: '', newPassword: '', repeatPassword: '' });
      setTouched({ currentPassword: false, newPassword: false, repeatPassword: false });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 400) {
        const current = error.issueFor('currentPassword');
        const next = error.issueFor('newPassword');
        setServerErrors({
          ...(current ? { currentPassword: passwordIssueKey(current) } : {}),
          ...(next ? { newPassword: passwordIssueKey(next) } : {}),
        });
      }
    },
  });

  function localError(field: Field): MessageKey | undefined {
    if (field === 'currentPassword') return values.currentPassword ? undefined : 'password.currentMissing';
    if (field === 'newPassword') {
      const problem = passwordProblem(values.newPassword, user);
      if (problem) return passwordIssueKey(problem);
      return values.newPassword === values.currentPassword ? 'password.issue.same_as_current' : undefined;
    }
    return values.repeatPassword === values.newPassword ? undefined : 'password.repeatMismatch';
  }

  const errorOf = (field: Field): string | undefined => {
    const key = (touched[field] ? localError(field) : undefined) ?? serverErrors[field];
    return key ? t(key, { min: MIN_PASSWORD_LENGTH }) : undefined;
  };

  function update(field: Field, value: string) {
    setValues((v) => ({ ...v, [field]: value }));
    setServerErrors((e) => ({ ...e, [field]: undefined }));
    setDone(false);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setTouched({ currentPassword: true, newPassword: true, repeatPassword: true });
    const firstBad = (['currentPassword', 'newPassword', 'repeatPassword'] as const).find((f) => localError(f));
    if (firstBad) {
      document.getElementById(`password-${firstBad}`)?.focus();
      return;
    }
    change.mutate({ currentPassword: values.currentPassword, newPassword: values.newPassword });
  }

  const fields: { field: Field; label: MessageKey; autoComplete: string; hint?: MessageKey }[] = [
    { field: 'currentPassword', label: 'password.current', autoComplete: 'current-password' },
    { field: 'newPassword', label: 'password.new', autoComplete: 'new-password', hint: 'password.rules' },
    { field: 'repeatPassword', label: 'password.repeat', autoComplete: 'new-password' },
  ];

  return (
    <>
      <PageHeading title={t('password.title')}>{t('password.title')}</PageHeading>
      {user.passwordChangeRequired && (
        <div className="alert alert-warning" role="status">
          <div className="alert-body">
            <p className="alert-heading">{t('password.requiredHeading')}</p>
            <p className="alert-text">{t('password.requiredText')}</p>
          </div>
        </div>
      )}
      <p className="page-intro">{t('password.intro')}</p>
      <SuccessNotice message={done && t('password.changed')} />
      {done && wasRequired && !user.passwordChangeRequired && (
        <p>
          <Link to={homePathOf(user)}>{t('password.continue')}</Link>
        </p>
      )}
      {change.isError && !(change.error instanceof ApiError && change.error.status === 400) && <ErrorAlert message={t('error.server')} />}
      <form onSubmit={submit} noValidate className="narrow-form">
        {fields.map(({ field, label, autoComplete, hint }) => (
          <TextField
            key={field}
            id={`password-${field}`}
            label={t(label)}
            hint={hint ? t(hint, { min: MIN_PASSWORD_LENGTH }) : undefined}
            type="password"
            autoComplete={autoComplete}
            value={values[field]}
            error={errorOf(field)}
            onChange={(value) => update(field, value)}
            onBlur={() => setTouched((tc) => ({ ...tc, [field]: true }))}
          />
        ))}
        <button type="submit" className="button button-primary" disabled={change.isPending}>
          {t('password.submit')}
        </button>
      </form>
    </>
  );
}
