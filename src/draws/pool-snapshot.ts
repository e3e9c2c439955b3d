import { DataSource } from 'typeorm';
import { rawRows } from '../database/raw-rows';
import { Category } from '../pool/domain/categories';
import { DeclaredConflict, PoolMember, ScreeningFacts } from './domain/screen';

/**
 * Reads what screening needs about the whole pool in a few set-based queries: one pass over
 * the evaluators, one over accepted panel seats, one over declarations — never per member.
 */
export function loadPoolForScreening(
  dataSource: DataSource,
  caseId: number,
  petitionerIdNumber: string,
  yearStartMs: number,
): { pool: PoolMember[]; facts: Omit<ScreeningFacts, 'year' | 'departmentNames'> } {
  const served = new Map<number, [number, number]>();
  for (const [id, total, thisYear] of rawRows<[number, number, number]>(
    dataSource,
    `SELECT evaluatorId, COUNT(*), SUM(CASE WHEN invitedAt >= ? THEN 1 ELSE 0 END) FROM panel_member WHERE state = 'accepted' GROUP BY evaluatorId`,
    [yearStartMs],
  )) {
    served.set(id, [total, thisYear]);
  }
  const pool = rawRows<[number, Category, PoolMember['status'], number | null, string, string, string]>(
    dataSource,
    `SELECT id, category, status, employerDepartmentId, district, township, expertise FROM evaluator ORDER BY id`,
  ).map(([id, category, status, employerDepartmentId, district, township, expertise]) => {
    const [servedTotal, servedThisYear] = served.get(id) ?? [0, 0];
    return { id, category, status, employerDepartmentId, district, township, expertise: expertise ? expertise.split(',') : [], servedTotal, servedThisYear };
  });
  const conflicts: DeclaredConflict[] = rawRows<[number, DeclaredConflict['kind'], number | null, number | null, string | null]>(
    dataSource,
    `SELECT evaluatorId, kind, departmentId, untilYear, personIdNumber FROM conflict_declaration WHERE withdrawnAt IS NULL`,
  ).map(([evaluatorId, kind, departmentId, untilYear, personIdNumber]) => ({ evaluatorId, kind, departmentId, untilYear, personIdNumber }));
  const servedSamePetitioner = new Set(
    rawRows<[number]>(
      dataSource,
      `SELECT DISTINCT pm.evaluatorId FROM panel_member pm JOIN panel p ON p.id = pm.panelId JOIN petition_case c ON c.id = p.caseId
       WHERE c.petitionerIdNumber = ? AND c.id <> ? AND pm.state = 'accepted'`,
      [petitionerIdNumber, caseId],
    ).map(([id]) => id),
  );
  const officeExclusions = new Map(rawRows<[number, string]>(dataSource, `SELECT evaluatorId, reason FROM case_exclusion WHERE caseId = ?`, [caseId]));
  return { pool, facts: { conflicts, servedSamePetitioner, officeExclusions } };
}
