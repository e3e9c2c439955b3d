import { parse } from 'csv-parse/sync';
import { Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DomainError } from '../common/domain-error';
import { fill, zhCN } from '../common/i18n/zh-CN';

/** A sheet as rows of trimmed strings; row 0 is the header. */
export type Sheet = string[][];

const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Reads an uploaded .xlsx or .csv, deciding by content rather than by the file name. */
export async function readSheet(buffer: Buffer, fileName: string, maxRows: number): Promise<Sheet> {
  if (buffer.subarray(0, 4).equals(XLSX_MAGIC)) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    } catch (error) {
      logger.warn(`unreadable .xlsx ${fileName}: ${(error as Error).message}`);
      throw new DomainError('validation', zhCN.import.unreadableXlsx);
    }
    return sheetRows(workbook, maxRows);
  }
  if (/\.csv$/i.test(fileName) || !buffer.includes(0)) {
    try {
      return readCsv(buffer, maxRows);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      logger.warn(`unreadable .csv ${fileName}: ${(error as Error).message}`);
      throw new DomainError('validation', zhCN.import.unreadableCsv);
    }
  }
  throw new DomainError('unsupported_media', zhCN.import.unsupportedType);
}

export const MAX_COLUMNS = 60;
const logger = new Logger('Import');

/**
 * The first worksheet as text rows. The size is checked before any cell is read: a small
 * file can declare a cell at row 1,048,576, and walking to it would stall the service.
 */
function sheetRows(workbook: ExcelJS.Workbook, maxRows: number): Sheet {
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  if (sheet.columnCount > MAX_COLUMNS) throw new DomainError('validation', fill(zhCN.import.tooWide, { max: MAX_COLUMNS }));
  // rowCount is the last row any cell claims, however empty the rows before it.
  if (sheet.rowCount > maxRows + 1) throw new DomainError('validation', fill(zhCN.import.tooManyRows, { max: maxRows }));
  const width = sheet.columnCount;
  const rows: Sheet = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const values: string[] = [];
    for (let c = 1; c <= width; c++) values.push(cellText(row.getCell(c)));
    // Keep Excel's row numbers: the report says "第17行" for row 17 even after blank rows.
    rows[number - 1] = values;
  });
  return Array.from(rows, (r) => r ?? []);
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  // Long digit strings typed as numbers lose digits in Excel; keep what is there so the ID check reports it.
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  return (cell.text ?? '').trim();
}

function readCsv(buffer: Buffer, maxRows: number): Sheet {
  // Excel saves CSV as UTF-8 with a BOM, or GB18030 on Chinese Windows.
  let text = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
  if (text.includes('\uFFFD')) text = new TextDecoder('gb18030').decode(buffer);
  const records: string[][] = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, trim: true, to: maxRows + 2 });
  if (records.length > maxRows + 1) throw new DomainError('validation', fill(zhCN.import.tooManyRows, { max: maxRows }));
  if (records.some((r) => r.length > MAX_COLUMNS)) throw new DomainError('validation', fill(zhCN.import.tooWide, { max: MAX_COLUMNS }));
  return records;
}

/**
 * An .xlsx with a header row and the given rows. `textColumns` (1-based) are formatted as text,
 * so Excel keeps ID numbers and phones whole instead of turning them into 4.11E+17.
 */
export async function writeSheet(title: string, header: string[], rows: (string | number)[][], textColumns: number[] = []): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Tianping';
  const sheet = workbook.addWorksheet(title);
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.columns.forEach((column) => (column.width = 16));
  for (const column of textColumns) sheet.getColumn(column).numFmt = '@';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
