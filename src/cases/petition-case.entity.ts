import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CaseStatus } from './domain/case-lifecycle';
import type { Satisfaction } from './domain/eligibility';

/** A disputed or repeat petition case (信访案件) brought to third-party evaluation. */
@Entity('petition_case')
export class PetitionCase {
  @PrimaryGeneratedColumn() id: number;
  @Column('text') caseNumber: string;
  @Column('text') title: string;
  @Column('text') demandSummary: string;
  @Column('text') category: string;
  @Column('text') petitionerName: string;
  @Column('text') petitionerIdNumber: string;
  @Column('text') petitionerPhone: string;
  @Column('text') petitionerDistrict: string;
  @Column('text') petitionerTownship: string;
  @Column('text') handlingResult: string;
  @Column('text') handlingDate: string;
  @Column('text') satisfaction: Satisfaction;
  @Column('text', { nullable: true }) agentName: string | null;
  @Column('text', { nullable: true }) agentKind: 'cadre' | 'lawyer' | 'volunteer' | null;
  @Column('text', { nullable: true }) agentPhone: string | null;
  @Column('boolean') eligible: boolean;
  @Column('text', { nullable: true }) ineligibleReason: string | null;
  @Column('text') status: CaseStatus;
  @Column('integer') registeredAt: number;
  @Column('integer', { nullable: true }) registeredBy: number | null;
  @Column('integer') updatedAt: number;
}
