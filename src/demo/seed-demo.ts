import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../auth/password-hasher';
import { newUserAccount, UserAccount } from '../auth/user-account.entity';
import { Role } from '../auth/domain/roles';
import { systemActor } from '../common/actor';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { Department } from '../departments/department.entity';
import { Application } from '../pool/application.entity';
import { ConflictDeclaration } from '../pool/conflict-declaration.entity';
import { EvaluatorStatusChange } from '../pool/evaluator-status-change.entity';
import { Evaluator } from '../pool/evaluator.entity';
import { CATEGORY_COUNTS, demoPeople, DEPARTMENTS } from './demo-data';

export const DEMO_PASSWORD = 'Tianping-Demo-2026';

/** One account per role, listed in the README. */
export const DEMO_ACCOUNTS: { username: string; displayName: string; role: Role; department?: string }[] = [
  { username: 'admin', displayName: '李主任', role: 'admin' },
  { username: 'staff', displayName: '王干事', role: 'staff' },
  { username: 'pingjia', displayName: '', role: 'evaluator' },
  { username: 'liaison', displayName: '赵联络员', role: 'liaison', department: '市住房和城乡建设局' },
  { username: 'auditor', displayName: '孙审计', role: 'auditor' },
  { username: 'security', displayName: '周安全员', role: 'security' },
];

/**
 * Loads the demo city: departments, about 400 evaluators over the nine categories, a few
 * suspended and retired, some declared conflicts, pending applications, one account per
 * role. Does nothing if the database already has departments.
 */
export async function seedDemo(dataSource: DataSource, config: AppConfig, options: { evaluatorScale?: number } = {}): Promise<{ seeded: boolean; evaluators: number }> {
  if ((await dataSource.getRepository(Department).count()) > 0) return { seeded: false, evaluators: await dataSource.getRepository(Evaluator).count() };
  const clock = new Clock();
  const uow = new UnitOfWork(dataSource);
  const audit = new AuditService(dataSource, clock, config);
  const hasher = new PasswordHasher();
  const passwordHash = await hasher.hash(DEMO_PASSWORD);
  const actor = systemActor('演示数据');
  const scale = options.evaluatorScale ?? 1;
  const counts = Object.fromEntries(Object.entries(CATEGORY_COUNTS).map(([k, v]) => [k, Math.max(1, Math.round(v * scale))])) as typeof CATEGORY_COUNTS;
  const people = demoPeople(counts);
  const applicants = demoPeople({ party_cadre: 1, scholar: 1, lawyer: 2, volunteer: 1, deputy: 0, counsellor: 1, veteran: 1, elder: 1, senior_petitioner: 0 }, 777);
  const now = clock.now().getTime();
  const day = 86_400_000;

  await uow.run(async (m) => {
    const departmentIds = new Map<string, number>();
    for (const [i, d] of DEPARTMENTS.entries()) {
      const saved = await m.save(Department, { name: d.name, kind: d.kind, sortOrder: i });
      departmentIds.set(d.name, saved.id);
    }
    const evaluatorIds: number[] = [];
    for (const [i, p] of people.entries()) {
      const joinedAt = now - (400 + Math.floor(i * 1.3)) * day;
      const saved = await m.save(Evaluator, {
        name: p.name, gender: p.gender, birthYear: p.birthYear, phone: p.phone, idNumber: p.idNumber, employer: p.employer,
        employerDepartmentId: p.employerDepartment ? departmentIds.get(p.employerDepartment)! : null,
        title: p.title, category: p.category, expertise: p.expertise.join(','), district: p.district, township: p.township, bio: p.bio,
        status: 'active', source: 'demo', joinedAt, updatedAt: joinedAt,
      });
      evaluatorIds.push(saved.id);
      await m.insert(EvaluatorStatusChange, { evaluatorId: saved.id, fromStatus: null, toStatus: 'active', reason: '首批入库（2025年全省遴选）', at: joinedAt, actorId: null, actorName: '演示数据' });
    }
    // A few who stepped back, so the status filter and history have something to show.
    for (const [k, id] of evaluatorIds.filter((_, i) => i % 37 === 5).entries()) {
      const status = k % 2 === 0 ? 'suspended' : 'retired';
      await m.update(Evaluator, { id }, { status, updatedAt: now - 30 * day });
      await m.insert(EvaluatorStatusChange, { evaluatorId: id, fromStatus: 'active', toStatus: status, reason: status === 'suspended' ? '本人申请：外出务工半年' : '年龄原因，本人申请退出', at: now - 30 * day, actorId: null, actorName: '演示数据' });
    }
    for (const [k, id] of evaluatorIds.filter((_, i) => i % 23 === 3).entries()) {
      const department = DEPARTMENTS[k % DEPARTMENTS.length].name;
      await m.insert(ConflictDeclaration, {
        evaluatorId: id, kind: k % 3 === 0 ? 'employer' : 'relative', departmentId: departmentIds.get(department)!,
        description: k % 3 === 0 ? `2021年前曾在${department}工作` : `配偶在${department}工作`, untilYear: k % 3 === 0 ? 2021 : null,
        declaredAt: now - 60 * day, withdrawnAt: null, personName: null, personIdNumber: null,
      });
    }
    for (const [i, a] of applicants.entries()) {
      await m.insert(Application, {
        name: a.name, gender: a.gender, birthYear: a.birthYear, phone: a.phone, idNumber: a.idNumber, employer: a.employer, title: a.title,
        category: a.category, expertise: a.expertise.join(','), district: a.district, township: a.township, bio: a.bio, consent: true,
        status: 'pending', decisionReason: null, reviewedAt: null, reviewedBy: null, evaluatorId: null, submittedAt: now - (i + 1) * 3 * day,
      });
    }
    for (const account of DEMO_ACCOUNTS) {
      const evaluatorId = account.role === 'evaluator' ? evaluatorIds[0] : null;
      const displayName = account.role === 'evaluator' ? people[0].name : account.displayName;
      const departmentId = account.department ? departmentIds.get(account.department)! : null;
      await m.insert(UserAccount, newUserAccount({ username: account.username, displayName, passwordHash, role: account.role, departmentId, evaluatorId, mustChangePassword: false }, now));
    }
    await audit.record(m, actor, {
      action: 'demo.seeded',
      entityType: 'system',
      summary: `载入演示数据：${DEPARTMENTS.length}个责任单位，${people.length}名评价员，${applicants.length}份待审核申请，${DEMO_ACCOUNTS.length}个演示账户`,
    });
  });
  return { seeded: true, evaluators: people.length };
}
