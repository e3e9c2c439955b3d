import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AuditChainService } from './audit/audit-chain.service';
import { AuditService } from './audit/audit.service';
import { BackupService, restorePostgresDump, RestoreRefused } from './database/backup.service';
import { passwordProblem } from './auth/domain/password-policy';
import { ROLES, Role } from './auth/domain/roles';
import { PasswordHasher } from './auth/password-hasher';
import { newInitialPassword } from './auth/tokens';
import { newUserAccount, UserAccount } from './auth/user-account.entity';
import { systemActor } from './common/actor';
import { Clock } from './common/clock';
import { zhCN } from './common/i18n/zh-CN';
import { runningService } from './common/service-pid';
import { isoInZone } from './common/time-format';
import { AppConfig, ConfigError, levelsUpTo, loadConfig } from './config/app-config';
import { openDatabase } from './database/data-source';
import { PetitionCase } from './cases/petition-case.entity';
import { verifyDraw } from './draws/domain/verify';
import { evidenceOf } from './draws/draw-evidence';
import { Draw } from './draws/draw.entity';
import { UnitOfWork } from './database/unit-of-work';
import { seedDemo } from './demo/seed-demo';

const USAGE = `天平 Tianping 命令行

  node dist/src/cli.js migrate
      应用全部数据库迁移（服务启动时也会自动执行）
  node dist/src/cli.js create-admin --username <名> [--name <姓名>] [--role security|admin] [--password <密码>]
      新装系统时创建第一个管理员。默认创建安全管理员（负责账户与角色）；
      不给 --password 时生成一次性密码并打印，首次登录须修改。
  node dist/src/cli.js seed-demo
      载入演示数据（仅当数据库为空时），并另登记一件案件走完评价、形成已通过的决议
  node dist/src/cli.js evaluate-demo [件数]
      再登记若干件演示案件并走完评价（默认 1 件），用于演示、文书批量生成和性能测试
  node dist/src/cli.js backup
      在线备份数据库（SQLite 备份接口；PostgreSQL 用 pg_dump；服务运行时也可执行），写入 data/backups/
  node dist/src/cli.js restore <备份文件> [--force]
      在新机器上从备份恢复：先检查备份完整性，再放到 DATABASE_PATH（PostgreSQL：恢复到 DATABASE_URL 所指的库），
      然后校验审计链；已有数据时须加 --force（原库改名保留）
  node dist/src/cli.js archive-audit
      把六个自然月以前的审计记录移入 data/audit-archive/（连同链头和文件哈希），在线日志从该链头继续校验
  node dist/src/cli.js verify-audit
      逐条复算审计日志的哈希链，并与每日公布的链头比对；不完整时指出第一条有问题的记录（退出码 1）
  node dist/src/cli.js verify-draw <抽选编号或验证码>
      按记录复算一次抽选，输出“一致”或逐项差异（不一致时退出码为 1）`;

/** Runs one CLI command; returns the process exit code. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig(env);
  // The database's own messages (migrations applied) follow LOG_LEVEL like the service's.
  Logger.overrideLogger(levelsUpTo(config.LOG_LEVEL));
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'restore') return restoreCommand(config, rest);
  const dataSource = await openDatabase(config);
  try {
    switch (command) {
      case 'migrate':
        console.log(`数据库已是最新：${config.databaseLabel}`);
        return 0;
      case 'seed-demo': {
        const result = await seedDemo(dataSource, config);
        console.log(result.seeded ? `已载入演示数据：${result.evaluators} 名评价员` : `数据库已有数据（${result.evaluators} 名评价员），未重复载入`);
        if (result.seeded) await evaluateDemoCases(config, 1);
        return 0;
      }
      case 'evaluate-demo': {
        const count = rest[0] === undefined ? 1 : Number(rest[0]);
        if (!Number.isInteger(count) || count < 1 || count > 1000) {
          console.error('件数须为 1 到 1000 的整数，例如：evaluate-demo 20');
          return 2;
        }
        await evaluateDemoCases(config, count);
        return 0;
      }
      case 'backup': {
        const result = await new BackupService(dataSource, new Clock(), config).backup();
        console.log(`已备份：${result.file}（${Math.ceil(result.bytes / 1024)} KB）`);
        return 0;
      }
      case 'archive-audit': {
        const uow = new UnitOfWork(dataSource);
        const result = await uow.run(async (m) => new AuditChainService(dataSource, new Clock(), config).archiveOld(m));
        console.log(result.entries ? `已归档 ${result.entries} 条六个月以前的审计记录：${result.file}` : '没有需要归档的审计记录（均在六个自然月以内）');
        return 0;
      }
      case 'verify-audit': {
        const verdict = await new AuditChainService(dataSource, new Clock(), config).verify();
        if (verdict.ok) {
          console.log(`审计链完整：${verdict.entries} 条记录${verdict.head ? `，链头 #${verdict.head.id} ${verdict.head.hash}` : ''}${verdict.heads.length ? `；${verdict.heads.length} 个已公布链头均在日志中` : ''}`);
          return 0;
        }
        console.error(`审计链不完整：第一条有问题的记录是 #${verdict.firstBadId}——${verdict.reason}`);
        return 1;
      }
      case 'verify-draw':
        return await verifyDrawCommand(dataSource, rest[0]);
      case 'create-admin':
        return await createAdmin(dataSource, rest, config);
      default:
        console.error(`未知命令：${command}\n\n${USAGE}`);
        return 2;
    }
  } finally {
    await dataSource.destroy();
  }
}

/**
 * More demo cases taken through a whole evaluation by the real services, so the resolution,
 * document and follow-up pages have something to show; the four seeded cases stay waiting for
 * a panel. The whole application is loaded only here, so the other commands start without it.
 */
