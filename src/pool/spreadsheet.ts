import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DomainError } from '../common/domain-error';
import { fill, zhCN } from '../common/i18n/zh-CN';

/** A sheet as rows of trimmed strings; row 0 is the header. */
export type Sheet = string[][];

const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Reads an uploaded .xlsx or .csv, deciding by content rather than by the file name. */
export async function readSheet(buffer: Buffer, fileName: string): Promise<Sheet> {
  try {
    if (buffer.subarray(0, 4).equals(XLSX_MAGIC)) return await readXlsx(buffer);
    if (/\.csv$/i.test(fileName) || !buffer.includes(0)) return readCsv(buffer);
  } catch (error) {
    throw new DomainError('validation', fill(zhCN.import.unreadable, { detail: (error as Error).message.slice(0, 120) }));
  }
  throw new DomainError('unsupported_media', zhCN.import.unsupportedType);
}

async function readXlsx(buffer: Buffer): Promise<Sheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: Sheet = [];
  const width = sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const values: string[] = [];
    for (let c = 1; c <= width; c++) values.push(cellText(row.getCell(c)));
    rows.push(values);
  }
  return rows;
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  // Long digit strings typed as numbers lose digits in Excel; keep what is there so the ID check reports it.
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  return (cell.text ?? '').trim();
}

function readCsv(buffer: Buffer): Sheet {
  // Excel saves CSV as UTF-8 with a BOM, or GB18030 on Chinese Windows.
  let text = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
  if (text.includes('\uFFFD')) text = new TextDecoder('gb18030').decode(buffer);
  const records: string[][] = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  return records;
}

/** An .xlsx with a header row and the given rows. */
export async function writeSheet(title: string, header: string[], rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Tianping';
  const sheet = workbook.addWorksheet(title);
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.columns.forEach((column) => (column.width = 16));
  // ID numbers and phones as text, so Excel does not turn them into 4.11E+17.
  sheet.getColumn(4).numFmt = '@';
  sheet.getColumn(5).numFmt = '@';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
