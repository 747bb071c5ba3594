// "You have unsaved changes": warns before the tab closes and asks before the route changes while a form is dirty.
import { useEffect, useRef } from 'react';
import { useBlocker } from 'react-router';
import { useI18n } from '../i18n/i18n.tsx';

/** Returns the confirmation to render (or null) and `allowLeave`, which a successful save calls before navigating. */
export function useUnsavedWarning(dirty: boolean) {
  const leaving = useRef(false);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname);
  const confirm = blocker.state === 'blocked' ? <LeaveConfirm onLeave={() => blocker.proceed()} onStay={() => blocker.reset()} /> : null;
  return {
    confirm,
    allowLeave: () => {
      leaving.current = true;
    },
  };
}

export function LeaveConfirm({ onLeave, onStay }: { onLeave: () => void; onStay: () => void }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-warning" role="alertdialog" aria-labelledby="leave-heading" aria-describedby="leave-text">
      <div className="alert-body">
        <p className="alert-heading" id="leave-heading">
          {t('unsaved.heading')}
        </p>
        <p className="alert-text" id="leave-text">
          {t('unsaved.text')}
        </p>
        <div className="button-row">
          <button type="button" className="button button-secondary" onClick={onStay} autoFocus>
            {t('unsaved.stay')}
          </button>
          <button type="button" className="button button-tertiary" onClick={onLeave}>
            {t('unsaved.leave')}
          </button>
        </div>
      </div>
    </div>
  );
}