async function evaluateDemoCases(config: AppConfig, count: number): Promise<void> {
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('./app.module');
  const { CasesService } = await import('./cases/cases.service');
  const { evaluateDemoCase } = await import('./demo/demo-evaluation');
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    for (let i = 0; i < count; i++) {
      const { caseId, meetingId } = await evaluateDemoCase(app);
      const kase = await app.get(CasesService).get(caseId);
      console.log(`已完成一件演示案件的评价：${kase.caseNumber}「${kase.title}」，决议已表决通过（评价会议 #${meetingId}）`);
    }
  } finally {
    await app.close();
  }
}

/** Puts a backup in place of the database, after checking it (integrity, audit chain). */
async function restoreCommand(config: AppConfig, args: string[]): Promise<number> {
  const source = args.find((a) => !a.startsWith('--'));
  const force = args.includes('--force');
  if (!source || !fs.existsSync(source)) {
    console.error(`请给出存在的备份文件，例如：restore data/backups/tianping-20261121-020000.${config.DATABASE_URL ? 'dump' : 'sqlite'}`);
    return 2;
  }
  if (config.DATABASE_URL) {
    try {
      const { kept } = await restorePostgresDump(config.DATABASE_URL, source, force, new Date());
      if (kept) console.log(`原数据库内容已移到模式 ${kept} 保留`);
    } catch (error) {
      if (!(error instanceof RestoreRefused)) throw error;
      console.error(`${config.databaseLabel} 中已有天平的数据。确需用备份覆盖，请加 --force（原有内容会改名保留）。`);
      return 2;
    }
    return reportRestored(config, config.databaseLabel);
  }
  const running = runningService(config.dataDir);
  if (running) {
    console.error(`天平服务正在运行（进程 ${running}），它会继续写入原数据库，恢复的内容将被覆盖或丢失。请先停止服务，再执行恢复。`);
    return 2;
  }
  const { default: Database } = await import('better-sqlite3');
  let integrity: string;
  try {
    const check = new Database(source, { readonly: true, fileMustExist: true });
    try {
      integrity = (check.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
    } finally {
      check.close();
    }
  } catch (error) {
    console.error(`${source} 不是天平的数据库备份（无法作为 SQLite 数据库读取：${(error as Error).message}）`);
    return 1;
  }
  if (integrity !== 'ok') {
    console.error(`备份文件已损坏：${integrity}`);
    return 1;
  }
  const target = config.databasePath;
  if (fs.existsSync(target)) {
    if (!force) {
      console.error(`${target} 已存在。确需用备份覆盖，请加 --force（原数据库会改名保留）。`);
      return 2;
    }
    // The WAL may hold committed transactions not yet in the main file: it goes with it.
    // Named by the office's date and time; a second restore within the same second gets -2.
    const stamp = isoInZone(new Date(), config.APP_TIMEZONE).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    let kept = `${target}.before-restore-${stamp}`;
    for (let n = 2; fs.existsSync(kept); n++) kept = `${target}.before-restore-${stamp}-${n}`;
    for (const suffix of ['', '-wal', '-shm']) if (fs.existsSync(`${target}${suffix}`)) fs.renameSync(`${target}${suffix}`, `${kept}${suffix}`);
    console.log(`原数据库已改名为 ${kept}`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(source, target);
  return reportRestored(config, target);
}

/** Migrates the restored database, checks its audit chain and says what it holds. */
async function reportRestored(config: AppConfig, target: string): Promise<number> {
  const dataSource = await openDatabase(config);
  try {
    const verdict = await new AuditChainService(dataSource, new Clock(), config).verify();
    const [{ cases }] = await dataSource.query(`SELECT COUNT(*) AS cases FROM petition_case`);
    const [{ evaluators }] = await dataSource.query(`SELECT COUNT(*) AS evaluators FROM evaluator`);
    console.log(`已恢复到 ${target}：${cases} 件案件，${evaluators} 名评价员，审计链${verdict.ok ? `完整（${verdict.entries} 条）` : `不完整：#${verdict.firstBadId} ${verdict.reason}`}`);
    return verdict.ok ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

async function verifyDrawCommand(dataSource: DataSource, ref: string | undefined): Promise<number> {
  if (!ref) {
    console.error('请给出抽选编号或验证码，例如：verify-draw 12 或 verify-draw 3F2A9C0B71DE');
    return 2;
  }
  // A verification code is 12 hex digits and may happen to be all decimal digits (about 1 in 280),
  // so the code is tried first and a number is read as the draw's id only when no code matches.
  const draws = dataSource.getRepository(Draw);
  const draw = (await draws.findOneBy({ publicCode: ref.toUpperCase() }))
    ?? (/^\d{1,15}$/.test(ref) ? await draws.findOneBy({ id: Number(ref) }) : null);
  if (!draw) {
    console.error(`找不到抽选 ${ref}`);
    return 2;
  }
  if (draw.status !== 'drawn') {
    console.error(`抽选 ${ref} 尚未完成（${draw.status === 'committed' ? '等待见证' : '已取消'}），无从验证`);
    return 2;
  }
  const kase = await dataSource.getRepository(PetitionCase).findOneByOrFail({ id: draw.caseId });
  const result = verifyDraw(evidenceOf(draw, kase.caseNumber));
  console.log(`案件 ${kase.caseNumber} 抽选 #${draw.id}（验证码 ${draw.publicCode}）`);
  console.log(`承诺值   ${result.recomputed.commitment}`);
  console.log(`随机种子 ${result.recomputed.seed}`);
  console.log(`评价组   ${result.recomputed.members.join(', ')}`);
  console.log(`候补     ${result.recomputed.alternates.join(', ')}`);
  if (result.matches) console.log('结果：一致（matches）');
  else console.log(`结果：不一致\n${result.differences.map((d) => `  - ${d}`).join('\n')}`);
  return result.matches ? 0 : 1;
}

async function createAdmin(dataSource: DataSource, args: string[], config: AppConfig): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'security' }, password: { type: 'string' } },
  });
  const username = values.username?.trim().toLowerCase();
  if (!username || !/^[a-z][a-z0-9_.-]{2,31}$/.test(username) || /^pj\d+$/.test(username)) {
    console.error('请用 --username 指定用户名：3–32位字母、数字或 _ . -，以字母开头（“pj+数字”留给评价员）');
    return 2;
  }
  const role = values.role as Role;
  if (!(['security', 'admin'] as string[]).includes(role) || !ROLES.includes(role)) {
    console.error('--role 只能是 security（安全管理员）或 admin（联席办管理员）');
    return 2;
  }
  const generated = !values.password;
  const password = values.password ?? newInitialPassword();
  const problem = passwordProblem(password, username);
  if (problem) {
    console.error(zhCN.auth.password[problem]);
    return 2;
  }
  if (await dataSource.getRepository(UserAccount).findOneBy({ username })) {
    console.error(`用户名 ${username} 已存在`);
    return 1;
  }
  const passwordHash = await new PasswordHasher().hash(password);
  const clock = new Clock();
  const audit = new AuditService(dataSource, clock, config);
  const now = clock.now().getTime();
  await new UnitOfWork(dataSource).run(async (m) => {
    const account = await m.save(UserAccount, newUserAccount({ username, displayName: values.name ?? username, passwordHash, role, mustChangePassword: generated }, now));
    await audit.record(m, systemActor('命令行 create-admin'), {
      action: 'account.created', entityType: 'account', entityId: account.id, summary: `命令行创建管理员账户 ${username}（${role}）`, after: { username, role },
    });
  });
  console.log(`已创建账户 ${username}（${role === 'security' ? '安全管理员' : '联席办管理员'}）`);
  if (generated) console.log(`一次性密码：${password}\n首次登录后须修改密码。`);
  return 0;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}
