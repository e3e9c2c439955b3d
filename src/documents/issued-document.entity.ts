import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DocumentKind } from './domain/official-document';

/** One issued PDF; the file itself is in data/documents/, named by its SHA-256 (ContentStore). */
@Entity('document')
export class IssuedDocument {
  @PrimaryGeneratedColumn() id: number;
  @Column('text') kind: DocumentKind;
  @Column('integer') caseId: number;
  @Column('integer') meetingId: number;
  @Column('integer') resolutionId: number;
  @Column('integer') resolutionVersion: number;
  @Column('integer', { nullable: true }) departmentId: number | null;
  @Column('integer') year: number;
  @Column('integer') serial: number;
  @Column('text') number: string;
  @Column('text') title: string;
  @Column('text') verificationCode: string;
  @Column('text') sha256: string;
  @Column('integer') bytes: number;
  @Column('text') status: 'current' | 'superseded';
  @Column('integer') issuedAt: number;
  @Column('integer', { nullable: true }) issuedBy: number | null;
  @Column('integer', { nullable: true }) supersededAt: number | null;
  @Column('integer', { nullable: true }) supersededByResolutionVersion: number | null;
}
