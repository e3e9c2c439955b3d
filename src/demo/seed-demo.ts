import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../auth/password-hasher';
import { newUserAccount, UserAccount } from '../auth/user-account.entity';
import { Role } from '../auth/domain/roles';
import { systemActor } from '../common/actor';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { rawInsert } from '../database/raw-rows';
import { UnitOfWork } from '../database/unit-of-work';
import { Department } from '../departments/department.entity';
import { Application } from '../pool/application.entity';
import { ConflictDeclaration } from '../pool/conflict-declaration.entity';
import { EvaluatorStatusChange } from '../pool/evaluator-status-change.entity';
import { Evaluator } from '../pool/evaluator.entity';
import { CATEGORY_COUNTS, demoPeople, DEPARTMENTS } from './demo-data';

export const DEMO_PASSWORD = 'Tianping-Demo-2026';

/** Cases waiting for a panel, so the draw can be tried at once. */
const DEMO_CASES: {
  caseNumber: string; title: string; demand: string; category: string; departments: string[]; result: string; resultDate: string;
  satisfaction: 'satisfied' | 'basically_satisfied' | 'dissatisfied'; history: [string, string, string][];
  agent?: { name: string; kind: 'cadre' | 'lawyer' | 'volunteer'; phone: string }; ineligibleReason?: string; district?: string; township?: string;
}[] = [
  {
    caseNumber: 'SQ-2026-0001', title: '刘口乡某村集体土地征收补偿争议', category: '征地拆迁', departments: ['市自然资源和规划局', '梁园区人民政府'],
    demand: '认为2019年征收其承包地时青苗补偿计算有误，要求按实际种植面积重新核算并补发差额。', result: '经复核，补偿按当年公告标准发放，维持原处理意见。', resultDate: '2025-10-15',
    satisfaction: 'dissatisfied', history: [['2024-05-10', 'city', 'visit'], ['2024-11-02', 'province', 'visit'], ['2025-03-18', 'beijing', 'online']],
    district: '梁园区', township: '刘口乡',
  },
  {
    caseNumber: 'SQ-2026-0002', title: '工伤认定及待遇支付争议', category: '劳动社保', departments: ['市人力资源和社会保障局'],
    demand: '要求认定2022年在工地受伤为工伤，并支付停工留薪期工资。', result: '因劳动关系无法确认，不予认定工伤，已告知仲裁途径。', resultDate: '2025-08-20',
    satisfaction: 'basically_satisfied', history: [['2023-02-01', 'province', 'letter'], ['2023-09-12', 'province', 'visit'], ['2024-06-30', 'beijing', 'visit'], ['2025-01-05', 'city', 'phone']],
    agent: { name: '王律师', kind: 'lawyer', phone: '13903701234' },
  },
  {
    caseNumber: 'SQ-2026-0003', title: '老旧小区维修资金使用争议', category: '物业管理', departments: ['市住房和城乡建设局', '睢阳区人民政府'],
    demand: '要求公开小区专项维修资金使用明细，并由物业公司退还违规列支部分。', result: '已责令物业公司公示明细，违规列支部分未予认定。', resultDate: '2025-11-01',
    satisfaction: 'dissatisfied', history: [['2025-04-02', 'county', 'visit'], ['2025-07-19', 'city', 'online']],
  },
  {
    caseNumber: 'SQ-2026-0004', title: '低保资格取消争议', category: '民政救助', departments: ['市民政局'],
    demand: '要求恢复低保待遇。', result: '因家庭收入超过标准取消低保，已解释政策并纳入临时救助。', resultDate: '2025-09-10',
    satisfaction: 'satisfied', history: [['2025-06-01', 'city', 'visit']],
    ineligibleReason: '市信访联席会议交办，申请第三方评价以释疑解惑',
  },
];

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
      // Each department's 分管领导, who receives the daily red list (fictitious names and numbers).
      const leaderName = `${'王李张刘陈杨赵黄周吴'[i % 10]}${['建国', '志强', '秀英', '海涛', '丽华', '卫东', '晓明', '桂兰'][i % 8]}`;
      const saved = await m.save(Department, { name: d.name, kind: d.kind, sortOrder: i, leaderName, leaderPhone: `1370370${String(1000 + i).padStart(4, '0')}` });
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
    const petitioners = demoPeople({ party_cadre: 0, scholar: 0, lawyer: 0, volunteer: 0, deputy: 0, counsellor: 0, veteran: 0, elder: 0, senior_petitioner: DEMO_CASES.length }, 4242);
    for (const [i, c] of DEMO_CASES.entries()) {
      const p = petitioners[i];
      const caseId = await rawInsert(m,
        `INSERT INTO petition_case (caseNumber, title, demandSummary, category, petitionerName, petitionerIdNumber, petitionerPhone, petitionerDistrict, petitionerTownship,
          handlingResult, handlingDate, satisfaction, agentName, agentKind, agentPhone, eligible, ineligibleReason, status, registeredAt, registeredBy, updatedAt)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'registered',?,NULL,?)`,
        [c.caseNumber, c.title, c.demand, c.category, p.name, p.idNumber, p.phone, c.district ?? p.district, c.township ?? p.township,
          c.result, c.resultDate, c.satisfaction, c.agent?.name ?? null, c.agent?.kind ?? null, c.agent?.phone ?? null,
          c.ineligibleReason ? 0 : 1, c.ineligibleReason ?? null, now - (10 - i) * day, now - (10 - i) * day],
      );
      for (const name of c.departments) await m.query(`INSERT INTO case_department (caseId, departmentId) VALUES (?, ?)`, [caseId, departmentIds.get(name)!]);
      for (const [date, level, channel] of c.history) await m.query(`INSERT INTO petition_record (caseId, date, level, channel) VALUES (?,?,?,?)`, [caseId, date, level, channel]);
      await m.query(`INSERT INTO case_event (caseId, at, fromStatus, toStatus, note, actorName) VALUES (?, ?, NULL, 'registered', ?, '演示数据')`, [caseId, now - (10 - i) * day, c.ineligibleReason ? `登记不符合条件的案件，原因：${c.ineligibleReason}` : '登记案件']);
    }
    await audit.record(m, actor, {
      action: 'demo.seeded',
      entityType: 'system',
      summary: `载入演示数据：${DEPARTMENTS.length}个责任单位，${people.length}名评价员，${applicants.length}份待审核申请，${DEMO_CASES.length}起案件，${DEMO_ACCOUNTS.length}个演示账户`,
    });
  });
  return { seeded: true, evaluators: people.length };
}
