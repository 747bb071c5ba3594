// The UI's translations: typed keys from da.json, {var} interpolation, the chosen language remembered in localStorage.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import daCore from './da.json';
import enCore from './en.json';
import daPlan from './da.plan.json';
import enPlan from './en.plan.json';
import daCompanies from './da.companies.json';
import enCompanies from './en.companies.json';
import daCourses from './da.courses.json';
import enCourses from './en.courses.json';
import daCalendar from './da.calendar.json';
import enCalendar from './en.calendar.json';
import daProgression from './da.progression.json';
import enProgression from './en.progression.json';
import daProgressionAdmin from './da.progressionAdmin.json';
import enProgressionAdmin from './en.progressionAdmin.json';
import daConsents from './da.consents.json';
import enConsents from './en.consents.json';
import daDisclosures from './da.disclosures.json';
import enDisclosures from './en.disclosures.json';
import daInquiries from './da.inquiries.json';
import enInquiries from './en.inquiries.json';
import daTransitions from './da.transitions.json';
import enTransitions from './en.transitions.json';
import daConsultations from './da.consultations.json';
import enConsultations from './en.consultations.json';
import daLiaisonCompanies from './da.liaisonCompanies.json';
import enLiaisonCompanies from './en.liaisonCompanies.json';
import daPortal from './da.portal.json';
import enPortal from './en.portal.json';
import daPortalMitid from './da.portal-mitid.json';
import enPortalMitid from './en.portal-mitid.json';
import daPortalLog from './da.portal-log.json';
import enPortalLog from './en.portal-log.json';
import daPortalPlan from './da.portal-plan.json';
import enPortalPlan from './en.portal-plan.json';
import daPortalAppointments from './da.portal-appointments.json';
import enPortalAppointments from './en.portal-appointments.json';
import daPortalConsents from './da.portal-consents.json';
import enPortalConsents from './en.portal-consents.json';
import daPortalQuestionnaires from './da.portal-questionnaires.json';
import enPortalQuestionnaires from './en.portal-questionnaires.json';
import daPortalRemarks from './da.portal-remarks.json';
import enPortalRemarks from './en.portal-remarks.json';
import daPortalReminders from './da.portal-reminders.json';
import daCitizenLog from './da.citizenLog.json';
import enCitizenLog from './en.citizenLog.json';
import enPortalReminders from './en.portal-reminders.json';
import daLiaisonTeam from './da.liaisonTeam.json';
import enLiaisonTeam from './en.liaisonTeam.json';
import daStudies from './da.studies.json';
import enStudies from './en.studies.json';
import daDashboard from './da.dashboard.json';
import enDashboard from './en.dashboard.json';
import daPortalInsight from './da.portal-insight.json';
import enPortalInsight from './en.portal-insight.json';
import daAccessRequests from './da.access-requests.json';
import enAccessRequests from './en.access-requests.json';
import daPortalResearch from './da.portal-research.json';
import enPortalResearch from './en.portal-research.json';

// One catalogue per language, kept in several files (the core and one per module) so that modules add their
// texts without touching each other's files.
const da = {
  ...daCore,
  ...daPlan,
  ...daCompanies,
  ...daCourses,
  ...daCalendar,
  ...daProgression,
  ...daProgressionAdmin,
  ...daConsents,
  ...daDisclosures,
  ...daInquiries,
  ...daTransitions,
  ...daConsultations,
  ...daLiaisonCompanies,
  ...daPortal,
  ...daPortalMitid,
  ...daPortalLog,
  ...daPortalPlan,
  ...daPortalAppointments,
  ...daPortalConsents,
  ...daPortalQuestionnaires,
  ...daPortalRemarks,
  ...daPortalReminders,
  ...daCitizenLog,
  ...daLiaisonTeam,
  ...daStudies,
  ...daDashboard,
  ...daPortalInsight,
  ...daAccessRequests,
  ...daPortalResearch,
};
const en = {
  ...enCore,
  ...enPlan,
  ...enCompanies,
  ...enCourses,
  ...enCalendar,
  ...enProgression,
  ...enProgressionAdmin,
  ...enConsents,
  ...enDisclosures,
  ...enInquiries,
  ...enTransitions,
  ...enConsultations,
  ...enLiaisonCompanies,
  ...enPortal,
  ...enPortalMitid,
  ...enPortalLog,
  ...enPortalPlan,
  ...enPortalAppointments,
  ...enPortalConsents,
  ...enPortalQuestionnaires,
  ...enPortalRemarks,
  ...enPortalReminders,
  ...enCitizenLog,
  ...enLiaisonTeam,
  ...enStudies,
  ...enDashboard,
  ...enPortalInsight,
  ...enAccessRequests,
  ...enPortalResearch,
};

export type Language = 'da' | 'en';
export type MessageKey = keyof typeof da;

// Compile-time proof that both files have exactly the same keys: a missing or extra key fails `npm run typecheck`.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const sameKeys: SameKeys<typeof da, typeof en> = true;
void sameKeys;

const catalogues: Record<Language, Record<MessageKey, string>> = { da, en };
const STORAGE_KEY = 'bindeled.language';

export type Vars = Record<string, string | number>;

export function translate(language: Language, key: MessageKey, vars?: Vars): string {
  const text = catalogues[language][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Looks a key up that is built at run time (e.g. a role or a code from the server); undefined when unknown. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(da, key);
}

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'da' || stored === 'en') return stored;
  } catch {
    // Storage can be blocked (privacy settings); Danish is the default then.
  }
  return 'da';
}

type I18n = {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, vars?: Vars) => string;
};

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered when storage is blocked; the switch still works for this visit.
    }
  }, []);

  const value = useMemo<I18n>(
    () => ({ language, setLanguage, t: (key, vars) => translate(language, key, vars) }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
