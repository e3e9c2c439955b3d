import type { NestExpressApplication } from '@nestjs/platform-express';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { Clock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed-demo';
import { dropPostgresDatabase, freshPostgresDatabase, TEST_POSTGRES } from './postgres';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  clock: Clock;
  dataSource: DataSource;
  /** The SQLite file (unused when the suite runs on PostgreSQL). */
  databasePath: string;
  /** The PostgreSQL database, when the suite runs on PostgreSQL. */
  databaseUrl?: string;
  close(): Promise<void>;
  /** Boots a second app on the same database file (a restart). */
  restart(): Promise<TestApp>;
}

/**
 * The real AppModule on a fresh database, migrated like production, with the demo city
 * loaded at a small scale (about 20 evaluators): a SQLite file in a temporary folder, or,
 * when the suite runs on PostgreSQL, a new database on the test server.
 * `sameDatabaseAs` boots a second instance on another app's database (and data folder).
 */
export async function createTestApp(options: { seed?: boolean; databasePath?: string; databaseUrl?: string; sameDatabaseAs?: TestApp; env?: Record<string, string>; evaluatorScale?: number } = {}): Promise<TestApp> {
  const existing = options.sameDatabaseAs?.databasePath ?? options.databasePath;
  const dir = existing ? path.dirname(existing) : fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-test-'));
  const databasePath = existing ?? path.join(dir, 'test.sqlite');
  const databaseUrl = TEST_POSTGRES ? (options.sameDatabaseAs?.databaseUrl ?? options.databaseUrl ?? (await freshPostgresDatabase())) : undefined;
  const config = loadConfig({
    DATA_DIR: dir, DATABASE_PATH: databasePath, ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '4' } : {}),
    LOG_LEVEL: 'error', SCHEDULER_ENABLED: 'false', RATE_LIMIT_LOGIN: '100000', RATE_LIMIT_PUBLIC: '100000', ...options.env,
  });
  const app = await createApp(config, { logger: ['error'] });
  await app.init();
  const dataSource = app.get(DataSource);
  if (options.seed !== false && !existing && !options.databaseUrl) await seedDemo(dataSource, config, { evaluatorScale: options.evaluatorScale ?? 0.05 });
  const testApp: TestApp = {
    app,
    http: app.getHttpServer(),
    clock: app.get(Clock),
    dataSource,
    databasePath,
    databaseUrl,
    close: async () => {
      await app.close();
      // The first instance on a database drops it; a second one only closes.
      if (databaseUrl && !options.sameDatabaseAs && !options.databasePath && !options.databaseUrl) await dropPostgresDatabase(databaseUrl);
    },
    restart: async () => {
      await app.close();
      return createTestApp({ databasePath, sameDatabaseAs: testApp, env: options.env });
    },
  };
  return testApp;
}

export type Agent = ReturnType<typeof request.agent> & { csrfToken: string };

/** A cookie-keeping client signed in through the JSON API, with its CSRF token. */
export async function loginAs(t: TestApp, username: string, password = DEMO_PASSWORD): Promise<Agent> {
  const agent = request.agent(t.http) as Agent;
  const res = await agent.post('/api/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  agent.csrfToken = res.body.csrfToken;
  return agent;
}

/** The anonymous CSRF token a browser would get from a page with a form. */
export async function anonymousForm(t: TestApp, page = '/login'): Promise<{ agent: ReturnType<typeof request.agent>; token: string }> {
  const agent = request.agent(t.http);
  const res = await agent.get(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
  if (!token) throw new Error(`no CSRF token on ${page}`);
  return { agent, token };
}

/**
 * Signs in as the evaluator with this pool id, giving them an account first if they have
 * none (demo evaluators are loaded without accounts), through the real hashing code.
 */
export async function evaluatorAgent(t: TestApp, evaluatorId: number): Promise<Agent> {
  const { UserAccount, newUserAccount } = await import('../../src/auth/user-account.entity');
  const { PasswordHasher } = await import('../../src/auth/password-hasher');
  const repo = t.dataSource.getRepository(UserAccount);
  let account = await repo.findOneBy({ evaluatorId });
  if (!account) {
    const passwordHash = await new PasswordHasher().hash(DEMO_PASSWORD);
    account = await repo.save(newUserAccount({ username: `e${evaluatorId}`, displayName: `评价员${evaluatorId}`, passwordHash, role: 'evaluator', evaluatorId, mustChangePassword: false }, Date.now()));
  }
  return loginAs(t, account.username);
}
