import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { fill, zhCN } from '../common/i18n/zh-CN';
import { maskIdentifier } from '../common/masking';
import { checkAs } from '../common/validation';
import { rawInsert, rawRun } from '../database/raw-rows';
import { UnitOfWork } from '../database/unit-of-work';
import { CATEGORY_LABELS } from './domain/categories';
import { idCheckChar } from './domain/id-number';
import { IMPORT_COLUMNS, ImportField, mapHeaders } from './domain/import-columns';
import { EvaluatorFieldsDto } from './dto/evaluator-fields.dto';
import { Department } from '../departments/department.entity';
import { Evaluator } from './evaluator.entity';
import { ImportBatch } from './import-batch.entity';
import { readSheet, writeSheet } from './spreadsheet';

export const MAX_IMPORT_ROWS = 20000;
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export interface ImportProblem {
  row: number;
  field: string;
  label: string;
  message: string;
}

type ImportRow = Omit<EvaluatorFieldsDto, 'expertise'> & { expertise: string; row: number };

/** Bulk import of the office's Excel/CSV list: check every row, import nothing until confirmed. */
/** The template's example row: its ID number is refused on import, so an office that fills in rows below it does not add him. */
const SAMPLE_ROW = ['王建国', '男', 1962, '13937012345', '41140219620315123' + idCheckChar('41140219620315123'), '商丘市某律师事务所', '律师', '律师', '征地拆迁、涉法涉诉', '梁园区', '平原街道', '执业二十年（示例行，导入时会被跳过）'];

@Injectable()
export class ImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async preview(file: { buffer: Buffer; originalname: string } | undefined, actor: Actor): Promise<ImportBatch> {
    if (!file) throw new DomainError('validation', zhCN.import.noFile, { file: zhCN.import.noFile });
    if (file.buffer.length === 0) throw new DomainError('validation', zhCN.import.emptyFile, { file: zhCN.import.emptyFile });
    if (file.buffer.length > MAX_IMPORT_BYTES) throw new DomainError('payload_too_large', '导入文件不能超过 10 MB');
    const sheet = await readSheet(file.buffer, file.originalname, MAX_IMPORT_ROWS);
    const [header = [], ...body] = sheet;
    const { columns, missing } = mapHeaders(header);
    // Not one of the list's columns: another kind of file (a PDF renamed, a different table).
    if (Object.keys(columns).length === 0) throw new DomainError('validation', zhCN.import.noHeader);
    if (missing.length) throw new DomainError('validation', fill(zhCN.import.missingColumns, { columns: missing.join('、') }));
    const dataRows = body.map((cells, i) => ({ cells, row: i + 2 })).filter(({ cells }) => cells.some((c) => c !== ''));
    if (dataRows.length === 0) throw new DomainError('validation', zhCN.import.empty);
    if (dataRows.length > MAX_IMPORT_ROWS) throw new DomainError('validation', fill(zhCN.import.tooManyRows, { max: MAX_IMPORT_ROWS }));

