// One programme's facts: summary, partners, phases on a timeline with today, targets, target groups and budget.
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { ProgrammeDetail } from '../../../contracts/programmes.ts';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate, formatMoneyFromOere, formatNumber, formatPercent, todayInCopenhagen } from '../../i18n/format.ts';
import { benefitLabel, outcomeLabel, partnerRoleLabel } from '../../i18n/labels.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { PhaseTimeline } from './PhaseTimeline.tsx';
import { phaseStatus } from './phaseStatus.ts';
import { ProgrammeCoursesLink } from '../courses/CourseListPage.tsx';
import { ProgrammeProgressionLinks } from '../progression-admin/ProgressionPage.tsx';

// Outcomes and benefits in the order of the national code lists (DOMAIN.md), not the database's.
const OUTCOME_ORDER = ['job', 'education', 'internship'];
const BENEFIT_ORDER = [
  'kontanthjaelp',
  'uddannelseshjaelp',
  'ressourceforloeb',
  'jobafklaringsforloeb',
  'ledighedsydelse',
  'sygedagpenge',
  'fleksjob',
  'foertidspension',
  'selvforsoergende',
];
const byOrder = (order: string[]) => (a: string, b: string) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99);

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="page-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function ProgrammePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const programme = useQuery({
    queryKey: ['programme', id],
    queryFn: () => api.get<ProgrammeDetail>(`/api/programmes/${encodeURIComponent(id)}`),
  });

  if (programme.isPending) return <Loading />;
  if (programme.isError)
    return (
      <>
        <PageHeading title={t('programme.unavailable')}>{t('programme.unavailable')}</PageHeading>
        <QueryError error={programme.error} />
      </>
    );
  return <ProgrammeView programme={programme.data} />;
}

