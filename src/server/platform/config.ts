// Reads and validates the environment once at start-up; a bad value stops the server with a clear message.
import { z } from 'zod';

const boolFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    error: 'must be one of true/false, 1/0, yes/no, on/off',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a number' }).int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  BINDELED_DEMO: boolFromEnv.optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CPR_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  AUDIT_RETENTION_DAYS: z.coerce.number({ error: 'must be a number' }).int().min(30).default(1825),
  COOKIE_SECURE: boolFromEnv.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  engine: 'pglite' | 'postgres';
  demo: boolean;
  sessionSecret: string;
  /** Root key for encrypting CPR numbers at rest and for their keyed lookup hash. */
  cprKey: string;
  auditRetentionDays: number;
  cookieSecure: boolean;
  logLevel: string;
};

/** The secret used only when demo mode runs without SESSION_SECRET; never valid outside demo mode. */
const DEMO_SECRET = 'bindeled-demo-secret-not-for-production-use-0000';
const DEMO_CPR_KEY = 'bindeled-demo-cpr-key-not-for-production-use-000';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const engine = e.DATABASE_URL ? 'postgres' : 'pglite';
  const demo = e.BINDELED_DEMO ?? engine === 'pglite';
  const missing = [
    !demo && !e.SESSION_SECRET ? '  SESSION_SECRET: required when demo mode is off (at least 32 random characters)' : null,
    !demo && !e.CPR_KEY ? '  CPR_KEY: required when demo mode is off (at least 32 random characters; keep it safe: without it CPR numbers cannot be read)' : null,
  ].filter(Boolean);
  if (missing.length > 0) throw new ConfigError(`Invalid configuration:\n${missing.join('\n')}`);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    engine,
    demo,
    sessionSecret: e.SESSION_SECRET ?? DEMO_SECRET,
    cprKey: e.CPR_KEY ?? DEMO_CPR_KEY,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    cookieSecure: e.COOKIE_SECURE ?? false,
    logLevel: e.LOG_LEVEL,
  };
}
