/**
 * The columns of the office's Excel list, by header text. The first name of each is the
 * one written in exports and the template; the others are accepted on import.
 */
export const IMPORT_COLUMNS = [
  { field: 'name', headers: ['姓名'], required: true },
  { field: 'gender', headers: ['性别'], required: true },
  { field: 'birthYear', headers: ['出生年份', '出生年'], required: true },
  { field: 'phone', headers: ['手机号码', '手机号', '手机', '联系电话'], required: true },
  { field: 'idNumber', headers: ['身份证号', '身份证号码', '公民身份号码'], required: true },
  { field: 'employer', headers: ['工作单位', '单位'], required: true },
  { field: 'title', headers: ['职务/职称', '职务', '职称'], required: false },
  { field: 'category', headers: ['人员类别', '类别'], required: true },
  { field: 'expertise', headers: ['专业领域', '擅长领域'], required: true },
  { field: 'district', headers: ['所在区县', '区县'], required: true },
  { field: 'township', headers: ['乡镇/街道', '乡镇街道', '街道'], required: false },
  { field: 'bio', headers: ['个人简介', '简介'], required: false },
] as const;

export type ImportField = (typeof IMPORT_COLUMNS)[number]['field'];

/** Maps a header row to field → column index; reports required columns that are missing. */
export function mapHeaders(headers: string[]): { columns: Partial<Record<ImportField, number>>; missing: string[] } {
  const normalized = headers.map((h) => h.replace(/\s+/g, '').replace(/[（(].*[)）]$/, ''));
  const columns: Partial<Record<ImportField, number>> = {};
  const missing: string[] = [];
  for (const column of IMPORT_COLUMNS) {
    const index = normalized.findIndex((h) => (column.headers as readonly string[]).includes(h));
    if (index >= 0) columns[column.field] = index;
    else if (column.required) missing.push(column.headers[0]);
  }
  return { columns, missing };
}
