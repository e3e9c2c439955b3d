import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli';
import { createTestApp, loginAs } from '../support/create-test-app';
import { freshPostgresDatabase, TEST_POSTGRES } from '../support/postgres';

describe('the command line on a fresh install', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-cli-'));
  const env: Record<string, string> = { DATA_DIR: dir, DATABASE_PATH: path.join(dir, 'fresh.sqlite') };
  let output: string[];
  beforeAll(async () => {
    if (TEST_POSTGRES) env.DATABASE_URL = await freshPostgresDatabase();
  });
  beforeEach(() => {
    output = [];
    jest.spyOn(console, 'log').mockImplementation((...args) => void output.push(args.join(' ')));
    jest.spyOn(console, 'error').mockImplementation((...args) => void output.push(args.join(' ')));
  });
  afterEach(() => jest.restoreAllMocks());

  it('creates the first administrator, who must replace the one-time password at first log-in', async () => {
    expect(await runCli(['create-admin', '--username', 'anquan', '--name', '张三'], env)).toBe(0);
    const password = /一次性密码：(\S+)/.exec(output.join('\n'))?.[1];
    expect(password).toHaveLength(16);
    expect(await runCli(['create-admin', '--username', 'anquan'], env)).toBe(1);
    expect(output.join('\n')).toContain('用户名 anquan 已存在');
    expect(await runCli(['create-admin', '--username', 'boss', '--role', 'auditor'], env)).toBe(2);

    const t = await createTestApp({ databasePath: env.DATABASE_PATH, databaseUrl: env.DATABASE_URL });
    try {
      const agent = await loginAs(t, 'anquan', password);
      expect((await agent.get('/api/auth/me')).body.user).toMatchObject({ role: 'security', mustChangePassword: true });
      expect((await agent.get('/api/accounts')).status).toBe(403);
    } finally {
      await t.close();
    }
  });
});
