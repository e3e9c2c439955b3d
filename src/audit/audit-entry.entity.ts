import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One state change. Append-only: database triggers refuse UPDATE and DELETE. */
@Entity('audit_entry')
export class AuditEntry {
  @PrimaryGeneratedColumn() id: number;
  /** Epoch milliseconds, for ordering and filtering. */
  @Column('integer') at: number;
  /** The same instant as ISO 8601 with the office's UTC offset, as recorded. */
  @Column('text') atText: string;
  @Column('integer', { nullable: true }) actorId: number | null;
  @Column('text') actorName: string;
  @Column('text') actorRole: string;
  @Column('text') action: string;
  @Column('text') entityType: string;
  @Column('text', { nullable: true }) entityId: string | null;
  @Column('text') summary: string;
  @Column('text', { nullable: true }) before: string | null;
  @Column('text', { nullable: true }) after: string | null;
  @Column('text') ip: string;
  @Column('text') requestId: string;
  /** The hash chain (see domain/audit-chain.ts): the previous entry's hash and this one's. */
  @Column('text') prevHash: string;
  @Column('text') hash: string;
}
