import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A batch issuing job and how far it got; its zip is data/batches/<id>.zip, with its SHA-256 here. */
@Entity('document_batch')
export class DocumentBatch {
  @PrimaryColumn('text') id: string;
  @Column('text') label: string;
  @Column('text') fileName: string;
  @Column('text') status: 'running' | 'done' | 'failed';
  /** Resolutions finished, and the fraction of the one in progress. */
  @Column('integer') done: number;
  @Column('integer') total: number;
  @Column('integer') percent: number;
  @Column('integer') documents: number;
  @Column('text', { nullable: true }) error: string | null;
  @Column('text', { nullable: true }) zipSha256: string | null;
  @Column('integer', { nullable: true }) zipBytes: number | null;
  @Column('integer', { nullable: true }) startedBy: number | null;
  @Column('integer') startedAt: number;
  /** The running instance's last word: a job silent for long belonged to an instance that stopped. */
  @Column('integer') updatedAt: number;
}
