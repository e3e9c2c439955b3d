import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createApp } from '../src/bootstrap';
import { systemActor } from '../src/common/actor';
import { loadConfig } from '../src/config/app-config';
import { rawConnection } from '../src/database/raw-rows';
import { drawPanel } from '../src/draws/domain/draw-panel';
import { DEFAULT_RULES, DrawRules } from '../src/draws/domain/draw-rules';
import { emptyEligibleList } from '../src/draws/domain/eligible-list';
import { Sha256Stream } from '../src/draws/domain/random-stream';
import { DrawsService } from '../src/draws/draws.service';
import { CATEGORIES, EXPERTISE_AREAS } from '../src/pool/domain/categories';
import { idCheckChar } from '../src/pool/domain/id-number';
import { median } from './support';

const SIZES = (process.env.BENCH_SIZES ?? '400,10000,100000,1000000').split(',').map(Number);
const SERVICE_RUNS: Record<number, number> = { 400: 30, 10000: 20, 100000: 10, 1000000: 3 };
/** All rules on: quotas, government cap, expertise and served-less preferences. */
const RULES: DrawRules = { ...DEFAULT_RULES, preferServedLess: true, expertiseWeight: 2 };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const round = (ms: number) => Math.round(ms * 100) / 100;

/** The draw function alone, on an eligible list of n built in memory. */
function benchDrawFunction(n: number): number {
  const list = emptyEligibleList(n);
  for (let i = 0; i < n; i++) {
    list.ids[i] = i + 1;
    list.categories[i] = i % CATEGORIES.length;
    list.matches[i] = i % 5 === 0 ? 1 : 0;
    list.served[i] = i % 7;
  }
  const times: number[] = [];
  for (let run = 0; run < 40; run++) {
    const seed = createHash('sha256').update(`bench-${run}`).digest();
    const t0 = performance.now();
    drawPanel(list, RULES, new Sha256Stream(seed));
    times.push(performance.now() - t0);
  }
  return median(times.slice(5));
}

/** n evaluators over the nine categories, some tied to a department or living in the petitioner's street. */
function fillPool(dataSource: DataSource, n: number): void {
  const db = rawConnection(dataSource);
  const insert = db.prepare(`INSERT INTO evaluator (name, gender, birthYear, phone, idNumber, employer, employerDepartmentId, title, category, expertise, district, township, bio, status, source, joinedAt, updatedAt)
    VALUES (?, 'male', 1970, ?, ?, '某单位', ?, '', ?, ?, ?, ?, '', ?, 'demo', 0, 0)`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const first17 = `41140219700101${String(i % 1000).padStart(3, '0')}`;
      insert.run(`评价员${i}`, `138${String(i).padStart(8, '0')}`, `${first17}${idCheckChar(first17)}-${i}`,
        i % 97 === 0 ? 1 : null, CATEGORIES[i % CATEGORIES.length], `${EXPERTISE_AREAS[i % 8]},${EXPERTISE_AREAS[(i + 3) % 8]}`,
        i % 50 === 0 ? '梁园区' : '睢阳区', i % 50 === 0 ? '平原街道' : '文化街道', i % 61 === 0 ? 'suspended' : 'active');
    }
  })();
}

async function benchService(n: number, runs: number): Promise<number[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-draw-bench-'));
  const config = loadConfig({ DATA_DIR: dir, DATABASE_PATH: path.join(dir, 'bench.sqlite'), LOG_LEVEL: 'error' });
  const app = await createApp(config, { logger: ['error'] });
  await app.init();
  try {
    const dataSource = app.get(DataSource);
    const draws = app.get(DrawsService);
    await dataSource.query(`INSERT INTO department (name, kind, sortOrder) VALUES ('市住房和城乡建设局', 'municipal', 0)`);
    fillPool(dataSource, n);
    const actor = systemActor('基准测试');
    const times: number[] = [];
    for (let run = 0; run < runs + 1; run++) {
      const caseId = Number(await dataSource.query(
        `INSERT INTO petition_case (caseNumber, title, demandSummary, category, petitionerName, petitionerIdNumber, petitionerPhone, petitionerDistrict, petitionerTownship,
          handlingResult, handlingDate, satisfaction, eligible, status, registeredAt, updatedAt)
         VALUES (?, '基准', '基准', '征地拆迁', '信访人', '41140219600101001X', '13600000000', '梁园区', '平原街道', '维持', '2025-01-01', 'dissatisfied', 1, 'registered', 0, 0)`,
        [`BENCH-${run}`],
      ));
      await dataSource.query(`INSERT INTO case_department (caseId, departmentId) VALUES (?, 1)`, [caseId]);
      const t0 = performance.now();
      const draw = await draws.commit(caseId, { preferServedLess: true }, actor);
      await draws.witness(draw.id, { witnessName: '基准', witnessRole: '基准', witnessInput: `${run} 4 2` }, actor);
      const elapsed = performance.now() - t0;
      if (run > 0) times.push(elapsed); // the first run warms caches and JIT
    }
    return times;
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const drawMedian: Record<string, number> = {};
  const serviceMedian: Record<string, number> = {};
  const serviceP99: Record<string, number> = {};
  for (const n of SIZES) {
    drawMedian[n] = round(benchDrawFunction(n));
    const times = await benchService(n, SERVICE_RUNS[n] ?? 5);
    serviceMedian[n] = round(median(times));
    serviceP99[n] = round(percentile(times, 99));
    console.log(`pool ${n}: draw function ${drawMedian[n]} ms (median), whole draw ${serviceMedian[n]} ms (median of ${times.length}), p99 ${serviceP99[n]} ms`);
  }
  console.log(JSON.stringify({ draw_median_ms: drawMedian, service_median_ms: serviceMedian, service_p99_ms: serviceP99 }));
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
