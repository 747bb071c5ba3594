// A programme's progression on one instrument: paired change baseline → latest (mean, 95 % CI, n), bands at
// baseline and now, by target group, by consultant (programme manager only), and the manager's due list.
// Every chart has a table beside it; a hidden small cell reads "< 5" in the table and is left out of the chart.
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { ProgrammeDetail } from '../../../contracts/programmes.ts';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate, formatNumber } from '../../i18n/format.ts';
import { benefitLabel } from '../../i18n/labels.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { SelectField } from '../../app/fields.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { useProgrammeStaff } from '../citizens/citizenApi.ts';
import { cellText, groupNText, isSuppressed, signedText, type Cell } from './cells.ts';
import { BandChart, ChangeChart, GroupChangeChart } from './CohortCharts.tsx';
import { scoredActive, useCohortConsultants, useDueList, useInstruments, useProgression, type ProgressionView } from './progressionAdminApi.ts';
import './progression-admin.css';

const DEFAULT_INSTRUMENT = 'who5';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="page-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** The programme page's entry to progression (cohort view and, for the programme manager, the schedule). */
export function ProgrammeProgressionLinks({ programme }: { programme: ProgrammeDetail }) {
  const { t } = useI18n();
  const manager = programme.myRoles.includes('programme_manager');
  const cohort = manager || programme.myRoles.some((r) => r === 'steering_group' || r === 'researcher');
  if (!cohort) return null;
  return (
    <section className="page-section" aria-labelledby="progression-link-heading">
      <h2 id="progression-link-heading">{t('progressionAdmin.title')}</h2>
      <ul className="plain-list link-list">
        <li>
          <Link to={`/programmes/${programme.id}/progression`}>{t('progressionAdmin.seeCohort')}</Link>
        </li>
        {manager && (
          <li>
            <Link to={`/programmes/${programme.id}/measurement-settings`}>{t('progressionAdmin.settings.link')}</Link>
          </li>
        )}
      </ul>
    </section>
  );
}

export function ProgressionPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const programme = useQuery({ queryKey: ['programme', id], queryFn: () => api.get<ProgrammeDetail>(`/api/programmes/${encodeURIComponent(id)}`) });
  const instruments = useInstruments();
  const [instrumentCode, setInstrumentCode] = useState(DEFAULT_INSTRUMENT);
  const progression = useProgression(id, instrumentCode);
  const manager = programme.data?.myRoles.includes('programme_manager') ?? false;
  const options = scoredActive(instruments.data?.items ?? []);
  const title = t('progressionAdmin.title');

  return (
    <>
      <p className="breadcrumb-link">
        <Link to={`/programmes/${id}`}>{programme.data?.name ?? t('progressionAdmin.backToProgramme')}</Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="page-intro">{t('progressionAdmin.intro')}</p>
      {options.length > 0 && (
        <SelectField
          id="progression-instrument"
          label={t('progressionAdmin.instrument')}
          value={instrumentCode}
          options={options.map((i) => ({ value: i.code, label: i.title[language] }))}
          onChange={setInstrumentCode}
        />
      )}
      {manager && (
        <p>
          <Link to={`/programmes/${id}/measurement-settings`}>{t('progressionAdmin.settings.link')}</Link>
        </p>
      )}
      {progression.isPending && <Loading />}
      {progression.isError && <QueryError error={progression.error} />}
      {progression.data && <CohortView view={progression.data} />}
      {manager && <DueList programmeId={id} />}
    </>
  );
}

/** "n = 12" or "n < 5" ("n ≥ 5" for a group whose mean is shown although its size is hidden). */
function nText(language: 'da' | 'en', n: Cell, mean: Cell | null = null): string {
  if (!isSuppressed(n)) return `n = ${cellText(language, n, 0)}`;
  return `n ${groupNText(language, n, mean)}`;
}

