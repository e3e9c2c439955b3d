import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import * as path from 'node:path';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());

/**
 * Everything Tianping reads from the environment. Each field has a default that runs out
 * of the box on a fresh machine; anything set wrongly stops the boot with a message
 * naming the variable.
 */
export class AppConfig {
  /** TCP port of the HTTP service. */
  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  PORT = 3000;

  /** Address to listen on. */
  @IsString()
  HOST = '0.0.0.0';

  /** Runtime state: the SQLite file, uploads, backups. */
  @IsString() @MinLength(1)
  DATA_DIR = 'data';

  /** SQLite database file; relative paths are resolved from the working directory. */
  @IsOptional() @IsString()
  DATABASE_PATH?: string;

  /**
   * PostgreSQL instead of the SQLite file, e.g. postgres://tianping:secret@db.intranet/tianping.
   * Several service instances may share one PostgreSQL database.
   */
  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Connections each instance keeps open to PostgreSQL (at least 4: writers, drafts beside them, reads). */
  @Transform(toInt) @IsInt() @Min(4) @Max(100)
  DATABASE_POOL_SIZE = 10;

  /** How long a writer waits for SQLite's lock before giving up, in milliseconds. */
  @Transform(toInt) @IsInt() @Min(100) @Max(60000)
  DATABASE_BUSY_TIMEOUT_MS = 10000;

  /** Time zone shown on pages and recorded in the audit log. */
  @IsString()
  APP_TIMEZONE = 'Asia/Shanghai';

  /** Mark cookies Secure: turn on when the service sits behind HTTPS. */
  @Transform(toBool) @IsBoolean()
  COOKIE_SECURE = false;

  /** Trust X-Forwarded-For from a reverse proxy when recording client addresses. */
  @Transform(toBool) @IsBoolean()
  TRUST_PROXY = false;

  /** Minutes of inactivity after which a session ends. */
  @Transform(toInt) @IsInt() @Min(1) @Max(240)
  SESSION_IDLE_MINUTES = 15;

  /** Hours after log-in after which a session ends regardless of activity. */
  @Transform(toInt) @IsInt() @Min(1) @Max(72)
  SESSION_ABSOLUTE_HOURS = 12;

  /** Debian's Chromium, used for decision PDFs and browser tests. */
  @IsString()
  CHROMIUM_PATH = '/usr/bin/chromium';

  /** PDFs rendered at once (pages in the long-lived browser); more waits in a queue. */
  @Transform(toInt) @IsInt() @Min(1) @Max(8)
  PDF_CONCURRENCY = 2;

  /** Longest one PDF may take before the job fails and the browser is replaced, in milliseconds. */
  @Transform(toInt) @IsInt() @Min(1000) @Max(120000)
  PDF_TIMEOUT_MS = 20000;

  /**
   * Chromium is started, and a first document rendered on each of its pages, as the service
   * starts (main.ts) rather than by the first document asked for.
   */
  @Transform(toBool) @IsBoolean()
  PDF_WARM_START = true;

  /** The issuing office, printed as the issuer of every document (发文机关). */
  @IsString() @MinLength(2)
  DOC_ISSUER = '商丘市信访工作联席会议办公室';

  /** Document-number prefix (机关代字), as in 商信联评〔2026〕12号. */
  @IsString() @MinLength(1)
  DOC_NUMBER_PREFIX = '商信联';

  /** The city, for titles and the notice to the petitioner. */
  @IsString() @MinLength(2)
  DOC_CITY = '商丘市';

  /** Address printed in documents' QR codes and verification lines, reachable by whoever holds the paper. */
  @IsString() @MinLength(8)
  PUBLIC_BASE_URL = 'http://localhost:3000';

  /** Background jobs (daily red list, reminders, monthly report); off for one-shot CLI contexts. */
  @Transform(toBool) @IsBoolean()
  SCHEDULER_ENABLED = true;

  /**
   * V8's helper threads (optimising compiler, concurrent GC) run only on a core no request needs
   * (SCHED_IDLE, Linux): on a small machine their bursts otherwise take the CPU from requests.
   */
  @Transform(toBool) @IsBoolean()
  HELPER_THREADS_IDLE = true;

  /** When the daily red-list digest goes out, office time (HH:MM). */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM' })
  DIGEST_TIME = '08:30';

  /** Public holidays (YYYY-MM-DD, comma-separated): not working days. */
  @IsString()
  HOLIDAYS = '';

  /** Weekend days worked in exchange for holidays (调休上班), YYYY-MM-DD, comma-separated. */
  @IsString()
  MAKEUP_WORKDAYS = '';

  /** Log-in attempts per client address per minute (on top of the per-name lock-out). */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_LOGIN = 30;

  /** Public form posts (applications) and verifications per client address per minute. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_PUBLIC = 60;

  /** When the daily online backup runs, office time (HH:MM). */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM' })
  BACKUP_TIME = '02:00';

  /** Days backups are kept (the newest seven always are). */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  BACKUP_KEEP_DAYS = 30;

  @IsIn(['error', 'warn', 'log', 'debug'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' = 'log';

  get databasePath(): string {
    return path.resolve(this.DATABASE_PATH ?? path.join(this.DATA_DIR, 'tianping.sqlite'));
  }

  /** Which database, for logs and messages: the SQLite path, or the PostgreSQL URL without its password. */
  get databaseLabel(): string {
    return this.DATABASE_URL ? this.DATABASE_URL.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : this.databasePath;
  }

  get dataDir(): string {
    return path.resolve(this.DATA_DIR);
  }
}

export class ConfigError extends Error {}

/** Reads and validates the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw: Record<string, unknown> = {};
  for (const key of [...known, 'DATABASE_PATH', 'DATABASE_URL']) if (env[key] !== undefined) raw[key] = env[key];
  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}=${JSON.stringify(env[e.property] ?? e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: config.APP_TIMEZONE });
  } catch {
    throw new ConfigError(`Invalid configuration:\n  APP_TIMEZONE=${JSON.stringify(config.APP_TIMEZONE)}: not a known IANA time zone`);
  }
  return config;
}

/** The Nest log levels LOG_LEVEL lets through. */
export function levelsUpTo(level: AppConfig['LOG_LEVEL']): ('error' | 'warn' | 'log' | 'debug')[] {
  const all = ['error', 'warn', 'log', 'debug'] as const;
  return all.slice(0, all.indexOf(level) + 1);
}
