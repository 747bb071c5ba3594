// The UI's routes: login outside the layout, every other page behind the session and the role's capability.
import { StudiesPage } from '../modules/studies/StudiesPage.tsx';
import { DashboardPage } from '../modules/dashboard/DashboardPage.tsx';
import { StudyPage } from '../modules/studies/StudyPage.tsx';
import { NewStudyPage } from '../modules/studies/NewStudyPage.tsx';
import { AccessRequestsPage } from '../modules/access-requests/AccessRequestsPage.tsx';
import { AccessRequestPage } from '../modules/access-requests/AccessRequestPage.tsx';
import { createBrowserRouter } from 'react-router';
import { Root, RequireSession, RequireCapability, HomeRedirect } from './guards.tsx';
import { Layout } from './Layout.tsx';
import { ErrorPage, NotFoundPage } from './ErrorPage.tsx';
import { LoginPage } from '../modules/auth/LoginPage.tsx';
import { ChangePasswordPage } from '../modules/auth/ChangePasswordPage.tsx';
import { ProgrammeListPage } from '../modules/programmes/ProgrammeListPage.tsx';
import { ProgrammePage } from '../modules/programmes/ProgrammePage.tsx';
import { UsersPage } from '../modules/users/UsersPage.tsx';
import { AuditLogPage } from '../modules/audit/AuditLogPage.tsx';
import { CitizenListPage } from '../modules/citizens/CitizenListPage.tsx';
import { NewCitizenPage } from '../modules/citizens/NewCitizenPage.tsx';
import { CitizenPage } from '../modules/citizens/CitizenPage.tsx';
import { PlanPrintPage } from '../modules/plan/PlanPrintPage.tsx';
import { CaseloadsPage } from '../modules/caseloads/CaseloadsPage.tsx';
import { CodeListsPage } from '../modules/codelists/CodeListsPage.tsx';
import { CompaniesPage, CompanyPage } from '../modules/companies/CompaniesPage.tsx';
import { CourseListPage } from '../modules/courses/CourseListPage.tsx';
import { NewCoursePage } from '../modules/courses/NewCoursePage.tsx';
import { CoursePage } from '../modules/courses/CoursePage.tsx';
import { CalendarPage } from '../modules/calendar/CalendarPage.tsx';
import { MyDayPage } from '../modules/calendar/MyDayPage.tsx';
import { AnswerPage } from '../modules/progression/AnswerPage.tsx';
import { AssessmentPage } from '../modules/progression/AssessmentPage.tsx';
import { ProgressionPage } from '../modules/progression-admin/ProgressionPage.tsx';
import { MeasurementSettingsPage } from '../modules/progression-admin/MeasurementSettingsPage.tsx';
import { InstrumentsPage } from '../modules/progression-admin/InstrumentsPage.tsx';
import { RegionPatientPage } from '../modules/disclosures/RegionPatientPage.tsx';
import { ExceptionsPage } from '../modules/disclosures/ExceptionsPage.tsx';
import { CitizenLogPage } from '../modules/audit/CitizenLogPage.tsx';
import { InquiriesPage } from '../modules/inquiries/InquiriesPage.tsx';
import { NewInquiryPage } from '../modules/inquiries/NewInquiryPage.tsx';
import { ConsultationsPage } from '../modules/consultations/ConsultationsPage.tsx';
import { ConsultationPage } from '../modules/consultations/ConsultationPage.tsx';
import { MyDutiesPage } from '../modules/consultations/DutiesPanel.tsx';
import { InquiryPage } from '../modules/inquiries/InquiryPage.tsx';
import { MyPatientsPage } from '../modules/inquiries/MyPatientsPage.tsx';
import { CompanyMeetingsPage } from '../modules/liaison-companies/CompanyMeetingsPage.tsx';
import { CompanyMeetingPage } from '../modules/liaison-companies/CompanyMeetingPage.tsx';
import { ConsentPrintPage } from '../modules/consents/ConsentPrintPage.tsx';
import { SharedRecordPage } from '../modules/consents/SharedRecordPage.tsx';
import { PortalPage } from '../modules/portal/PortalPage.tsx';

