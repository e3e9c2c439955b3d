import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('panel')
export class Panel {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') caseId: number;
  @Column('integer') drawId: number;
  @Column('text') status: 'forming' | 'confirmed' | 'dissolved';
  @Column('integer') createdAt: number;
  @Column('integer', { nullable: true }) confirmedAt: number | null;
}

export type MemberState = 'invited' | 'accepted' | 'declined' | 'conflict' | 'expired' | 'standby' | 'released';

/** A drawn evaluator: a seat holder (seat set) or a ranked alternate (alternateRank set). */
@Entity('panel_member')
export class PanelMember {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') panelId: number;
  @Column('integer') evaluatorId: number;
  @Column('integer') drawId: number;
  @Column('integer', { nullable: true }) seat: number | null;
  @Column('integer', { nullable: true }) alternateRank: number | null;
  @Column('text') state: MemberState;
  @Column('integer', { nullable: true }) invitedAt: number | null;
  @Column('integer', { nullable: true }) respondBy: number | null;
  @Column('integer', { nullable: true }) respondedAt: number | null;
  @Column('text', { nullable: true }) declaration: string | null;
  @Column('text', { nullable: true }) declineReason: string | null;
}
