import { idCheckChar } from '../../src/pool/domain/id-number';

let counter = 0;

/** A valid ID number, unique within the test run, for a person born in `year`. */
export function validIdNumber(year = 1970, gender: 'male' | 'female' = 'male'): string {
  counter += 1;
  const seq = (counter % 450) * 2 + (gender === 'male' ? 1 : 0);
  const month = String((Math.floor(counter / 450) % 12) + 1).padStart(2, '0');
  const first17 = `411402${year}${month}15${String(seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** A complete, valid application body. */
export function applicationBody(overrides: Record<string, unknown> = {}) {
  return {
    name: '测试申请人',
    gender: 'male',
    birthYear: 1970,
    phone: '13937012345',
    idNumber: validIdNumber(1970, 'male'),
    employer: '河南测试律师事务所',
    title: '律师',
    category: 'lawyer',
    expertise: ['征地拆迁', '涉法涉诉'],
    district: '梁园区',
    township: '平原街道',
    bio: '执业十五年',
    consent: true,
    ...overrides,
  };
}

/** An .xlsx like the office's own list: a header row and the given rows. */
export async function xlsxOf(header: string[], rows: (string | number)[][]): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const IMPORT_HEADER = ['姓名', '性别', '出生年份', '手机号码', '身份证号', '工作单位', '职务/职称', '人员类别', '专业领域', '所在区县', '乡镇/街道', '个人简介'];

let phoneCounter = 0;

/** A valid import row (Chinese labels, as typed in Excel); each with a phone number of its own. */
export function importRow(name: string, overrides: Partial<Record<'gender' | 'idNumber' | 'category' | 'phone' | 'birthYear', string>> = {}): (string | number)[] {
  const gender = overrides.gender ?? '男';
  return [name, gender, overrides.birthYear ?? 1965, overrides.phone ?? `13837${String(++phoneCounter).padStart(6, '0')}`, overrides.idNumber ?? validIdNumber(1965, gender === '男' ? 'male' : 'female'),
    '商丘师范学院', '教授', overrides.category ?? '知名学者', '涉法涉诉、教育', '睢阳区', '文化街道', '法学教授'];
}

let caseCounter = 0;

/** A complete, eligible case registration body (petitioner dissatisfied). */
export function caseBody(overrides: Record<string, unknown> = {}) {
  caseCounter += 1;
  return {
    caseNumber: `TEST-${caseCounter}`,
    title: '某小区拆迁安置补偿争议',
    demandSummary: '要求按原标准重新核定安置面积',
    category: '征地拆迁',
    petitionerName: '测试信访人',
    petitionerIdNumber: validIdNumber(1960, 'male'),
    petitionerPhone: '13600000000',
    petitionerDistrict: '梁园区',
    petitionerTownship: '平原街道',
    departmentIds: [3],
    history: [
      { date: '2025-03-01', level: 'city', channel: 'visit' },
      { date: '2025-06-01', level: 'province', channel: 'letter' },
    ],
    handlingResult: '经复查，维持原处理意见',
    handlingDate: '2025-09-01',
    satisfaction: 'dissatisfied',
    ...overrides,
  };
}

/** A meeting time a week from now (meetings cannot be scheduled in the past). */
export function meetingTime(daysAhead = 7): string {
  return `${new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10)}T09:30`;
}