    const inPool: { idNumber: string; phone: string }[] = await this.dataSource.query('SELECT idNumber, phone FROM evaluator');
    const existing = new Set(inPool.map((r) => r.idNumber));
    const phonesInPool = new Set(inPool.map((r) => r.phone));
    const firstRowOf = new Map<string, number>();
    const firstRowOfPhone = new Map<string, number>();
    const problems: ImportProblem[] = [];
    const valid: ImportRow[] = [];
    for (const { cells, row } of dataRows) {
      const raw: Record<string, string> = {};
      for (const [field, index] of Object.entries(columns) as [ImportField, number][]) raw[field] = cells[index] ?? '';
      // Extra columns in the office's sheet are ignored, not refused.
      const { value: dto, fields: errors } = checkAs(EvaluatorFieldsDto, raw, false);
      const rowProblems = Object.entries(errors).map(([field, message]) => ({ row, field, label: zhCN.fields[field] ?? field, message }));
      if (rowProblems.length === 0) {
        const earlier = firstRowOf.get(dto.idNumber);
        const earlierPhone = firstRowOfPhone.get(dto.phone);
        if (dto.idNumber === SAMPLE_ROW[4]) rowProblems.push({ row, field: 'idNumber', label: zhCN.fields.idNumber, message: zhCN.import.sampleRow });
        else if (earlier) rowProblems.push({ row, field: 'idNumber', label: zhCN.fields.idNumber, message: fill(zhCN.import.duplicateInFile, { row: earlier }) });
        else if (existing.has(dto.idNumber)) rowProblems.push({ row, field: 'idNumber', label: zhCN.fields.idNumber, message: zhCN.pool.alreadyInPool });
        // A phone number finds one person (the pool's look-up, log-in help): never two.
        else if (earlierPhone) rowProblems.push({ row, field: 'phone', label: zhCN.fields.phone, message: fill(zhCN.import.duplicatePhoneInFile, { row: earlierPhone }) });
        else if (phonesInPool.has(dto.phone)) rowProblems.push({ row, field: 'phone', label: zhCN.fields.phone, message: zhCN.import.phoneInPool });
        else {
          firstRowOf.set(dto.idNumber, row);
          firstRowOfPhone.set(dto.phone, row);
        }
      }
      if (rowProblems.length) problems.push(...rowProblems);
      else valid.push({ ...dto, expertise: dto.expertise.join(','), row });
    }

