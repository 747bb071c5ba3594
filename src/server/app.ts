// Builds the HTTP application: plugins, session and CSRF hooks, one error handler, and the modules.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { PasswordChangeRequired, resolveSession } from './platform/auth/auth.service.ts';
import { auditRefusal } from './platform/audit/refusals.ts';
import { authRoutes } from './platform/auth/auth.routes.ts';
import { DomainError, Forbidden, Unauthenticated } from './platform/errors.ts';
import { sessionCookieName, type AppDeps, type TypedApp } from './platform/http.ts';
import { describeOperation, DOCS_CSP, PERMISSIONS_POLICY } from './platform/openapi.ts';
import { serializerCompiler } from './platform/serialization.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { programmeRoutes } from './modules/programmes/programmes.routes.ts';
import { userRoutes } from './modules/users/users.routes.ts';
import { auditRoutes } from './platform/audit/audit.routes.ts';
import { citizenRoutes } from './modules/citizens/citizens.routes.ts';
import { planRoutes } from './modules/plan/plan.routes.ts';
import { companyRoutes } from './modules/companies/companies.routes.ts';
import { courseRoutes } from './modules/courses/courses.routes.ts';
import { inquiryRoutes } from './modules/inquiries/inquiries.routes.ts';
import { consultationRoutes } from './modules/consultations/consultations.routes.ts';
import { liaisonCompanyRoutes } from './modules/liaison-companies/liaison-companies.routes.ts';
import { calendarRoutes, FEED_ROUTE } from './modules/calendar/calendar.routes.ts';
import { progressionRoutes } from './modules/progression/progression.routes.ts';
import { transitionRoutes } from './modules/transitions/transitions.routes.ts';
import { consentRoutes } from './modules/consents/consents.routes.ts';
import { disclosureRoutes } from './modules/disclosures/disclosures.routes.ts';
import { portalRoutes } from './modules/portal/portal.routes.ts';
import { studyRoutes } from './modules/research/studies.routes.ts';
import { linkageRoutes } from './modules/research/linkage.routes.ts';
import { exportRoutes } from './modules/research/exports.routes.ts';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.ts';
import { accessLogRoutes } from './modules/access-log/access-log.routes.ts';
import { portalPlanRoutes } from './modules/portal/portal-plan.routes.ts';
import { portalConsentRoutes } from './modules/portal/portal-consents.routes.ts';
import { accessRequestRoutes } from './modules/access-requests/access-requests.routes.ts';
import { portalQuestionnaireRoutes } from './modules/portal/portal-questionnaires.routes.ts';
import { portalRemarkRoutes } from './modules/portal/portal-remarks.routes.ts';
import { portalConfirmationRoutes } from './modules/portal/portal-confirmations.routes.ts';
import { consentRequestRoutes } from './modules/consents/consent-requests.routes.ts';
import { isPortalUrl, portalCookieName, portalHooks } from './modules/portal/portal.session.ts';
import { deliveryFor } from './modules/portal/delivery.ts';
import { reminderRoutes } from './modules/portal/reminders.routes.ts';
import { portalResearchRoutes } from './modules/research/portal-research.routes.ts';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Requests that need no CSRF token: they have no session to ride on yet. */
const CSRF_EXEMPT = new Set(['/api/auth/login']);
/** Routes anyone may call without a session. */
const PUBLIC_ROUTES = new Set(['/api/health', '/api/auth/login', '/api/auth/session', '/api/openapi.json', FEED_ROUTE]);
/** What a user whose password an administrator set may do before choosing their own. */
const OPEN_BEFORE_PASSWORD_CHANGE = new Set(['GET /api/auth/me', 'GET /api/auth/session', 'POST /api/auth/logout', 'POST /api/auth/password']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface BuildOptions extends Pick<FastifyServerOptions, 'logger'> {
  /** Called before any hook or route is added; the test harness adds its check of every response here. */
  instrument?: (app: FastifyInstance) => void;
}

export async function buildApp(deps: AppDeps, options: BuildOptions = {}) {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 256 * 1024,
    // X-Forwarded-For is believed only from the listed proxies, so the address is the client's, never a shared one.
    trustProxy: deps.config.trustProxy ?? false,
    // Never echo request ids derived from client headers.
    genReqId: () => crypto.randomUUID(),
    // The router's own refusals (a path parameter over its length limit, a malformed percent-encoding)
    // answer 400 in the API's error shape, without echoing the URL (Fastify's default is an undocumented 414).
    frameworkErrors: (_error, _request, reply: FastifyReply) => {
      void reply.code(400).send({ error: 'invalid', message: 'The URL is not valid' });
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Responses are written from the JSON Schema of the documented Zod schema (see platform/serialization.ts).
  app.setSerializerCompiler(serializerCompiler);
  options.instrument?.(app);

  await app.register(fastifyCookie);
  const cookieName = sessionCookieName(deps.config);
  // Every documented operation gets its operationId and security requirement here, in one place.
  app.addHook('onRoute', (route) => describeOperation(route, PUBLIC_ROUTES, CSRF_EXEMPT));
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Bindeled API',
        description:
          'Case management and progression for employment efforts for citizens with mental illness. ' +
          'Log in with POST /api/auth/login; state-changing requests send the csrfToken in the x-csrf-token header.',
        version: '0.1.0',
      },
      // Relative: the API is served by the same origin as this document.
      servers: [{ url: '/', description: 'This Bindeled server' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: cookieName },
          // The citizen portal's own session (docs/decisions/0028): never accepted by staff routes, nor the staff one by portal routes.
          portalSession: { type: 'apiKey', in: 'cookie', name: portalCookieName(deps.config) },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: DOCS_CSP });

  app.decorateRequest('session', null);

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs') || isPortalUrl(request.url)) return;
    const token = request.cookies[cookieName];
    if (token) request.session = await resolveSession(deps.db, token, new Date(), deps.config.demo);
  });

  // Logged-out callers get 401 before their input is validated, so they learn nothing of the routes' schemas.
  app.addHook('preValidation', async (request) => {
    const route = request.routeOptions.url;
    if (!route || !route.startsWith('/api/') || PUBLIC_ROUTES.has(route) || route.startsWith('/api/docs') || isPortalUrl(route)) return;
    if (!request.session) throw new Unauthenticated();
  });

  // A temporary password (set by an administrator) opens only the password change until it is changed.
  app.addHook('preValidation', async (request) => {
    if (!request.session?.user.passwordChangeRequired) return;
    const route = request.routeOptions.url;
    if (!route || !route.startsWith('/api/') || PUBLIC_ROUTES.has(route) || route.startsWith('/api/docs')) return;
    if (!OPEN_BEFORE_PASSWORD_CHANGE.has(`${request.method} ${route}`)) throw new PasswordChangeRequired();
  });

  // The portal's realm: its own session, login requirement, level of assurance and CSRF check.
  portalHooks(app as unknown as TypedApp, deps);

  app.addHook('preHandler', async (request) => {
    if (!UNSAFE_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
    const route = request.routeOptions.url;
    if (!route || CSRF_EXEMPT.has(route) || !request.session) return;
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameToken(sent, request.session.csrfToken)) {
      throw new Forbidden('Missing or wrong CSRF token (send the csrfToken in the x-csrf-token header)', { reason: 'csrf' });
    }
  });

  // Every refusal is audited, also those no service wrote a row for (a failed CSRF check, a temporary password).
  app.addHook('onError', async (request, _reply, error) => {
    if (!(error instanceof DomainError) || error.status !== 403) return;
    try {
      await auditRefusal(deps.db, request, error);
    } catch (err) {
      request.log.error({ err }, 'could not audit a refusal');
    }
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    if (deps.config.cookieSecure) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (request.url.startsWith('/api/') && !request.url.startsWith('/api/docs')) {
      reply.header('cache-control', 'no-store');
    } else if (!request.url.startsWith('/api/docs')) {
      reply.header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: [error.validationContext, v.instancePath.replace(/^\//, '').replaceAll('/', '.')].filter(Boolean).join('.'),
        message: v.message ?? 'invalid',
        // The schema rule that failed (e.g. too_small, invalid_format, unrecognized_keys), stable for the UI.
        code: v.keyword,
      }));
      return reply.code(400).send({ error: 'invalid', message: 'The request does not match the schema', issues });
    }
    if (error instanceof DomainError) {
      const extra = error as DomainError & { warnings?: unknown; existingId?: unknown; contacts?: unknown };
      return reply.code(error.status).send({
        error: error.code,
        message: error.message,
        ...(error.issues ? { issues: error.issues } : {}),
        ...(extra.warnings ? { warnings: extra.warnings } : {}),
        ...(extra.existingId ? { existingId: extra.existingId } : {}),
        ...(extra.contacts ? { contacts: extra.contacts } : {}),
      });
    }
    const pgCode = (error as { code?: string }).code;
    if (pgCode === '23505') {
      // A unique constraint caught a race the service's own check could not see.
      return reply.code(409).send({ error: 'conflict', message: 'This already exists' });
    }
    if (pgCode === '23514' || pgCode === '23503') {
      return reply.code(400).send({ error: 'invalid', message: 'The values do not fit together' });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: 'too_large', message: 'The request body is too large' });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const code = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type' : 'bad_request';
      return reply.code(error.statusCode).send({ error: code, message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'internal', message: 'Something went wrong on the server' });
  });

  const webRoot = deps.webRoot;
  const hasWeb = !!webRoot && existsSync(join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  }

  app.setNotFoundHandler((request, reply) => {
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api/')) {
      // Client-side routes all load the app; its files were registered as routes by the static plugin.
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.code(404).send({ error: 'not_found', message: 'No such route' });
  });

  const typed = app as unknown as TypedApp;
  healthRoutes(typed, deps);
  authRoutes(typed, deps);
  programmeRoutes(typed, deps);
  userRoutes(typed, deps);
  auditRoutes(typed, deps);
  citizenRoutes(typed, deps);

  planRoutes(typed, deps);

  companyRoutes(typed, deps);

  courseRoutes(typed, deps);

  calendarRoutes(typed, deps);

  progressionRoutes(typed, deps);
  transitionRoutes(typed, deps);

  consentRoutes(typed, deps);

  disclosureRoutes(typed, deps);
  inquiryRoutes(typed, deps);
  consultationRoutes(typed, deps);
  liaisonCompanyRoutes(typed, deps);
  portalRoutes(typed, deps, deps.delivery ?? deliveryFor(deps.config, app.log));
  studyRoutes(typed, deps);
  exportRoutes(typed, deps);
  linkageRoutes(typed, deps);
  dashboardRoutes(typed, deps);
  accessLogRoutes(typed, deps);
  portalPlanRoutes(typed, deps);
  portalConsentRoutes(typed, deps);
  accessRequestRoutes(typed, deps);
  portalQuestionnaireRoutes(typed, deps);
  portalRemarkRoutes(typed, deps);
  portalConfirmationRoutes(typed, deps);
  consentRequestRoutes(typed, deps);
  reminderRoutes(typed, deps);
  portalResearchRoutes(typed, deps);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.ready();
  return app;
}
