// Reads and validates the environment once at start-up; a bad value stops the server with a clear message.
// Outside demo mode the configuration fails closed: no secret has a default, cookies are Secure.
import { isIP } from 'node:net';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';

/** The shortest audit retention the server accepts (days): the citizen's access log covers at least 12 months. */
export const AUDIT_RETENTION_MIN_DAYS = 365;

const boolFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    error: 'must be one of true/false, 1/0, yes/no, on/off',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const secret = z.string().min(32, 'must be at least 32 characters');

/** One proxy address or CIDR block (IPv4 or IPv6). */
function isAddressOrCidr(v: string): boolean {
  const [address, bits, ...rest] = v.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

const envSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a number' }).int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  BINDELED_DEMO: boolFromEnv.optional(),
  SESSION_SECRET: secret.optional(),
  CPR_KEY: secret.optional(),
  AUDIT_KEY: secret.optional(),
  RESEARCH_KEY: secret.optional(),
  EXPORT_DIR: z.string().min(1).optional(),
  AUDIT_PREVIOUS_KEYS: z
    .string()
    .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
    .pipe(z.array(secret))
    .optional(),
  AUDIT_LEGACY_VERIFY: boolFromEnv.optional(),
  AUDIT_ANCHOR_FILE: z.string().min(1).optional(),
  // At least a year: the citizen's access log shows at least the last 12 months (docs/decisions/0032). Refused, not raised.
  AUDIT_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(AUDIT_RETENTION_MIN_DAYS, `must be at least ${AUDIT_RETENTION_MIN_DAYS} days: citizens see at least the last 12 months of their access log`)
    .max(36_500)
    .default(1825),
  COOKIE_SECURE: boolFromEnv.optional(),
  TRUST_PROXY: z
    .string()
    .transform((v) => v.split(',').map((a) => a.trim()).filter(Boolean))
    .refine((list) => list.every(isAddressOrCidr), 'must be a comma-separated list of IP addresses or CIDR blocks')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_HOST: z.string().min(1).max(255).optional(),
  SMTP_PORT: z.coerce.number({ error: 'must be a number' }).int().min(1).max(65535).optional(),
  SMTP_SECURE: boolFromEnv.optional(),
  SMTP_USER: z.string().min(1).max(255).optional(),
  SMTP_PASSWORD: z.string().min(1).max(1000).optional(),
  MAIL_FROM: z.string().min(3).max(255).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://bindeled.example.dk' }).optional(),
  MITID_ISSUER: z.url({ protocol: /^https?$/, error: "must be the broker's issuer URL, e.g. https://broker.example.dk/op" }).optional(),
  MITID_CLIENT_ID: z.string().min(1).max(255).optional(),
  MITID_CLIENT_SECRET: z.string().min(1).max(1000).optional(),
  MITID_SCOPE: z
    .string()
    .max(500)
    .refine((v) => v.split(/\s+/).includes('openid'), 'must include openid (space-separated scopes)')
    .optional(),
  MITID_CPR_CLAIM: z.string().min(1).max(200).optional(),
  MITID_LOA_CLAIM: z.string().min(1).max(200).optional(),
  MITID_LOA_SUBSTANTIAL: z.string().min(1).max(500).optional(),
  TEST_IDP_PORT: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535).optional(),
  REMINDER_SENDER_NAME: z.string().optional(),
});

/** The sender name reminders go out with when none is configured. */
export const DEFAULT_REMINDER_SENDER = 'Min plan';

/** Words a reminder's sender must never carry: they would tell anyone who sees the phone what the help is about. */
const TELLING_WORDS = /psykiatri|psychiatr|sindslid|mental|misbrug|rusmiddel|jobcenter|hospital|sygehus|klinik|behandling/i;

/**
 * Why a sender name is not neutral, or null when it is: 2–11 letters, digits or spaces (an SMS sender id), no word
 * that tells what the help is about, and none of the programmes' names (checked at start, from the database).
 */
