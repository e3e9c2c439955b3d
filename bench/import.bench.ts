import ExcelJS from 'exceljs';
import { performance } from 'node:perf_hooks';
import { DEMO_PASSWORD } from '../src/demo/seed-demo';
import { CATEGORIES, CATEGORY_LABELS, EXPERTISE_AREAS } from '../src/pool/domain/categories';
import { idCheckChar } from '../src/pool/domain/id-number';
import { IMPORT_COLUMNS } from '../src/pool/domain/import-columns';
import { login, startServer } from './support';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);

/** A 10,000-row list as the office would keep it in Excel, every row valid. */
async function buildWorkbook(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  sheet.addRow(IMPORT_COLUMNS.map((c) => c.headers[0]));
  for (let i = 0; i < rows; i++) {
    const year = 1950 + (i % 50);
    const male = i % 2 === 0;
    const seq = String(((Math.floor(i / 100) % 500) * 2) + (male ? 1 : 0)).padStart(3, '0');
    const first17 = `4114${String(10 + (i % 90)).padStart(2, '0')}${year}${String((i % 12) + 1).padStart(2, '0')}${String((Math.floor(i / 12) % 28) + 1).padStart(2, '0')}${seq}`;
    const category = CATEGORIES[i % CATEGORIES.length];
    sheet.addRow([
      `评价员${i}`, male ? '男' : '女', year, `138${String(i).padStart(8, '0')}`, first17 + idCheckChar(first17),
      `单位${i % 300}`, '职员', CATEGORY_LABELS[category], `${EXPERTISE_AREAS[i % 8]}、${EXPERTISE_AREAS[(i + 3) % 8]}`, '梁园区', '平原街道', '批量导入基准测试',
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function main(): Promise<void> {
  const file = await buildWorkbook(ROWS);
  const server = await startServer({ seedDemo: true });
  try {
    const { cookie, csrfToken } = await login(server.url, 'staff', DEMO_PASSWORD);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)]), 'bench.xlsx');
    const t0 = performance.now();
    const preview = await fetch(`${server.url}/api/pool/import`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken }, body: form });
    const report = (await preview.json()) as { id: number; validRows: number; totalRows: number };
    const t1 = performance.now();
    const confirm = await fetch(`${server.url}/api/pool/import/${report.id}/confirm`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    const result = (await confirm.json()) as { imported: number };
    const t2 = performance.now();
    if (report.validRows !== ROWS || result.imported !== ROWS) throw new Error(`expected ${ROWS} rows, got ${JSON.stringify({ report, result })}`);
    const figures = {
      rows: ROWS,
      file_kib: Math.round(file.length / 1024),
      preview_ms: Math.round(t1 - t0),
      confirm_ms: Math.round(t2 - t1),
      total_ms: Math.round(t2 - t0),
      rows_per_s: Math.round(ROWS / ((t2 - t0) / 1000)),
    };
    console.log(`import of ${ROWS} rows: preview (parse + check every row) ${figures.preview_ms} ms, confirm (one transaction) ${figures.confirm_ms} ms`);
    console.log(JSON.stringify(figures));
  } finally {
    await server.stop();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
