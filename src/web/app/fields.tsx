// DKFDS form fields with label, hint and an error message tied to the input for screen readers.
import type { ReactNode, Ref } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n.tsx';

type Common = { id: string; label: string; hint?: string; error?: string };

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldFrame({ id, label, hint, error, children }: Common & { children: ReactNode }) {
  return (
    <div className={error ? 'form-group form-error' : 'form-group'}>
      <label className="form-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <span className="form-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="form-error-message" id={`${id}-error`}>
          {error}
        </span>
      )}
      {children}
    </div>
  );
}

export function TextField(
  props: Common & {
    value: string;
    onChange: (value: string) => void;
    onBlur?: () => void;
    type?: 'text' | 'password' | 'email' | 'date' | 'search' | 'tel';
    autoComplete?: string;
    inputMode?: 'text' | 'email' | 'decimal' | 'numeric' | 'tel';
    className?: string;
  },
) {
  const { id, hint, error } = props;
  return (
    <FieldFrame {...props}>
      <input
        id={id}
        name={id}
        className={props.className ? `form-input ${props.className}` : 'form-input'}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        spellCheck={props.type === 'email' || props.type === 'password' ? false : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={props.onBlur}
      />
    </FieldFrame>
  );
}

export function SelectField(
  props: Common & { value: string; onChange: (value: string) => void; onBlur?: () => void; options: { value: string; label: string }[] },
) {
  const { id, hint, error } = props;
  return (
    <FieldFrame {...props}>
      <select
        id={id}
        name={id}
        className="form-select"
        value={props.value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={props.onBlur}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function TextArea({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  onBlur,
  rows,
  maxLength,
  inputRef,
}: Common & {
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  rows?: number;
  maxLength?: number;
  inputRef?: Ref<HTMLTextAreaElement>;
}) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea
        ref={inputRef}
        id={id}
        name={id}
        className="form-input"
        rows={rows ?? 5}
        maxLength={maxLength}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
      />
    </FieldFrame>
  );
}

/** A form's buttons: the primary submit button and, when given, a secondary cancel button (onCancel) or link (cancelTo). */
export function FormButtons({ saveLabel, disabled, onCancel, cancelTo }: { saveLabel: string; disabled?: boolean; onCancel?: () => void; cancelTo?: string }) {
  const { t } = useI18n();
  return (
    <div className="button-row">
      <button type="submit" className="button button-primary" disabled={disabled}>
        {saveLabel}
      </button>
      {onCancel && (
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
      {cancelTo && (
        <Link to={cancelTo} className="button button-secondary">
          {t('common.cancel')}
        </Link>
      )}
    </div>
  );
}
