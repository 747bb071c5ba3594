// "Virksomheder": the organisation's company register, searchable by name or CVR number, a page at a time,
// with "Ny virksomhed" for those who keep the register; and the company page with contacts, meetings and internships.
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { useUser } from '../../app/session.tsx';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { Section } from '../citizens/Section.tsx';
import { companyKey, useCompanies, useCompany, type CompanyDetail } from './companyApi.ts';
import { CompanyDetailsForm, ContactForm, MeetingForm, NewCompanyForm } from './CompanyForms.tsx';

/** Who keeps the register (company:manage): resource and job consultants and programme managers. */
export function useCanManageCompanies(): boolean {
  const user = useUser();
  return user.roles.some((r) => r.programmeId && (r.role === 'resource_consultant' || r.role === 'job_consultant' || r.role === 'programme_manager'));
}

export function CompaniesPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const client = useQueryClient();
  const canManage = useCanManageCompanies();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [adding, setAdding] = useState(false);
  const list = useCompanies(q);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  function search(e: FormEvent) {
    e.preventDefault();
    setQ(draft.trim());
  }

  return (
    <>
      <div className="title-row">
        <PageHeading title={t('companies.title')}>{t('companies.title')}</PageHeading>
        {canManage && !adding && (
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            {t('companies.new')}
          </button>
        )}
      </div>
      {adding && (
        <NewCompanyForm
          onCancel={() => setAdding(false)}
          onDone={(id, existed) => {
            void client.invalidateQueries({ queryKey: ['companies'] });
            void navigate(`/companies/${id}`, { state: { notice: existed ? 'company.done.existed' : 'company.done.created' } });
          }}
        />
      )}
      <form className="search-form" role="search" aria-label={t('companies.searchLabel')} onSubmit={search}>
        <div className="form-group">
          <label className="form-label" htmlFor="companies-q">
            {t('companies.search')}
          </label>
          <span className="form-hint" id="companies-q-hint">
            {t('companies.searchHint')}
          </span>
          <div className="search-row">
            <input id="companies-q" className="form-input" type="search" value={draft} aria-describedby="companies-q-hint" onChange={(e) => setDraft(e.target.value)} />
            <button type="submit" className="button button-secondary">
              {t('companies.searchButton')}
            </button>
          </div>
        </div>
      </form>
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.isSuccess && items.length === 0 && <p className="empty-state">{q ? t('companies.noneFound') : t('companies.none')}</p>}
      {items.length > 0 && (
        <TableScroll labelledBy="companies-table-caption">
          <table className="table table--compact table-stack companies-table">
            <caption id="companies-table-caption" className="sr-only">
              {t('companies.title')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('company.name')}</th>
                <th scope="col">{t('company.cvr')}</th>
                <th scope="col">{t('company.industry')}</th>
                <th scope="col">{t('company.address')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <td data-title={t('company.name')}>
                    <Link to={`/companies/${c.id}`}>{c.name}</Link>
                    {c.isFictitious && <span className="badge badge-info demo-badge">{t('common.demo')}</span>}
                  </td>
                  <td data-title={t('company.cvr')}>{c.cvr}</td>
                  <td data-title={t('company.industry')}>{c.industry ?? '–'}</td>
                  <td data-title={t('company.address')}>{c.address ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? t('common.loading') : t('common.showMore')}
        </button>
      )}
    </>
  );
}

export function CompanyPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const company = useCompany(id);
  if (company.isPending) return <Loading />;
  if (company.isError)
    return (
      <>
        <PageHeading title={t('company.unavailable')}>{t('company.unavailable')}</PageHeading>
        <QueryError error={company.error} />
      </>
    );
  return <CompanyView company={company.data} />;
}

