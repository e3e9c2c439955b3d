import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ImportBatchStatus = 'preview' | 'confirmed' | 'discarded';

/** An uploaded Excel/CSV list, checked row by row, waiting for the office to confirm. */
@Entity('import_batch')
export class ImportBatch {
  @PrimaryGeneratedColumn() id: number;
  @Column('text') fileName: string;
  @Column('integer') createdAt: number;
  @Column('integer') createdBy: number;
  @Column('integer') totalRows: number;
  @Column('integer') validRows: number;
  @Column('text') status: ImportBatchStatus;
  /** JSON: [{ row, field, message }] */
  @Column('text') problems: string;
  /** JSON: the normalised valid rows, imported as they were previewed. */
  @Column('text') payload: string;
  @Column('integer', { nullable: true }) decidedAt: number | null;
}