export function senderNameProblem(name: string, programmeNames: string[] = []): string | null {
  if (!/^[A-Za-z0-9ÆØÅæøå ]{2,11}$/.test(name) || name.trim() !== name) return 'must be 2 to 11 letters, digits or spaces (an SMS sender name)';
  if (TELLING_WORDS.test(name)) return 'must be neutral: it tells what the help is about (e.g. "Psykiatrien")';
  const lower = name.toLowerCase();
  const programme = programmeNames.find((p) => p.trim() !== '' && (lower.includes(p.toLowerCase()) || p.toLowerCase().includes(lower)));
  if (programme) return "must be neutral: it is (part of) a programme's name";
  return null;
}

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The schema owner's connection for migrations; the same as databaseUrl when not set apart. */
  migrationDatabaseUrl: string | undefined;
  engine: 'pglite' | 'postgres';
  demo: boolean;
  sessionSecret: string;
  /** Root key for encrypting CPR numbers at rest and for their keyed lookup hash. */
  cprKey: string;
  /** Signs the audit chain's head, checkpoints, purge records and anchor lines. */
  auditKey: string;
  /** Root key of research exports: each study's pseudonym and date-shift key is derived from it (HKDF with the study id). */
  researchKey: string;
  /** Where research export packages (zip files) are written; deleted when they expire. */
  exportDir: string;
  /** Retired audit keys: they still verify what they signed, and sign nothing new. */
  auditPreviousKeys: string[];
  /** Whether signatures made before the audit key existed (key id `legacy`, derived from SESSION_SECRET) verify. */
  auditLegacyVerify: boolean;
  /** File outside the database and DATA_DIR that the sealing instance appends the signed head to. */
  auditAnchorFile: string | undefined;
  auditRetentionDays: number;
  cookieSecure: boolean;
  /** Proxy addresses or CIDR blocks whose X-Forwarded-For is believed; false trusts none. */
  trustProxy: string[] | false;
  logLevel: string;
  /** SMTP delivery of the portal's e-mails (invitations, login codes); none: no e-mail is sent outside demo mode. */
  smtp: SmtpConfig | undefined;
  /** The address citizens are sent to (the portal is at PUBLIC_URL/portal). */
  publicUrl: string;
  /** The MitID broker (OpenID Connect); undefined: no MitID login (in demo mode the test identity provider stands in). */
  mitid: MitIdSettings | undefined;
  /** The claims MitID logins are read by (the broker's, or the test identity provider's). */
  mitidClaims: MitIdClaims;
  /** Demo mode without a broker: the local test identity provider's port on 127.0.0.1 (0: any free port). */
  testIdpPort: number | undefined;
  /** The neutral name reminders are sent from (REMINDER_SENDER_NAME); never psychiatry's or a programme's. */
  reminderSender: string;
  /** Start-up warnings (not errors) for the operator, logged once the logger exists. */
  warnings: string[];
};

/** Which claims of the id token carry the CPR number and the level of assurance, and the value that means NSIS "substantial". */
export interface MitIdClaims {
  cprClaim: string;
  loaClaim: string;
  loaSubstantial: string;
  /** Space-separated scopes asked for (the CPR number usually needs a scope of its own). */
  scope: string;
}

/** An OpenID Connect provider the portal's MitID login goes through. */
export interface MitIdSettings extends MitIdClaims {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Plain http: only in demo mode (the local test identity provider, or a broker's test setup). */
  allowHttp: boolean;
}

/** Defaults for a MitID broker in the style of the Danish brokers (NSIS level as a URI in `loa`, the CPR number in `dk.cpr`). */
export const MITID_DEFAULTS: MitIdClaims = {
  cprClaim: 'dk.cpr',
  loaClaim: 'loa',
  loaSubstantial: 'https://data.gov.dk/concept/core/nsis/loa/Substantial',
  scope: 'openid ssn',
};

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS is required. */
  secure: boolean;
  user: string | undefined;
  password: string | undefined;
  /** The sender: a neutral name (never the programme's or psychiatry's), e.g. "Min plan <no-reply@kommune.dk>". */
  from: string;
}

/** The secrets used only in demo mode when none is given; never accepted outside demo mode. */
const DEMO_SECRET = 'bindeled-demo-secret-not-for-production-use-0000';
const DEMO_CPR_KEY = 'bindeled-demo-cpr-key-not-for-production-use-000';
const DEMO_AUDIT_KEY = 'bindeled-demo-audit-key-not-for-production-use-0';
export const DEMO_RESEARCH_KEY = 'bindeled-demo-research-key-not-for-production-0';
const DEMO_SECRETS = new Set([DEMO_SECRET, DEMO_CPR_KEY, DEMO_AUDIT_KEY, DEMO_RESEARCH_KEY]);

