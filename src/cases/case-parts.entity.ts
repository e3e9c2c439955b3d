import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CaseStatus } from './domain/case-lifecycle';
import type { PetitionLevel } from './domain/eligibility';

/** The smaller records that belong to a case: departments, petition history, files, timeline, exclusions. */
@Entity('case_department')
export class CaseDepartment {
  @PrimaryColumn('integer') caseId: number;
  @PrimaryColumn('integer') departmentId: number;
}

@Entity('petition_record')
export class PetitionRecord {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') caseId: number;
  @Column('text') date: string;
  @Column('text') level: PetitionLevel;
  @Column('text') channel: 'visit' | 'letter' | 'online' | 'phone';
}

@Entity('case_attachment')
export class CaseAttachment {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') caseId: number;
  @Column('text') fileName: string;
  @Column('text') mimeType: 'application/pdf' | 'image/jpeg' | 'image/png';
  @Column('integer') size: number;
  @Column('text') sha256: string;
  @Column('integer') uploadedAt: number;
  @Column('integer', { nullable: true }) uploadedBy: number | null;
}

@Entity('case_event')
export class CaseEvent {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') caseId: number;
  @Column('integer') at: number;
  @Column('text', { nullable: true }) fromStatus: CaseStatus | null;
  @Column('text', { nullable: true }) toStatus: CaseStatus | null;
  @Column('text') note: string;
  @Column('text') actorName: string;
}

@Entity('case_exclusion')
export class CaseExclusion {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') caseId: number;
  @Column('integer') evaluatorId: number;
  @Column('text') reason: string;
  @Column('integer') at: number;
  @Column('integer', { nullable: true }) actorId: number | null;
}
