import { DataSource } from 'typeorm';
import { dataSourceOf, Executor, rawRows } from '../database/raw-rows';
import { CATEGORIES, Category } from '../pool/domain/categories';
import { DeclaredConflict, PoolMember, ScreeningFacts } from './domain/screen';

const STATUSES: PoolMember['status'][] = ['active', 'suspended', 'retired'];

/** The case-independent part of the pool, kept between draws while the evaluator table is unchanged. */
interface PoolColumns {
  generation: number;
  ids: Int32Array;
  categories: Uint8Array;
  statuses: Uint8Array;
  employers: Int32Array;
  locations: string[];
  expertise: string[];
}

const cached = new WeakMap<DataSource, PoolColumns>();

/**
 * Reading 100,000 members with their text columns costs ~100 ms, more than the rest of a
 * draw; the pool changes far less often than draws happen. A trigger-maintained generation
 * (migration PoolGeneration) says when the copy in memory is stale.
 */
async function poolColumns(db: Executor): Promise<PoolColumns> {
  const dataSource = dataSourceOf(db);
  const [[generation]] = await rawRows<[number]>(db, `SELECT generation FROM pool_generation WHERE id = 1`);
  const hit = cached.get(dataSource);
  if (hit && hit.generation === generation) return hit;
  const rows = await rawRows<[number, Category, string, number | null, string, string, string]>(
    db,
    `SELECT id, category, status, employerDepartmentId, district, township, expertise FROM evaluator ORDER BY id`,
  );
  const n = rows.length;
  const columns: PoolColumns = {
    generation, ids: new Int32Array(n), categories: new Uint8Array(n), statuses: new Uint8Array(n), employers: new Int32Array(n),
    locations: new Array(n), expertise: new Array(n),
  };
  const categoryIndex = new Map(CATEGORIES.map((c, i) => [c, i]));
  rows.forEach(([id, category, status, employer, district, township, expertise], i) => {
    columns.ids[i] = id;
    columns.categories[i] = categoryIndex.get(category)!;
    columns.statuses[i] = STATUSES.indexOf(status as PoolMember['status']);
    columns.employers[i] = employer ?? 0;
    columns.locations[i] = `${district}|${township}`;
    columns.expertise[i] = expertise;
  });
  cached.set(dataSource, columns);
  return columns;
}

/**
 * What screening needs about the whole pool, in a few set-based queries: the members (from
 * the cached columns), accepted seats, declarations, this petitioner's earlier panels and
 * the office's exclusions — never one query per member.
 */
export async function loadPoolForScreening(
  db: Executor,
  kase: { id: number; category: string; petitionerIdNumber: string; district: string; township: string },
  yearStartMs: number,
): Promise<{ pool: PoolMember[]; facts: Omit<ScreeningFacts, 'year' | 'departmentNames'> }> {
  const served = new Map<number, [number, number]>();
  for (const [id, total, thisYear] of await rawRows<[number, number, number]>(
    db,
    `SELECT evaluatorId, COUNT(*), SUM(CASE WHEN invitedAt >= ? THEN 1 ELSE 0 END) FROM panel_member WHERE state = 'accepted' GROUP BY evaluatorId`,
    [yearStartMs],
  )) {
    served.set(id, [total, thisYear]);
  }
  const columns = await poolColumns(db);
  const location = `${kase.district}|${kase.township}`;
  const pool: PoolMember[] = new Array(columns.ids.length);
  for (let i = 0; i < columns.ids.length; i++) {
    const id = columns.ids[i];
    const [servedTotal, servedThisYear] = served.get(id) ?? [0, 0];
    pool[i] = {
      id,
      category: CATEGORIES[columns.categories[i]],
      status: STATUSES[columns.statuses[i]],
      employerDepartmentId: columns.employers[i] || null,
      sameTownship: columns.locations[i] === location,
      // Expertise areas are a closed vocabulary in which no name contains another.
      expertiseMatch: columns.expertise[i].includes(kase.category),
      servedTotal,
      servedThisYear,
    };
  }
  const conflicts: DeclaredConflict[] = (await rawRows<[number, DeclaredConflict['kind'], number | null, number | null, string | null]>(
    db,
    `SELECT evaluatorId, kind, departmentId, untilYear, personIdNumber FROM conflict_declaration WHERE withdrawnAt IS NULL`,
  )).map(([evaluatorId, kind, departmentId, untilYear, personIdNumber]) => ({ evaluatorId, kind, departmentId, untilYear, personIdNumber }));
  const servedSamePetitioner = new Set(
    (await rawRows<[number]>(
      db,
      `SELECT DISTINCT pm.evaluatorId FROM panel_member pm JOIN panel p ON p.id = pm.panelId JOIN petition_case c ON c.id = p.caseId
       WHERE c.petitionerIdNumber = ? AND c.id <> ? AND pm.state = 'accepted'`,
      [kase.petitionerIdNumber, kase.id],
    )).map(([id]) => id),
  );
  const officeExclusions = new Map(await rawRows<[number, string]>(db, `SELECT evaluatorId, reason FROM case_exclusion WHERE caseId = ?`, [kase.id]));
  return { pool, facts: { conflicts, servedSamePetitioner, officeExclusions } };
}