export class ConfigError extends Error {}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function inside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const engine = e.DATABASE_URL ? 'postgres' : 'pglite';
  const demo = e.BINDELED_DEMO ?? engine === 'pglite';
  const problems: string[] = [];
  if (!demo) {
    const required: [string, string | undefined, string][] = [
      ['SESSION_SECRET', e.SESSION_SECRET, 'at least 32 random characters'],
      ['CPR_KEY', e.CPR_KEY, 'at least 32 random characters; keep it safe: without it CPR numbers cannot be read'],
      ['AUDIT_KEY', e.AUDIT_KEY, 'at least 32 random characters; signs the audit chain'],
      ['RESEARCH_KEY', e.RESEARCH_KEY, 'at least 32 random characters; keys the pseudonyms of research exports (never stored in the database)'],
      ['AUDIT_ANCHOR_FILE', e.AUDIT_ANCHOR_FILE, 'a file outside the database and DATA_DIR where the signed audit head is appended'],
    ];
    for (const [name, value, hint] of required) {
      if (!value) problems.push(`  ${name}: required when demo mode is off (${hint})`);
      else if (DEMO_SECRETS.has(value)) problems.push(`  ${name}: the demo value cannot be used outside demo mode`);
    }
  }
  const auditKey = e.AUDIT_KEY ?? DEMO_AUDIT_KEY;
  const sessionSecret = e.SESSION_SECRET ?? DEMO_SECRET;
  if (e.AUDIT_KEY && e.SESSION_SECRET && e.AUDIT_KEY === e.SESSION_SECRET) problems.push('  AUDIT_KEY: must differ from SESSION_SECRET');
  if (e.AUDIT_KEY && e.CPR_KEY && e.AUDIT_KEY === e.CPR_KEY) problems.push('  AUDIT_KEY: must differ from CPR_KEY');
  if (e.RESEARCH_KEY && [e.SESSION_SECRET, e.CPR_KEY, e.AUDIT_KEY].includes(e.RESEARCH_KEY)) problems.push('  RESEARCH_KEY: must differ from SESSION_SECRET, CPR_KEY and AUDIT_KEY');
  if (e.AUDIT_ANCHOR_FILE && inside(e.DATA_DIR, e.AUDIT_ANCHOR_FILE)) {
    problems.push('  AUDIT_ANCHOR_FILE: must lie outside DATA_DIR (a copy of the database directory must not carry its own anchor)');
  }
  // Demo mode by default is for one person's machine: serving it to the network (demo secrets, demo accounts, plain
  // cookies) must be asked for by name.
  if (demo && e.BINDELED_DEMO === undefined && e.HOST && !isLoopback(e.HOST)) {
    problems.push(
      `  HOST: ${e.HOST} would serve the demo (demo secrets and accounts) to the network; set BINDELED_DEMO=true to mean that, ` +
        'or BINDELED_DEMO=false with real secrets',
    );
  }
  if (e.DATABASE_MIGRATION_URL && !e.DATABASE_URL) problems.push('  DATABASE_MIGRATION_URL: only meaningful together with DATABASE_URL');
  if (e.SMTP_HOST && !e.MAIL_FROM) problems.push('  MAIL_FROM: required with SMTP_HOST (a neutral sender, e.g. "Min plan <no-reply@kommune.dk>")');
  if (e.SMTP_HOST && !demo && !e.PUBLIC_URL) problems.push('  PUBLIC_URL: required with SMTP_HOST outside demo mode (the address invitations send citizens to)');
  if (!e.SMTP_HOST && (e.SMTP_PORT || e.SMTP_USER || e.SMTP_PASSWORD || e.SMTP_SECURE !== undefined)) problems.push('  SMTP_HOST: the other SMTP_ settings mean nothing without it');
  if (!!e.SMTP_USER !== !!e.SMTP_PASSWORD) problems.push('  SMTP_USER, SMTP_PASSWORD: give both or neither');
  // MitID fails closed: a broker is given completely or not at all, over https outside demo mode.
  const broker = [['MITID_ISSUER', e.MITID_ISSUER], ['MITID_CLIENT_ID', e.MITID_CLIENT_ID], ['MITID_CLIENT_SECRET', e.MITID_CLIENT_SECRET]] as const;
  const givenBroker = broker.filter(([, v]) => v !== undefined);
  if (givenBroker.length > 0 && givenBroker.length < broker.length) {
    const missing = broker.filter(([, v]) => v === undefined).map(([n]) => n);
    problems.push(`  ${missing.join(', ')}: required together with ${givenBroker.map(([n]) => n).join(', ')} (the MitID broker is given completely or not at all)`);
  }
  if (e.MITID_ISSUER && !demo && !e.MITID_ISSUER.startsWith('https://')) problems.push('  MITID_ISSUER: must be an https URL outside demo mode');
  const claimSettings = [e.MITID_CPR_CLAIM, e.MITID_LOA_CLAIM, e.MITID_LOA_SUBSTANTIAL, e.MITID_SCOPE];
  if (!demo && !e.MITID_ISSUER && claimSettings.some((v) => v !== undefined)) {
    problems.push('  MITID_ISSUER: the other MITID_ settings mean nothing without it outside demo mode');
  }
  if (e.TEST_IDP_PORT !== undefined && (!demo || e.MITID_ISSUER)) {
    problems.push('  TEST_IDP_PORT: the test identity provider runs only in demo mode without a MitID broker');
  }
  if (e.TEST_IDP_PORT !== undefined && e.TEST_IDP_PORT !== 0 && e.TEST_IDP_PORT === e.PORT) problems.push('  TEST_IDP_PORT: must differ from PORT');
  const reminderSender = e.REMINDER_SENDER_NAME ?? DEFAULT_REMINDER_SENDER;
  const senderProblem = senderNameProblem(reminderSender);
  if (senderProblem) problems.push(`  REMINDER_SENDER_NAME: ${senderProblem}`);
  if (e.MAIL_FROM && TELLING_WORDS.test(e.MAIL_FROM.split('<')[0] ?? '')) problems.push('  MAIL_FROM: must be a neutral sender (never psychiatry\'s or a programme\'s name), e.g. "Min plan <no-reply@kommune.dk>"');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  const mitidClaims: MitIdClaims = {
    cprClaim: e.MITID_CPR_CLAIM ?? MITID_DEFAULTS.cprClaim,
    loaClaim: e.MITID_LOA_CLAIM ?? MITID_DEFAULTS.loaClaim,
    loaSubstantial: e.MITID_LOA_SUBSTANTIAL ?? MITID_DEFAULTS.loaSubstantial,
    scope: e.MITID_SCOPE ?? MITID_DEFAULTS.scope,
  };

  const warnings: string[] = [];
  const migrationDatabaseUrl = e.DATABASE_MIGRATION_URL ?? e.DATABASE_URL;
  if (engine === 'postgres' && migrationDatabaseUrl === e.DATABASE_URL) {
    warnings.push(
      'DATABASE_MIGRATION_URL is not set apart from DATABASE_URL: the application connects as the schema owner, ' +
        'so the database cannot stop it from changing audit rows (see the README, "Database roles")',
    );
  }
  if (!demo && !e.MITID_ISSUER) warnings.push('MITID_ISSUER is not set: citizens cannot log in with MitID, so the portal shows only what a one-time code opens');
  if (!demo && !e.SMTP_HOST) warnings.push('SMTP_HOST is not set: the citizen portal sends no e-mail, so invitations and code logins are refused');
  if (demo && !e.AUDIT_ANCHOR_FILE) warnings.push('AUDIT_ANCHOR_FILE is not set: the signed audit head is kept only in the database');

  return {
    port: e.PORT,
    // The demo listens on this machine only, unless HOST says otherwise.
    host: e.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    migrationDatabaseUrl,
    engine,
    demo,
    sessionSecret,
    cprKey: e.CPR_KEY ?? DEMO_CPR_KEY,
    auditKey,
    researchKey: e.RESEARCH_KEY ?? DEMO_RESEARCH_KEY,
    exportDir: resolve(e.EXPORT_DIR ?? `${e.DATA_DIR}/exports`),
    auditPreviousKeys: e.AUDIT_PREVIOUS_KEYS ?? [],
    auditLegacyVerify: e.AUDIT_LEGACY_VERIFY ?? true,
    auditAnchorFile: e.AUDIT_ANCHOR_FILE,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    cookieSecure: e.COOKIE_SECURE ?? !demo,
    trustProxy: e.TRUST_PROXY && e.TRUST_PROXY.length > 0 ? e.TRUST_PROXY : false,
    logLevel: e.LOG_LEVEL,
    smtp: e.SMTP_HOST
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT ?? (e.SMTP_SECURE ? 465 : 587),
          secure: e.SMTP_SECURE ?? e.SMTP_PORT === 465,
          user: e.SMTP_USER,
          password: e.SMTP_PASSWORD,
          from: e.MAIL_FROM!,
        }
      : undefined,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    mitid: e.MITID_ISSUER
      ? { ...mitidClaims, issuer: e.MITID_ISSUER, clientId: e.MITID_CLIENT_ID!, clientSecret: e.MITID_CLIENT_SECRET!, allowHttp: demo && e.MITID_ISSUER.startsWith('http://') }
      : undefined,
    mitidClaims,
    // The demo's stand-in for MitID, on loopback only: port 3001 by default (3002 when the app itself has 3001).
    testIdpPort: demo && !e.MITID_ISSUER ? (e.TEST_IDP_PORT ?? (e.PORT === 3001 ? 3002 : 3001)) : undefined,
    reminderSender,
    warnings,
  };
}
