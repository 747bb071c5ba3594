// The items of an instrument, one block each, with big answer buttons (at least 48 px high, full width on a
// phone) so that the citizen and the staff member can answer together on a tablet or a phone. Items hidden by
// their condition are not shown; items the staff member answers are marked as such.
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../i18n/format.ts';
import { stepsOf, visibleItems, type Answers, type Definition, type Item } from './progressionApi.ts';

export type ItemErrors = Record<string, MessageKey>;

/** The server's (and our own) reasons an answer is refused, in words. */
export function answerIssueKey(code: string): MessageKey {
  if (code === 'missing') return 'progression.error.missing';
  if (code === 'out_of_range' || code === 'not_integer') return 'progression.error.range';
  if (code === 'hidden') return 'progression.error.hidden';
  return 'progression.error.other';
}

export function AnswerItems({ def, answers, errors, onAnswer, idPrefix }: { def: Definition; answers: Answers; errors: ItemErrors; onAnswer: (code: string, value: number | undefined) => void; idPrefix: string }) {
  const shown = visibleItems(def, answers);
  return (
    <ol className="plain-list answer-items no-max-width">
      {shown.map((item, i) => (
        <li key={item.code} className="answer-item">
          <ItemBlock item={item} index={i + 1} count={shown.length} value={answers[item.code]} error={errors[item.code]} onAnswer={(v) => onAnswer(item.code, v)} id={`${idPrefix}-${item.code}`} />
        </li>
      ))}
    </ol>
  );
}

function ItemBlock({ item, index, count, value, error, onAnswer, id }: { item: Item; index: number; count: number; value: number | undefined; error: MessageKey | undefined; onAnswer: (v: number | undefined) => void; id: string }) {
  const { t, language } = useI18n();
  const steps = stepsOf(item.answer);
  const scale = item.answer;
  const labelOf = (v: number) => (scale.kind === 'choice' ? (scale.options.find((o) => o.value === v)?.label[language] ?? String(v)) : formatNumber(language, v));
  const describedBy = [error ? `${id}-error` : null, item.respondent === 'staff' ? `${id}-staff` : null, scale.kind === 'number' && (scale.minLabel || scale.maxLabel) ? `${id}-ends` : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={error ? 'answer-fieldset form-error' : 'answer-fieldset'} aria-describedby={describedBy} id={id} tabIndex={-1}>
      <legend className="answer-legend">
        <span className="answer-number">{t('progression.itemOf', { n: index, count })}</span>
        <span className="answer-text">{item.text[language]}</span>
      </legend>
      {item.respondent === 'staff' && (
        <p className="answer-staff" id={`${id}-staff`}>
          <span className="badge badge-small">{t('progression.staffItem')}</span> {t('progression.staffItemText')}
        </p>
      )}
      {scale.kind === 'number' && (scale.minLabel || scale.maxLabel) && (
        <p className="answer-ends" id={`${id}-ends`}>
          {scale.minLabel && t('progression.endMin', { value: formatNumber(language, scale.min), label: scale.minLabel[language] })}
          {scale.minLabel && scale.maxLabel && ' · '}
          {scale.maxLabel && t('progression.endMax', { value: formatNumber(language, scale.max), label: scale.maxLabel[language] })}
        </p>
      )}
      {error && (
        <span className="form-error-message" id={`${id}-error`}>
          {t(error)}
        </span>
      )}
      {steps ? (
        <div className={scale.kind === 'number' ? 'answer-options answer-options-scale' : 'answer-options'}>
          {steps.map((v) => (
            <label key={v} className="answer-option">
              <input type="radio" name={id} value={v} checked={value === v} onChange={() => onAnswer(v)} />
              <span>{labelOf(v)}</span>
            </label>
          ))}
        </div>
      ) : (
        scale.kind === 'number' && (
          <input
            className="form-input input-width-s answer-number-input"
            type="number"
            inputMode="decimal"
            aria-label={item.text[language]}
            min={scale.min}
            max={scale.max}
            step={scale.integer ? 1 : 'any'}
            value={value ?? ''}
            onChange={(e) => onAnswer(e.target.value === '' ? undefined : Number(e.target.value))}
          />
        )
      )}
      {value !== undefined && !item.required && (
        <button type="button" className="button button-tertiary button-small" onClick={() => onAnswer(undefined)}>
          {t('progression.clearAnswer')}
        </button>
      )}
    </fieldset>
  );
}

/** What is missing or out of range before anything is sent: the visible required items. */
export function localErrors(def: Definition, answers: Answers): ItemErrors {
  const errors: ItemErrors = {};
  for (const item of visibleItems(def, answers)) {
    const v = answers[item.code];
    if (v === undefined) {
      if (item.required) errors[item.code] = 'progression.error.missing';
      continue;
    }
    const a = item.answer;
    if (a.kind === 'number' && (!Number.isFinite(v) || v < a.min || v > a.max || (a.integer && !Number.isInteger(v)))) errors[item.code] = 'progression.error.range';
  }
  return errors;
}

/** The item errors of a 400 from the server (`answers.<item>`), keyed by item. */
export function serverItemErrors(issues: { path: string; message: string }[] | undefined): ItemErrors {
  const out: ItemErrors = {};
  for (const issue of issues ?? []) {
    const m = /^(?:body\.)?answers\.([a-z][a-z0-9_]*)$/.exec(issue.path);
    if (m?.[1] && !out[m[1]]) out[m[1]] = answerIssueKey(issue.message);
  }
  return out;
}
