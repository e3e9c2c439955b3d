import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One draw: its commitment, the witness input, the seed and the result, with the eligible
 * list (packed binary, see eligible-list.ts) and the exclusions (deflated JSON) kept so
 * anyone can recompute it later.
 */
@Entity('draw')
export class Draw {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') caseId: number;
  /** Printed on documents; opens the public verification page. */
  @Column('text') publicCode: string;
  @Column('text') kind: 'initial' | 'supplementary';
  @Column('text') status: 'committed' | 'drawn' | 'cancelled';
  /** Panel seats this draw fills (the panel size, or the seats a supplementary draw fills). */
  @Column('integer') seats: number;
  @Column('text') rulesJson: string;
  @Column('text') rulesDigest: string;
  @Column('blob') eligibleList: Buffer;
  @Column('text') eligibleDigest: string;
  @Column('integer') eligibleCount: number;
  @Column('blob') excluded: Buffer;
  @Column('text') secret: string;
  @Column('text') commitment: string;
  @Column('integer') committedAt: number;
  @Column('integer', { nullable: true }) committedBy: number | null;
  @Column('text', { nullable: true }) witnessName: string | null;
  @Column('text', { nullable: true }) witnessRole: string | null;
  @Column('text', { nullable: true }) witnessInput: string | null;
  @Column('text', { nullable: true }) seed: string | null;
  @Column('text', { nullable: true }) resultJson: string | null;
  @Column('integer', { nullable: true }) drawnAt: number | null;
  @Column('integer', { nullable: true }) drawnBy: number | null;
  @Column('integer', { nullable: true }) panelId: number | null;
}