function ProgrammeView({ programme: p }: { programme: ProgrammeDetail }) {
  const { t, language } = useI18n();
  const today = todayInCopenhagen();
  const date = (iso: string) => formatIsoDate(language, iso);
  const phases = [...p.phases].sort((a, b) => a.position - b.position);
  const plannedTotal = p.targetGroups.reduce((sum, g) => sum + g.plannedCount, 0);
  const budgetTotal = p.budgetLines.reduce((sum, b) => sum + b.amountOere, 0);
  const budget = [...p.budgetLines].sort((a, b) => a.year - b.year);
  const targets = [...p.targets].sort((a, b) => byOrder(OUTCOME_ORDER)(a.outcome, b.outcome));
  const targetGroups = [...p.targetGroups].sort((a, b) => byOrder(BENEFIT_ORDER)(a.benefitCode, b.benefitCode));

  return (
    <>
      <div className="title-row">
        <PageHeading title={p.name}>{p.name}</PageHeading>
        {p.isDemo && (
          <span className="badge badge-info demo-badge" title={t('common.demoExplained')}>
            {t('common.demo')}
          </span>
        )}
      </div>
      <p className="page-intro">{p.summary[language]}</p>

      <dl className="facts">
        <div>
          <dt>{t('programme.owner')}</dt>
          <dd>{p.owner.name}</dd>
        </div>
        <div>
          <dt>{t('programme.periodLabel')}</dt>
          <dd>{t('programme.periodValue', { from: date(p.startsOn), to: date(p.endsOn) })}</dd>
        </div>
        <div>
          <dt>{t('programme.capacity')}</dt>
          <dd>
            {t('programme.capacityUse', { active: formatNumber(language, p.activeCitizens), count: formatNumber(language, p.capacity) })}
            {/* The words above carry the figures; the bar only pictures them. */}
            <span className="capacity-gauge" aria-hidden="true">
              <span style={{ width: `${Math.min(100, p.capacity > 0 ? (p.activeCitizens / p.capacity) * 100 : 0)}%` }} />
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('programme.caseloadCeiling')}</dt>
          <dd>{t('programme.caseloadCeilingValue', { count: formatNumber(language, p.caseloadCeiling) })}</dd>
        </div>
      </dl>

      {(p.myRoles.includes('programme_manager') || p.myRoles.includes('steering_group')) && (
        <p className="dashboard-link">
          <Link to={`/programmes/${p.id}/overblik`}>{t('dashboard.link')}</Link>
        </p>
      )}
      <ProgrammeCoursesLink programmeId={p.id} />
      <ProgrammeProgressionLinks programme={p} />

      <Section id="partners-heading" title={t('programme.partners')}>
        <ul className="partner-list">
          {p.partners.map((partner) => (
            <li key={partner.id}>
              <strong>{partner.name}</strong> – {partnerRoleLabel(t, partner.role)}
            </li>
          ))}
        </ul>
      </Section>

      <Section id="phases-heading" title={t('programme.phases')}>
        {phases.length === 0 ? (
          <p>{t('programme.noPhases')}</p>
        ) : (
          <>
            <PhaseTimeline phases={phases} today={today} />
            <TableScroll labelledBy="phases-heading">
              <table className="table table--compact table-stack">
                <caption className="sr-only">{t('programme.phasesTableCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('programme.phase')}</th>
                    <th scope="col">{t('programme.phaseFrom')}</th>
                    <th scope="col">{t('programme.phaseTo')}</th>
                    <th scope="col">{t('programme.responsible')}</th>
                    <th scope="col">{t('programme.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {phases.map((phase) => {
                    const status = phaseStatus(phase, today);
                    return (
                      <tr key={phase.id}>
                        <th scope="row">
                          {/* The number links the row to its bar, whose axis label may be shortened. */}
                          {phase.position}. {phase.name[language]}
                        </th>
                        <td data-label={t('programme.phaseFrom')}>{date(phase.startsOn)}</td>
                        <td data-label={t('programme.phaseTo')}>{date(phase.endsOn)}</td>
                        <td data-label={t('programme.responsible')}>{phase.responsible ?? t('common.none')}</td>
                        <td data-label={t('programme.status')}>
                          <span className={`phase-status phase-status-${status}`}>{t(`programme.phaseStatus.${status}`)}</span>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
          </>
        )}
      </Section>

      <Section id="targets-heading" title={t('programme.targets')}>
        {targets.length === 0 ? (
          <p>{t('programme.noTargets')}</p>
        ) : (
          <TableScroll labelledBy="targets-heading">
            <table className="table table--compact table-narrow">
              <thead>
                <tr>
                  <th scope="col">{t('programme.outcome')}</th>
                  <th scope="col" className="numeric">
                    {t('programme.targetPercent')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {targets.map((target) => (
                  <tr key={target.outcome}>
                    <th scope="row">{outcomeLabel(t, target.outcome)}</th>
                    <td className="numeric">{formatPercent(language, target.targetPercent)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Section>

      <Section id="groups-heading" title={t('programme.targetGroups')}>
        {targetGroups.length === 0 ? (
          <p>{t('programme.noTargetGroups')}</p>
        ) : (
          <TableScroll labelledBy="groups-heading">
            <table className="table table--compact table-narrow">
              <thead>
                <tr>
                  <th scope="col">{t('programme.benefit')}</th>
                  <th scope="col" className="numeric">
                    {t('programme.plannedCount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {targetGroups.map((group) => (
                  <tr key={group.benefitCode}>
                    <th scope="row">{benefitLabel(t, group.benefitCode)}</th>
                    <td className="numeric">{formatNumber(language, group.plannedCount)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('common.total')}</th>
                  <td className="numeric">{formatNumber(language, plannedTotal)}</td>
                </tr>
              </tfoot>
            </table>
          </TableScroll>
        )}
      </Section>

      <Section id="budget-heading" title={t('programme.budget')}>
        {budget.length === 0 ? (
          <p>{t('programme.noBudget')}</p>
        ) : (
          <TableScroll labelledBy="budget-heading">
            <table className="table table--compact table-stack">
              <thead>
                <tr>
                  <th scope="col">{t('programme.year')}</th>
                  <th scope="col">{t('programme.purpose')}</th>
                  <th scope="col">{t('programme.funder')}</th>
                  <th scope="col" className="numeric">
                    {t('programme.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {budget.map((line) => (
                  <tr key={line.id}>
                    <th scope="row">{line.year}</th>
                    <td data-label={t('programme.purpose')}>{line.purpose}</td>
                    <td data-label={t('programme.funder')}>{line.funder ?? t('common.none')}</td>
                    <td data-label={t('programme.amount')} className="numeric">
                      {formatMoneyFromOere(language, line.amountOere)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={3}>
                    {t('common.total')}
                  </th>
                  <td data-label={t('programme.amount')} className="numeric">
                    {formatMoneyFromOere(language, budgetTotal)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </TableScroll>
        )}
      </Section>
    </>
  );
}
