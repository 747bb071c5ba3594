// "Registrér samtale": one short form for an individual conversation — when, how long, where (walk and talk,
// a library, the citizen's home …), held, planned or a no-show, themes and a note.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { Warning } from '../../../contracts/common.ts';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { todayInCopenhagen } from '../../i18n/format.ts';
import { SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { FormFrame, genericIssue, useSmallForm, type Errors } from '../citizens/CitizenForms.tsx';
import { isIsoDate } from '../citizens/citizenApi.ts';
import { WarningsConfirm } from '../citizens/Warnings.tsx';
import { CONVERSATION_PLACES, copenhagenToIso, isTime } from './planApi.ts';

type Values = { date: string; time: string; duration: string; place: string; placeText: string; status: string; themes: string; note: string };

export function ConversationForm({ citizenId, onDone, onCancel }: { citizenId: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const f = useSmallForm<Values>(
    { date: todayInCopenhagen(), time: '10:00', duration: '60', place: 'walk_and_talk', placeText: '', status: 'held', themes: '', note: '' },
    (v) => {
      const e: Errors<keyof Values> = {};
      if (!isIsoDate(v.date) || v.date < '1900-01-01' || v.date > '2100-12-31') e.date = 'newCitizen.error.date';
      if (!isTime(v.time)) e.time = 'conversation.error.time';
      const minutes = Number(v.duration);
      if (!/^\d+$/.test(v.duration) || minutes < 5 || minutes > 600) e.duration = 'conversation.error.duration';
      if (v.place === 'other' && !v.placeText.trim()) e.placeText = 'conversation.error.placeText';
      return e;
    },
    'conversation',
  );
  const [warnings, setWarnings] = useState<Warning[] | null>(null);
  const save = useMutation({
    mutationFn: ({ v, acknowledge }: { v: Values; acknowledge: boolean }) =>
      api.post(`/api/citizens/${citizenId}/conversations`, {
        acknowledgeWarnings: acknowledge,
        startsAt: copenhagenToIso(v.date, v.time),
        durationMinutes: Number(v.duration),
        place: v.place,
        placeText: v.place === 'other' ? v.placeText.trim() : null,
        status: v.status,
        themes: v.themes
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
        note: v.note.trim() || null,
      }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409 && e.body?.error === 'warnings' && e.body.warnings) {
        setWarnings(e.body.warnings);
        requestAnimationFrame(() => document.getElementById('conversation-warnings-heading')?.focus());
        return;
      }
      f.fail(
        e,
        (p) => (p === 'startsAt' ? 'date' : p === 'durationMinutes' ? 'duration' : p.startsWith('themes') ? 'themes' : ['place', 'placeText', 'status', 'note'].includes(p) ? (p as keyof Values) : undefined),
        (m) => (m === 'required_for_other' ? 'conversation.error.placeText' : genericIssue(m)),
      );
    },
  });
  return (
    <FormFrame
      id="conversation-form"
      title={t('conversation.formTitle')}
      submitLabel={t('conversation.save')}
      pending={save.isPending}
      failed={f.failed}
      leaveConfirm={f.unsaved.confirm}
      onCancel={onCancel}
      onSubmit={(e) => {
        e.preventDefault();
        setWarnings(null);
        if (f.check()) save.mutate({ v: f.values, acknowledge: false });
      }}
    >
      <div className="field-row">
        <TextField id="conversation-date" label={t('conversation.date')} type="date" className="input-width-s" value={f.values.date} error={f.errorOf('date')} onChange={(v) => f.set('date', v)} onBlur={() => f.touch('date')} />
        <TextField id="conversation-time" label={t('conversation.time')} hint={t('conversation.timeHint')} className="input-width-xs" inputMode="numeric" value={f.values.time} error={f.errorOf('time')} onChange={(v) => f.set('time', v)} onBlur={() => f.touch('time')} />
        <TextField id="conversation-duration" label={t('conversation.duration')} className="input-width-xs" inputMode="numeric" value={f.values.duration} error={f.errorOf('duration')} onChange={(v) => f.set('duration', v)} onBlur={() => f.touch('duration')} />
      </div>
      <SelectField id="conversation-place" label={t('conversation.place')} value={f.values.place} options={CONVERSATION_PLACES.map((p) => ({ value: p, label: t(`conversationPlace.${p}`) }))} onChange={(v) => f.set('place', v)} />
      {f.values.place === 'other' && (
        <TextField id="conversation-placeText" label={t('conversation.placeText')} value={f.values.placeText} error={f.errorOf('placeText')} onChange={(v) => f.set('placeText', v)} onBlur={() => f.touch('placeText')} />
      )}
      <SelectField
        id="conversation-status"
        label={t('conversation.status')}
        value={f.values.status}
        options={(['held', 'planned', 'no_show'] as const).map((s) => ({ value: s, label: t(`conversationStatus.${s}`) }))}
        onChange={(v) => f.set('status', v)}
      />
      <TextField id="conversation-themes" label={t('conversation.themes')} hint={t('conversation.themesHint')} value={f.values.themes} error={f.errorOf('themes')} onChange={(v) => f.set('themes', v)} />
      <TextArea id="conversation-note" label={t('conversation.note')} rows={4} value={f.values.note} onChange={(v) => f.set('note', v)} />
      {warnings && (
        <WarningsConfirm
          id="conversation-warnings"
          warnings={warnings}
          heading={t('booking.warningsHeading')}
          question={t('booking.question')}
          confirmLabel={t('booking.anyway')}
          pending={save.isPending}
          onConfirm={() => save.mutate({ v: f.values, acknowledge: true })}
          onFix={() => {
            setWarnings(null);
            document.getElementById('conversation-date')?.focus();
          }}
        />
      )}
    </FormFrame>
  );
}
