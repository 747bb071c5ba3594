// Create or edit one staff user: name, e-mail, password, roles; deactivation with confirmation; 409 explained.
import { useMemo, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { StaffUser } from '../../../contracts/users.ts';
import type { RoleName } from '../../../contracts/common.ts';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { roleLabel } from '../../i18n/labels.ts';
import { FormButtons, SelectField, TextField } from '../../app/fields.tsx';
import { ErrorAlert } from '../../app/feedback.tsx';
import { LeaveConfirm, useUnsavedWarning } from '../../app/unsaved.tsx';
import { useUser } from '../../app/session.tsx';
import { MIN_PASSWORD_LENGTH } from '../auth/passwordRules.ts';
import {
  errorsFromServer,
  isOrganisationRole,
  newRoleRow,
  sameValues,
  validate,
  valuesFromUser,
  type FieldName,
  type FormErrors,
  type UserFormValues,
} from './userForm.ts';

export type UserOptions = { programmes: { id: string; name: string }[]; roles: RoleName[] };

type Props = {
  mode: 'create' | 'edit';
  user: StaffUser | null;
  options: UserOptions;
  onSaved: (user: StaffUser, how: 'created' | 'updated') => void;
  onClose: () => void;
  onReload: () => void;
};

export function UserEditor({ mode, user, options, onSaved, onClose, onReload }: Props) {
  const { t, language } = useI18n();
  const initial = useMemo(() => valuesFromUser(user), [user]);
  const [values, setValues] = useState<UserFormValues>(initial);
  const [touched, setTouched] = useState<Set<FieldName>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [conflict, setConflict] = useState(false);
  const [failed, setFailed] = useState(false);
  const [askClose, setAskClose] = useState(false);
  // Separation of duties: an administrator's own roles and password are not changed here (the server refuses it).
  const me = useUser();
  const own = mode === 'edit' && user?.id === me.id;

  const dirty = !sameValues(values, initial);
  const localErrors = validate(values, mode);

  // Warn before the tab closes or the route changes with unsaved input.
  const { confirm: leaveConfirm } = useUnsavedWarning(dirty);

  const save = useMutation({
    mutationFn: (v: UserFormValues) => {
      const roles = v.roles.map((r) => ({ role: r.role, programmeId: isOrganisationRole(r.role) ? null : r.programmeId }));
      const email = v.email.trim() || null;
      if (mode === 'create') {
        return api.post<StaffUser>('/api/users', { username: v.username.trim(), name: v.name.trim(), email: email ?? undefined, initialPassword: v.password, roles });
      }
      return api.patch<StaffUser>(`/api/users/${user!.id}`, {
        version: user!.version,
        name: v.name.trim(),
        email,
        ...(own ? {} : { roles }),
        ...(v.password && !own ? { newPassword: v.password } : {}),
      });
    },
    onSuccess: (saved) => onSaved(saved, mode === 'create' ? 'created' : 'updated'),
    onError: (error) => handleError(error),
  });

  function handleError(error: unknown) {
    // The typed values stay in the form whatever went wrong.
    if (error instanceof ApiError && error.status === 409 && error.issueFor('version')) return setConflict(true);
    if (error instanceof ApiError && (error.status === 400 || error.status === 409) && error.body?.issues?.length) {
      const found = errorsFromServer(error.body.issues);
      setServerErrors(found);
      const first = Object.keys(found)[0];
      if (first) document.getElementById(fieldId(first))?.focus();
      if (Object.keys(found).length > 0) return;
    }
    setFailed(true);
  }

  const errorOf = (field: FieldName): string | undefined => {
    const key = (submitted || touched.has(field) ? localErrors[field] : undefined) ?? serverErrors[field];
    return key ? t(key, { min: MIN_PASSWORD_LENGTH }) : undefined;
  };
  const touch = (field: FieldName) => setTouched((s) => new Set(s).add(field));

  function update(patch: Partial<UserFormValues>, fields: FieldName[]) {
    setValues((v) => ({ ...v, ...patch }));
    setServerErrors((e) => {
      const next = { ...e };
      for (const f of fields) delete next[f];
      return next;
    });
    setFailed(false);
  }

  function updateRole(index: number, patch: Partial<{ role: RoleName | ''; programmeId: string }>) {
    const roles = values.roles.map((r, i) => (i === index ? { ...r, ...patch } : r));
    update({ roles }, [`roles.${index}.role`, `roles.${index}.programmeId`]);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setFailed(false);
    const first = Object.keys(localErrors)[0];
    if (first) {
      document.getElementById(fieldId(first))?.focus();
      return;
    }
    save.mutate(values);
  }

  const title = mode === 'create' ? t('users.createTitle') : t('users.editTitle', { name: user?.name ?? '' });
  const roleOptions = [{ value: '', label: t('users.chooseRole') }, ...options.roles.map((r) => ({ value: r, label: roleLabel(t, r) }))];
  const programmeOptions = [{ value: '', label: t('users.chooseProgramme') }, ...options.programmes.map((p) => ({ value: p.id, label: p.name }))];

  return (
    <section className="editor" aria-labelledby="user-editor-heading">
      <h2 id="user-editor-heading">{title}</h2>

      {conflict && (
        <div className="alert alert-warning" role="alert">
          <div className="alert-body">
            <p className="alert-heading">{t('users.conflictHeading')}</p>
            <p className="alert-text">{t('users.conflictText')}</p>
            <button type="button" className="button button-secondary" onClick={onReload}>
              {t('users.reload')}
            </button>
          </div>
        </div>
      )}
      {failed && <ErrorAlert message={t('users.saveFailed')} />}
      {submitted && Object.keys(localErrors).length > 0 && (
        <ErrorAlert message={Object.keys(localErrors).length === 1 ? t('users.fixErrorsOne') : t('users.fixErrorsMany', { count: Object.keys(localErrors).length })} />
      )}

      <form onSubmit={submit} noValidate>
        {mode === 'create' ? (
          <TextField
            id="user-username"
            label={t('users.username')}
            hint={t('users.usernameHint')}
            autoComplete="off"
            value={values.username}
            error={errorOf('username')}
            onChange={(username) => update({ username }, ['username'])}
            onBlur={() => touch('username')}
          />
        ) : (
          <p>
            <strong>{t('users.username')}:</strong> {user?.username}
          </p>
        )}
        <TextField
          id="user-name"
          label={t('users.name')}
          autoComplete="off"
          value={values.name}
          error={errorOf('name')}
          onChange={(name) => update({ name }, ['name'])}
          onBlur={() => touch('name')}
        />
        <TextField
          id="user-email"
          label={t('users.emailOptional')}
          type="email"
          inputMode="email"
          autoComplete="off"
          value={values.email}
          error={errorOf('email')}
          onChange={(email) => update({ email }, ['email'])}
          onBlur={() => touch('email')}
        />
        {own && <p className="form-hint">{t('users.ownAccountNote')}</p>}
        {!own && (
          <TextField
            id="user-password"
            label={mode === 'create' ? t('users.initialPassword') : t('users.resetPassword')}
            hint={`${t(mode === 'create' ? 'users.initialPasswordHint' : 'users.resetPasswordHint', { min: MIN_PASSWORD_LENGTH })} ${t('users.temporaryPassword')}`}
            type="password"
            autoComplete="new-password"
            value={values.password}
            error={errorOf('password')}
            onChange={(password) => update({ password }, ['password'])}
            onBlur={() => touch('password')}
          />
        )}

        {!own && (
          <fieldset className="roles-fieldset">
            <legend className="h4">{t('users.roles')}</legend>
            <p className="form-hint">{t('users.rolesHint')}</p>
            {values.roles.length === 0 && <p>{t('users.noRoles')}</p>}
            {values.roles.map((row, index) => (
              <div className="role-row" key={row.key}>
                <SelectField
                  id={`user-roles-${index}-role`}
                  label={t('users.roleN', { n: index + 1 })}
                  value={row.role}
                  options={roleOptions}
                  error={errorOf(`roles.${index}.role`)}
                  onChange={(role) => updateRole(index, { role: role as RoleName | '', ...(isOrganisationRole(role) ? { programmeId: '' } : {}) })}
                  onBlur={() => touch(`roles.${index}.role`)}
                />
                {row.role && isOrganisationRole(row.role) ? (
                  <p className="role-row-note">{t('users.organisationRole')}</p>
                ) : (
                  <SelectField
                    id={`user-roles-${index}-programmeId`}
                    label={t('users.programmeN', { n: index + 1 })}
                    value={row.programmeId}
                    options={programmeOptions}
                    error={errorOf(`roles.${index}.programmeId`)}
                    onChange={(programmeId) => updateRole(index, { programmeId })}
                    onBlur={() => touch(`roles.${index}.programmeId`)}
                  />
                )}
                <button
                  type="button"
                  className="button button-tertiary role-remove"
                  onClick={() => update({ roles: values.roles.filter((_, i) => i !== index) }, [])}
                >
                  {t('users.removeRole', { n: index + 1 })}
                </button>
              </div>
            ))}
            <button type="button" className="button button-secondary" onClick={() => update({ roles: [...values.roles, newRoleRow()] }, [])}>
              {t('users.addRole')}
            </button>
          </fieldset>
        )}

        {askClose ? (
          <LeaveConfirm onLeave={onClose} onStay={() => setAskClose(false)} />
        ) : (
          <FormButtons saveLabel={mode === 'create' ? t('users.create') : t('users.save')} disabled={save.isPending} onCancel={() => (dirty ? setAskClose(true) : onClose())} />
        )}
      </form>

      {mode === 'edit' && user && (
        <ActiveStatus user={user} language={language} onChanged={(saved) => onSaved(saved, 'updated')} onError={handleError} />
      )}

      {leaveConfirm}
    </section>
  );
}

function fieldId(field: string): string {
  const role = /^roles\.(\d+)\.(role|programmeId)$/.exec(field);
  return role ? `user-roles-${role[1]}-${role[2]}` : `user-${field}`;
}


/** Deactivating logs the user out everywhere, so it asks first; reactivating is harmless and does not. */
function ActiveStatus({
  user,
  language,
  onChanged,
  onError,
}: {
  user: StaffUser;
  language: 'da' | 'en';
  onChanged: (user: StaffUser) => void;
  onError: (error: unknown) => void;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const change = useMutation({
    mutationFn: (active: boolean) => api.patch<StaffUser>(`/api/users/${user.id}`, { version: user.version, active }),
    onSuccess: (saved) => {
      setConfirming(false);
      onChanged(saved);
    },
    onError,
  });
  const locked = user.lockedUntil && new Date(user.lockedUntil) > new Date();

  return (
    <section className="editor-status" aria-labelledby="user-status-heading">
      <h3 id="user-status-heading">{t('users.statusHeading')}</h3>
      <p>{user.active ? t('users.statusActive') : t('users.statusInactive')}</p>
      {locked && <p>{t('users.lockedUntil', { time: formatDateTime(language, user.lockedUntil!) })}</p>}
      {user.active && !confirming && (
        <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
          {t('users.deactivate')}
        </button>
      )}
      {user.active && confirming && (
        <div className="alert alert-warning" role="alertdialog" aria-labelledby="deactivate-heading">
          <div className="alert-body">
            <p className="alert-heading" id="deactivate-heading">
              {t('users.deactivateConfirmHeading', { name: user.name })}
            </p>
            <p className="alert-text">{t('users.deactivateConfirmText')}</p>
            <div className="button-row">
              <button type="button" className="button button-primary" onClick={() => change.mutate(false)} disabled={change.isPending}>
                {t('users.deactivateConfirm')}
              </button>
              <button type="button" className="button button-secondary" onClick={() => setConfirming(false)} autoFocus>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        </div>
      )}
      {!user.active && (
        <button type="button" className="button button-secondary" onClick={() => change.mutate(true)} disabled={change.isPending}>
          {t('users.reactivate')}
        </button>
      )}
    </section>
  );
}