function CohortView({ view }: { view: ProgressionView }) {
  const { t, language } = useI18n();
  const computed = t('progressionAdmin.computedAt', { time: formatDateTime(language, view.computedAt) });
  const count = (c: Cell) => cellText(language, c, 0);
  const c = view.change;
  const baselineLabel = t('progressionAdmin.baseline');
  const latestLabel = t('progressionAdmin.latest');
  const groupLabel = (code: string, label: { da: string; en: string }) => label[language] || benefitLabel(t, code);

  return (
    <div className="cohort">
      <p className="cohort-meta">
        <span>{computed}</span>
        <span>{t('progressionAdmin.measured', { measured: count(view.citizensMeasured), pairs: count(view.pairs) })}</span>
      </p>
      {view.audience === 'suppressed' && (
        <div className="alert alert-info cohort-suppression">
          <div className="alert-body">
            <p className="alert-text">
              <strong>{t('progressionAdmin.suppressedNote')}</strong> {t('progressionAdmin.suppressedExplained')}
            </p>
          </div>
        </div>
      )}

      <Section id="cohort-change-heading" title={t('progressionAdmin.change.title')}>
        <figure className="cohort-figure" aria-labelledby="cohort-change-caption">
          <figcaption id="cohort-change-caption" className="cohort-caption">
            {t('progressionAdmin.change.caption', { n: nText(language, c.n) })}
            {view.relevantChange !== null && ` ${t('progressionAdmin.change.relevantLine', { points: formatNumber(language, view.relevantChange) })}`} {computed}
          </figcaption>
          {typeof c.meanChange === 'number' ? <ChangeChart view={view} label={t('progressionAdmin.change.all')} /> : <p>{t('progressionAdmin.change.none')}</p>}
        </figure>
        <TableScroll labelledBy="cohort-change-heading">
          <table className="table table--compact table-narrow">
            <caption className="sr-only">{t('progressionAdmin.change.tableCaption')}</caption>
            <tbody>
              <tr>
                <th scope="row">{t('progressionAdmin.n')}</th>
                <td className="numeric">{count(c.n)}</td>
              </tr>
              <tr>
                <th scope="row">{t('progressionAdmin.change.meanBaseline')}</th>
                <td className="numeric">{cellText(language, c.meanBaseline)}</td>
              </tr>
              <tr>
                <th scope="row">{t('progressionAdmin.change.meanLatest')}</th>
                <td className="numeric">{cellText(language, c.meanLatest)}</td>
              </tr>
              <tr>
                <th scope="row">{t('progressionAdmin.change.meanChange')}</th>
                <td className="numeric">{signedText(language, c.meanChange)}</td>
              </tr>
              <tr>
                <th scope="row">{t('progressionAdmin.change.ci')}</th>
                <td className="numeric">
                  {c.ciLow === null || c.ciHigh === null ? '–' : t('progressionAdmin.change.ciValue', { low: signedText(language, c.ciLow), high: signedText(language, c.ciHigh) })}
                </td>
              </tr>
              {view.relevantChange !== null && (
                <>
                  <tr>
                    <th scope="row">{t('progressionAdmin.change.improved', { points: formatNumber(language, view.relevantChange) })}</th>
                    <td className="numeric">{count(c.improved)}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t('progressionAdmin.change.unchanged')}</th>
                    <td className="numeric">{count(c.unchanged)}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t('progressionAdmin.change.worsened', { points: formatNumber(language, view.relevantChange) })}</th>
                    <td className="numeric">{count(c.worsened)}</td>
                  </tr>
                </>
              )}
            </tbody>
          </table>
        </TableScroll>
      </Section>

      <Section id="cohort-bands-heading" title={t('progressionAdmin.bands.title')}>
        <figure className="cohort-figure" aria-labelledby="cohort-bands-caption">
          <figcaption id="cohort-bands-caption" className="cohort-caption">
            {t('progressionAdmin.bands.caption', {
              baseline: nText(language, view.bandDistribution.baselineTotal),
              latest: nText(language, view.bandDistribution.latestTotal),
            })}{' '}
            {computed}
          </figcaption>
          <BandChart view={view} baselineLabel={baselineLabel} latestLabel={latestLabel} />
        </figure>
        <TableScroll labelledBy="cohort-bands-heading">
          <table className="table table--compact">
            <caption className="sr-only">{t('progressionAdmin.bands.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('progressionAdmin.measurement')}</th>
                {view.bands.map((b) => (
                  <th key={b.code} scope="col" className="numeric">
                    {b.label[language]} <span className="band-range">({formatNumber(language, b.min)}–{formatNumber(language, b.max)})</span>
                  </th>
                ))}
                <th scope="col" className="numeric">
                  {t('progressionAdmin.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  [baselineLabel, view.bandDistribution.baseline, view.bandDistribution.baselineTotal],
                  [latestLabel, view.bandDistribution.latest, view.bandDistribution.latestTotal],
                ] as const
              ).map(([label, cells, total]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {cells.map((cell, i) => (
                    <td key={view.bands[i]?.code ?? i} className="numeric">
                      {count(cell)}
                    </td>
                  ))}
                  <td className="numeric">{count(total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Section>

      <Section id="cohort-groups-heading" title={t('progressionAdmin.groups.title')}>
        {view.byTargetGroup.length === 0 ? (
          <p>{t('progressionAdmin.groups.none')}</p>
        ) : (
          <>
            <figure className="cohort-figure" aria-labelledby="cohort-groups-caption">
              <figcaption id="cohort-groups-caption" className="cohort-caption">
                {t('progressionAdmin.groups.caption')} {computed}
              </figcaption>
              <GroupChangeChart rows={view.byTargetGroup.map((g) => ({ label: `${groupLabel(g.code, g.label)} (${nText(language, g.n, g.meanChange)})`, meanChange: g.meanChange }))} />
            </figure>
            <TableScroll labelledBy="cohort-groups-heading">
              <table className="table table--compact">
                <caption className="sr-only">{t('progressionAdmin.groups.tableCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('progressionAdmin.groups.group')}</th>
                    <th scope="col" className="numeric">
                      {t('progressionAdmin.n')}
                    </th>
                    <th scope="col" className="numeric">
                      {t('progressionAdmin.change.meanChange')}
                    </th>
                    <th scope="col" className="numeric">
                      {t('progressionAdmin.change.meanLatest')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.byTargetGroup.map((g) => (
                    <tr key={g.code}>
                      <th scope="row">{groupLabel(g.code, g.label)}</th>
                      <td className="numeric">{groupNText(language, g.n, g.meanChange)}</td>
                      <td className="numeric">{signedText(language, g.meanChange)}</td>
                      <td className="numeric">{cellText(language, g.latestMean)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </>
        )}
      </Section>

      {/* Figures per consultant are about employees: the API gives them to the programme manager only. */}
      {view.consultantFigures && <ConsultantFigures programmeId={view.programmeId} instrumentCode={view.instrumentCode} />}
    </div>
  );
}

/** The cohort's figures per consultant, a page at a time (the programme may have thousands of consultants). */
function ConsultantFigures({ programmeId, instrumentCode }: { programmeId: string; instrumentCode: string }) {
  const { t, language } = useI18n();
  const figures = useCohortConsultants(programmeId, instrumentCode, true);
  const rows = figures.data?.pages.flatMap((p) => p.items) ?? [];
  const computedAt = figures.data?.pages[0]?.computedAt;
  return (
    <Section id="cohort-consultants-heading" title={t('progressionAdmin.consultants.title')}>
      <p className="cohort-caption">
        {t('progressionAdmin.consultants.caption')} {computedAt ? t('progressionAdmin.computedAt', { time: formatDateTime(language, computedAt) }) : null}
      </p>
      {figures.isPending && <Loading />}
      {figures.isError && <QueryError error={figures.error} />}
      {figures.data && rows.length === 0 && <p>{t('progressionAdmin.consultants.none')}</p>}
      {rows.length > 0 && (
        <TableScroll labelledBy="cohort-consultants-heading">
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">{t('progressionAdmin.consultants.consultant')}</th>
                <th scope="col" className="numeric">
                  {t('progressionAdmin.n')}
                </th>
                <th scope="col" className="numeric">
                  {t('progressionAdmin.change.meanChange')}
                </th>
                <th scope="col" className="numeric">
                  {t('progressionAdmin.consultants.due')}
                </th>
                <th scope="col" className="numeric">
                  {t('progressionAdmin.consultants.overdue')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.consultant.id}>
                  <th scope="row">{row.consultant.name}</th>
                  <td className="numeric">{formatNumber(language, row.n, 0)}</td>
                  <td className="numeric">{signedText(language, row.meanChange)}</td>
                  <td className="numeric">{formatNumber(language, row.due, 0)}</td>
                  <td className="numeric">{formatNumber(language, row.overdue, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {figures.hasNextPage && (
        <button type="button" className="button button-secondary" onClick={() => void figures.fetchNextPage()} disabled={figures.isFetchingNextPage}>
          {t('common.showMore')}
        </button>
      )}
    </Section>
  );
}

/** The programme manager's list of measurements due and overdue, by consultant. */
function DueList({ programmeId }: { programmeId: string }) {
  const { t, language } = useI18n();
  const staff = useProgrammeStaff(programmeId);
  const consultants = (staff.data?.items ?? []).filter((m) => m.roles.includes('resource_consultant'));
  const [consultantId, setConsultantId] = useState('');
  const due = useDueList(programmeId, { consultantId: consultantId || undefined });
  const items = due.data?.pages.flatMap((p) => p.items) ?? [];
  const date = (iso: string | null) => (iso ? formatIsoDate(language, iso) : '–');

  return (
    <Section id="due-heading" title={t('progressionAdmin.due.title')}>
      <p>{t('progressionAdmin.due.intro')}</p>
      <SelectField
        id="due-consultant"
        label={t('progressionAdmin.due.consultant')}
        value={consultantId}
        options={[{ value: '', label: t('progressionAdmin.due.allConsultants') }, ...consultants.map((c) => ({ value: c.id, label: c.name }))]}
        onChange={setConsultantId}
      />
      {due.isPending && <Loading />}
      {due.isError && <QueryError error={due.error} />}
      {due.data && items.length === 0 && <p>{t('progressionAdmin.due.none')}</p>}
      {items.length > 0 && (
        <TableScroll labelledBy="due-heading">
          <table className="table table--compact table-stack">
            <thead>
              <tr>
                <th scope="col">{t('progressionAdmin.due.citizen')}</th>
                <th scope="col">{t('progressionAdmin.due.what')}</th>
                <th scope="col">{t('progressionAdmin.due.date')}</th>
                <th scope="col">{t('progressionAdmin.due.windowEnd')}</th>
                <th scope="col">{t('progressionAdmin.due.status')}</th>
                <th scope="col">{t('progressionAdmin.due.consultant')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">
                    <Link to={`/citizens/${item.citizen.id}`}>{item.citizen.name}</Link>
                  </th>
                  <td data-label={t('progressionAdmin.due.what')}>{item.text[language]}</td>
                  <td data-label={t('progressionAdmin.due.date')}>{date(item.dueDate)}</td>
                  <td data-label={t('progressionAdmin.due.windowEnd')}>{date(item.windowEnd)}</td>
                  <td data-label={t('progressionAdmin.due.status')}>
                    <span className={item.overdue ? 'due-status due-status-overdue' : 'due-status'}>{t(item.overdue ? 'progressionAdmin.due.overdue' : 'progressionAdmin.due.open')}</span>
                  </td>
                  <td data-label={t('progressionAdmin.due.consultant')}>{item.consultant?.name ?? t('common.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {due.hasNextPage && (
        <button type="button" className="button button-secondary" onClick={() => void due.fetchNextPage()} disabled={due.isFetchingNextPage}>
          {t('common.showMore')}
        </button>
      )}
    </Section>
  );
}