function CompanyView({ company: c }: { company: CompanyDetail }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const canManage = useCanManageCompanies();
  const location = useLocation();
  const [form, setForm] = useState<'details' | 'contact' | 'meeting' | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>((location.state as { notice?: MessageKey } | null)?.notice ?? null);
  const done = async (message: MessageKey) => {
    setForm(null);
    await client.invalidateQueries({ queryKey: companyKey(c.id) });
    setNotice(message);
  };
  return (
    <>
      <p className="breadcrumb-link">
        <Link to="/companies">{t('companies.back')}</Link>
      </p>
      <div className="title-row">
        <PageHeading title={c.name}>{c.name}</PageHeading>
        {c.isFictitious && <span className="badge badge-info demo-badge">{t('common.demo')}</span>}
      </div>
      <dl className="facts">
        <div>
          <dt>{t('company.cvr')}</dt>
          <dd>{c.cvr}</dd>
        </div>
        <div>
          <dt>{t('company.industry')}</dt>
          <dd>{c.industry ?? '–'}</dd>
        </div>
        <div>
          <dt>{t('company.address')}</dt>
          <dd>{c.address ?? '–'}</dd>
        </div>
      </dl>
      <div className="notice-slot" role="status">
        {notice && (
          <div className="alert alert-success">
            <div className="alert-body">
              <p className="alert-text">{t(notice)}</p>
            </div>
          </div>
        )}
      </div>
      {canManage && (
        <div className="action-bar" role="group" aria-label={t('company.actions')}>
          <button type="button" className={form === 'details' ? 'button button-primary' : 'button button-secondary'} aria-expanded={form === 'details'} onClick={() => { setNotice(null); setForm(form === 'details' ? null : 'details'); }}>
            {t('company.editDetails')}
          </button>
          <button type="button" className={form === 'contact' ? 'button button-primary' : 'button button-secondary'} aria-expanded={form === 'contact'} onClick={() => { setNotice(null); setForm(form === 'contact' ? null : 'contact'); }}>
            {t('company.addContact')}
          </button>
          <button type="button" className={form === 'meeting' ? 'button button-primary' : 'button button-secondary'} aria-expanded={form === 'meeting'} onClick={() => { setNotice(null); setForm(form === 'meeting' ? null : 'meeting'); }}>
            {t('company.addMeeting')}
          </button>
        </div>
      )}
      {form === 'details' && <CompanyDetailsForm company={c} onCancel={() => setForm(null)} onDone={() => void done('company.done.details')} />}
      {form === 'contact' && <ContactForm companyId={c.id} onCancel={() => setForm(null)} onDone={() => void done('company.done.contact')} />}
      {form === 'meeting' && <MeetingForm companyId={c.id} onCancel={() => setForm(null)} onDone={() => void done('company.done.meeting')} />}

      <Section id="contacts-heading" title={t('company.contacts')}>
        {c.contacts.length === 0 ? (
          <p>{t('company.noContacts')}</p>
        ) : (
          <ul className="plain-list">
            {c.contacts.map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong>
                {p.role && ` – ${p.role}`}
                {p.phone && ` · ${p.phone}`}
                {p.email && ` · ${p.email}`}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="meetings-heading" title={t('company.meetings')}>
        {c.meetings.length === 0 ? (
          <p>{t('company.noMeetings')}</p>
        ) : (
          <ol className="event-list">
            {c.meetings.map((m) => (
              <li key={m.id} className="event">
                <span className="event-time">{formatIsoDate(language, m.heldOn)}</span>
                <span className="event-text">
                  {t('company.meetingLine', { who: m.staff.map((s) => s.name).join(', '), purpose: m.purpose })}
                  {m.outcome && ` ${t('company.meetingOutcome', { outcome: m.outcome })}`}
                </span>
              </li>
            ))}
          </ol>
        )}
      </Section>

      <Section id="company-internships-heading" title={t('company.internships')}>
        {c.internships.length === 0 && c.otherInternships === 0 && <p>{t('company.noInternships')}</p>}
        {c.internships.length > 0 && (
          <ul className="plain-list">
            {c.internships.map((i) => (
              <li key={i.id}>
                <Link to={`/citizens/${i.citizen.id}`}>{i.citizen.name}</Link>
                {` – ${t(`internship.purpose.${i.purpose}`)}, ${formatIsoDate(language, i.fromDate)}–${formatIsoDate(language, i.toDate)}`}
                {i.outcome && ` (${t(`internship.outcome.${i.outcome}`)})`}
              </li>
            ))}
          </ul>
        )}
        {c.otherInternships > 0 && <p className="form-hint">{t('company.otherInternships', { count: c.otherInternships })}</p>}
      </Section>
    </>
  );
}