export const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <ErrorPage />,
    children: [
      { path: '/login', element: <LoginPage /> },
      // The citizen's own portal: its own session, outside the staff pages.
      { path: '/portal/*', element: <PortalPage /> },
      {
        element: (
          <RequireSession>
            <Layout />
          </RequireSession>
        ),
        errorElement: <ErrorPage />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'programmes', element: <RequireCapability capability="programmes"><ProgrammeListPage /></RequireCapability> },
          { path: 'programmes/:id', element: <RequireCapability capability="programmes"><ProgrammePage /></RequireCapability> },
          { path: 'programmes/:id/group-courses', element: <RequireCapability capability="programmes"><CourseListPage /></RequireCapability> },
          { path: 'programmes/:id/group-courses/new', element: <RequireCapability capability="programmes"><NewCoursePage /></RequireCapability> },
          { path: 'programmes/:id/overblik', element: <RequireCapability capability="programmes"><DashboardPage /></RequireCapability> },
          { path: 'programmes/:id/progression', element: <RequireCapability capability="programmes"><ProgressionPage /></RequireCapability> },
          { path: 'programmes/:id/measurement-settings', element: <RequireCapability capability="programmes"><MeasurementSettingsPage /></RequireCapability> },
          { path: 'instruments', element: <RequireCapability capability="instruments"><InstrumentsPage /></RequireCapability> },
          { path: 'group-courses/:id', element: <RequireCapability capability="programmes"><CoursePage /></RequireCapability> },
          { path: 'users', element: <RequireCapability capability="users"><UsersPage /></RequireCapability> },
          { path: 'log', element: <RequireCapability capability="log"><AuditLogPage /></RequireCapability> },
          { path: 'citizen-log', element: <RequireCapability capability="log"><CitizenLogPage /></RequireCapability> },
          { path: 'citizens', element: <RequireCapability capability="citizens"><CitizenListPage /></RequireCapability> },
          { path: 'citizens/new', element: <RequireCapability capability="citizens"><NewCitizenPage /></RequireCapability> },
          { path: 'citizens/:id', element: <RequireCapability capability="citizens"><CitizenPage /></RequireCapability> },
          { path: 'citizens/:id/measurements/:code/new', element: <RequireCapability capability="citizens"><AnswerPage /></RequireCapability> },
          { path: 'citizens/:id/assessments/:assessmentId', element: <RequireCapability capability="citizens"><AssessmentPage /></RequireCapability> },
          { path: 'citizens/:id/plan/print', element: <RequireCapability capability="citizens"><PlanPrintPage /></RequireCapability> },
          { path: 'citizens/:id/consents/:consentId/print', element: <RequireCapability capability="citizens"><ConsentPrintPage /></RequireCapability> },
          { path: 'citizens/:id/shared', element: <RequireCapability capability="citizens"><SharedRecordPage /></RequireCapability> },
          { path: 'caseloads', element: <RequireCapability capability="caseloads"><CaseloadsPage /></RequireCapability> },
          { path: 'companies', element: <RequireCapability capability="companies"><CompaniesPage /></RequireCapability> },
          { path: 'companies/:id', element: <RequireCapability capability="companies"><CompanyPage /></RequireCapability> },
          { path: 'code-lists', element: <RequireCapability capability="codeLists"><CodeListsPage /></RequireCapability> },
          { path: 'my-day', element: <RequireCapability capability="citizens"><MyDayPage /></RequireCapability> },
          { path: 'calendar', element: <RequireCapability capability="citizens"><CalendarPage /></RequireCapability> },
          { path: 'patients/:id', element: <RegionPatientPage /> },
          { path: 'disclosures/exceptions', element: <RequireCapability capability="log"><ExceptionsPage /></RequireCapability> },
          { path: 'inquiries', element: <RequireCapability capability="inquiries"><InquiriesPage /></RequireCapability> },
          { path: 'inquiries/new', element: <RequireCapability capability="inquiries"><NewInquiryPage /></RequireCapability> },
          { path: 'inquiries/:id', element: <RequireCapability capability="inquiries"><InquiryPage /></RequireCapability> },
          { path: 'consultations', element: <RequireCapability capability="inquiries"><ConsultationsPage /></RequireCapability> },
          { path: 'consultations/:id', element: <RequireCapability capability="inquiries"><ConsultationPage /></RequireCapability> },
          { path: 'consultation-duties', element: <RequireCapability capability="inquiries"><MyDutiesPage /></RequireCapability> },
          { path: 'company-meetings', element: <RequireCapability capability="companyMeetings"><CompanyMeetingsPage /></RequireCapability> },
          { path: 'company-meetings/:id', element: <RequireCapability capability="companyMeetings"><CompanyMeetingPage /></RequireCapability> },
          { path: 'my-patients', element: <RequireCapability capability="clinicianPatients"><MyPatientsPage /></RequireCapability> },
          { path: 'studies', element: <RequireCapability capability="studies"><StudiesPage /></RequireCapability> },
          { path: 'studies/new', element: <RequireCapability capability="studies"><NewStudyPage /></RequireCapability> },
          { path: 'studies/:id', element: <RequireCapability capability="studies"><StudyPage /></RequireCapability> },
          { path: 'access-requests', element: <RequireCapability capability="accessRequests"><AccessRequestsPage /></RequireCapability> },
          { path: 'access-requests/:id', element: <RequireCapability capability="accessRequests"><AccessRequestPage /></RequireCapability> },
          { path: 'password', element: <ChangePasswordPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
