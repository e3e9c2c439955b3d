import ExcelJS from 'exceljs';
import { Evaluator } from '../../src/pool/evaluator.entity';
import { binary } from '../support/binary';
import { createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { IMPORT_HEADER, importRow, validIdNumber, xlsxOf } from '../support/factories';

describe('bulk import and export of the pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const evaluators = () => t.dataSource.getRepository(Evaluator);

  it('previews an .xlsx row by row, imports nothing until confirmed, then imports the valid rows in one go', async () => {
    const existing = await evaluators().findOneByOrFail({ id: 1 });
    const good = validIdNumber(1965, 'male');
    const badDigit = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const dup = validIdNumber(1965, 'female');
    const file = await xlsxOf(IMPORT_HEADER, [
      importRow('导入甲', { phone: '13837099999' }), // row 2
      importRow('校验位错', { idNumber: badDigit }), // row 3
      importRow('导入乙', { idNumber: dup, gender: '女' }), // row 4
      importRow('重复者', { idNumber: dup, gender: '女' }), // row 5: same ID as row 4
      importRow('类别错', { category: '法官' }), // row 6
      importRow('已在库', { idNumber: existing.idNumber, gender: existing.gender === 'male' ? '男' : '女', birthYear: String(existing.birthYear) }), // row 7
      importRow('手机错', { phone: '1234' }), // row 8
      importRow('同号者', { phone: '13837099999' }), // row 9: row 2's phone
      importRow('库中号', { phone: existing.phone }), // row 10: a phone already in the pool
    ]);
    const before = await evaluators().count();
    const staff = await loginAs(t, 'staff');
    const res = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken).attach('file', file, '评价员名单.xlsx');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ totalRows: 9, validRows: 2, invalidRows: 7, status: 'preview' });
    const byRow = Object.fromEntries(res.body.problems.map((p: { row: number; message: string }) => [p.row, p.message]));
    expect(byRow).toEqual({
      3: '身份证号校验位错误',
      5: '与第4行的身份证号重复',
      6: '人员类别不在可选范围内',
      7: '该身份证号已在人才库中',
      8: '手机号码应为11位，以13–19开头',
      9: '与第2行的手机号码重复',
      10: '该手机号码已登记在人才库中的其他评价员名下',
    });
    expect(await evaluators().count()).toBe(before);

    const page = await staff.get(`/pool/import/${res.body.id}`);
    expect(page.text).toContain('第3行');
    expect(page.text).toContain('身份证号校验位错误');

    const confirmed = await staff.post(`/api/pool/import/${res.body.id}/confirm`).set('x-csrf-token', staff.csrfToken);
    expect(confirmed.body).toEqual({ imported: 2, skipped: 0 });
    expect(await evaluators().count()).toBe(before + 2);
    expect(await evaluators().findOneBy({ name: '导入乙' })).toMatchObject({ category: 'scholar', gender: 'female', source: 'import', status: 'active' });
    expect((await staff.post(`/api/pool/import/${res.body.id}/confirm`).set('x-csrf-token', staff.csrfToken)).status).toBe(409);
  });

  it('skips the template’s example row, saying why', async () => {
    const staff = await loginAs(t, 'staff');
    const template = await staff.get('/pool/import/template.xlsx').buffer(true).parse(binary);
    const res = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken).attach('file', template.body, '评价员名单.xlsx');
    expect(res.body).toMatchObject({ totalRows: 1, validRows: 0, invalidRows: 1 });
    expect(res.body.problems[0].message).toBe('这是模板中的示例行，不会导入；请删除后填写真实人员');
  });

  it('links an employer named like a responsible department to it, for avoidance in draws', async () => {
    const staff = await loginAs(t, 'staff');
    const row = importRow('民政干部');
    row[5] = '市民政局';
    const res = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken).attach('file', await xlsxOf(IMPORT_HEADER, [row]), 'x.xlsx');
    await staff.post(`/api/pool/import/${res.body.id}/confirm`).set('x-csrf-token', staff.csrfToken).expect(200);
    const imported = await evaluators().findOneByOrFail({ name: '民政干部' });
    const department = await t.dataSource.query(`SELECT id FROM department WHERE name = '市民政局'`);
    expect(imported.employerDepartmentId).toBe(department[0].id);
  });

  it('reads a CSV saved by Excel (UTF-8 with BOM) and names missing columns', async () => {
    const staff = await loginAs(t, 'staff');
    const csv = '\uFEFF' + [IMPORT_HEADER.join(','), importRow('CSV导入').join(',')].join('\r\n');
    const res = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken).attach('file', Buffer.from(csv), 'list.csv');
    expect(res.body).toMatchObject({ totalRows: 1, validRows: 1 });
    const missing = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken).attach('file', Buffer.from('姓名,性别\n张三,男\n'), 'short.csv');
    expect(missing.status).toBe(422);
    expect(missing.body.message).toBe('表头缺少必需的列：出生年份、手机号码、身份证号、工作单位、人员类别、专业领域、所在区县');
  });

  it('refuses a file that is neither .xlsx nor text', async () => {
    const staff = await loginAs(t, 'staff');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const res = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken).attach('file', png, 'list.xlsx');
    expect(res.status).toBe(415);
    expect(res.body.message).toBe('只支持 .xlsx 或 .csv 文件');
    // Text that is no list at all (a wrong file renamed .csv), and an empty file, are told apart.
    const other = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken).attach('file', Buffer.from('%PDF-1.7 会议纪要\n第二行\n'), 'list.csv');
    expect(other.body.message).toMatch(/^文件中找不到评价员名单的表头/);
    const empty = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken).attach('file', Buffer.alloc(0), 'list.csv');
    expect(empty.body.fields).toEqual({ file: '上传的文件是空的（0字节），请重新选择文件' });
  });

  it('the upload page shows the problem again instead of an error page', async () => {
    const staff = await loginAs(t, 'staff');
    const res = await staff.post('/pool/import').field('_csrf', staff.csrfToken).attach('file', Buffer.from('姓名\n张三\n'), 'x.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('表头缺少必需的列');
    expect(res.text).toContain('上传并检查');
  });

  it('exports the pool to .xlsx with ID numbers and phones masked', async () => {
    const staff = await loginAs(t, 'staff');
    const res = await staff.get('/pool/export.xlsx').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('姓名');
    expect(sheet.rowCount - 1).toBe(await evaluators().count());
    const first = await evaluators().findOneByOrFail({ id: 1 });
    expect(sheet.getRow(2).getCell(5).value).toBe(first.idNumber.slice(0, 3) + '***********' + first.idNumber.slice(-4));
  });
});