    return this.uow.run(async (m) => {
      const batch = m.create(ImportBatch, {
        fileName: file.originalname.slice(0, 200),
        createdAt: this.clock.now().getTime(),
        createdBy: actor.userId!,
        totalRows: dataRows.length,
        validRows: valid.length,
        status: 'preview',
        problems: JSON.stringify(problems),
        payload: JSON.stringify(valid),
        decidedAt: null,
      });
      await m.save(batch);
      await this.audit.record(m, actor, {
        action: 'import.previewed',
        entityType: 'import_batch',
        entityId: batch.id,
        summary: `上传导入文件 ${batch.fileName}：共${dataRows.length}行，有效${valid.length}行，问题${problems.length}处`,
      });
      return batch;
    });
  }

  async get(id: number): Promise<ImportBatch> {
    const batch = await this.dataSource.getRepository(ImportBatch).findOneBy({ id });
    if (!batch) throw new DomainError('not_found', zhCN.import.batchNotFound);
    return batch;
  }

  /** The preview as pages and the API show it: problems, and the first valid rows masked. */
  async report(id: number) {
    const batch = await this.get(id);
    const problems: ImportProblem[] = JSON.parse(batch.problems);
    const rows: ImportRow[] = JSON.parse(batch.payload);
    const badRows = new Set(problems.map((p) => p.row)).size;
    return {
      id: batch.id,
      fileName: batch.fileName,
      status: batch.status,
      totalRows: batch.totalRows,
      validRows: batch.validRows,
      invalidRows: badRows,
      problems,
      sample: rows.slice(0, 20).map((r) => ({
        row: r.row,
        name: r.name,
        idNumber: maskIdentifier(r.idNumber),
        categoryLabel: CATEGORY_LABELS[r.category],
        employer: r.employer,
        district: r.district,
      })),
    };
  }

  /** Imports the previewed valid rows in one transaction; rows that joined the pool meanwhile are skipped. */
  async confirm(id: number, actor: Actor): Promise<{ imported: number; skipped: number }> {
    return this.uow.run(async (m) => {
      const batch = await m.findOneBy(ImportBatch, { id });
      if (!batch) throw new DomainError('not_found', zhCN.import.batchNotFound);
      if (batch.status !== 'preview') throw new DomainError('invalid_state', zhCN.import.batchDecided);
      const rows: ImportRow[] = JSON.parse(batch.payload);
      if (rows.length === 0) throw new DomainError('validation', zhCN.import.nothingValid);
      const existing = new Set<string>((await m.query('SELECT idNumber FROM evaluator')).map((r: { idNumber: string }) => r.idNumber));
      const fresh = rows.filter((r) => !existing.has(r.idNumber));
      const now = this.clock.now().getTime();
      // An employer named exactly like a responsible department is linked to it (avoidance).
      const departmentIds = new Map<string, number>((await m.find(Department)).map((d) => [d.name, d.id]));
      const insertEvaluator = 'INSERT INTO evaluator (name, gender, birthYear, phone, idNumber, employer, employerDepartmentId, title, category, expertise, district, township, bio, status, source, joinedAt, updatedAt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,\'active\',\'import\',?,?)';
      const insertHistory = 'INSERT INTO evaluator_status_change (evaluatorId, fromStatus, toStatus, reason, at, actorId, actorName) VALUES (?, NULL, \'active\', ?, ?, ?, ?)';
      const reason = `批量导入（批次${id}，${batch.fileName}）`;
      let firstId: number | null = null;
      let lastId: number | null = null;
      for (const r of fresh) {
        const evaluatorId = await rawInsert(m, insertEvaluator,
          [r.name, r.gender, r.birthYear, r.phone, r.idNumber, r.employer, departmentIds.get(r.employer) ?? null, r.title, r.category, r.expertise, r.district, r.township, r.bio, now, now]);
        firstId ??= evaluatorId;
        lastId = evaluatorId;
        await rawRun(m, insertHistory, [evaluatorId, reason, now, actor.userId, actor.displayName]);
      }
      await m.update(ImportBatch, { id }, { status: 'confirmed', decidedAt: now });
      await this.audit.record(m, actor, {
        action: 'import.confirmed',
        entityType: 'import_batch',
        entityId: id,
        summary: `确认导入批次${id}：导入${fresh.length}名评价员${rows.length - fresh.length ? `，跳过${rows.length - fresh.length}名已在库人员` : ''}`,
        after: { imported: fresh.length, evaluatorIds: firstId ? `${firstId}–${lastId}` : '' },
      });
      return { imported: fresh.length, skipped: rows.length - fresh.length };
    });
  }

  async discard(id: number, actor: Actor): Promise<void> {
    await this.uow.run(async (m) => {
      const batch = await m.findOneBy(ImportBatch, { id });
      if (!batch) throw new DomainError('not_found', zhCN.import.batchNotFound);
      if (batch.status !== 'preview') throw new DomainError('invalid_state', zhCN.import.batchDecided);
      await m.update(ImportBatch, { id }, { status: 'discarded', decidedAt: this.clock.now().getTime() });
      await this.audit.record(m, actor, { action: 'import.discarded', entityType: 'import_batch', entityId: id, summary: `放弃导入批次${id}（${batch.fileName}）` });
    });
  }

  /** The whole pool as .xlsx; ID numbers and phones in full only when an administrator asks, audited. */
  async export(actor: Actor, full: boolean): Promise<Buffer> {
    const evaluators = await this.dataSource.getRepository(Evaluator).find({ order: { id: 'ASC' } });
    const header = [...IMPORT_COLUMNS.map((c) => c.headers[0]), '状态', '编号'];
    const shown = (v: string) => (full ? v : maskIdentifier(v));
    const rows = evaluators.map((e) => [
      e.name, e.gender === 'male' ? '男' : '女', e.birthYear, shown(e.phone), shown(e.idNumber), e.employer, e.title,
      CATEGORY_LABELS[e.category], e.expertise.replace(/,/g, '、'), e.district, e.township, e.bio,
      { active: '在册', suspended: '暂停', retired: '退出' }[e.status], e.id,
    ]);
    await this.uow.run((m) =>
      this.audit.record(m, actor, {
        action: 'pool.exported',
        entityType: 'pool',
        summary: `导出人才库 ${evaluators.length} 人${full ? '（含完整身份证号和手机号码）' : '（证件号、手机号已脱敏）'}`,
      }),
    );
    return writeSheet('评价员人才库', header, rows, [4, 5]);
  }

  /** An empty list with the expected headers, for offices starting from scratch. */
  template(): Promise<Buffer> {
    return writeSheet('评价员名单', IMPORT_COLUMNS.map((c) => c.headers[0]), [SAMPLE_ROW], [4, 5]);
  }
}
