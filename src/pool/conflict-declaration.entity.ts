import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ConflictKind = 'employer' | 'relative' | 'other';

/** An evaluator's own declaration of a tie that may require avoidance (回避). */
@Entity('conflict_declaration')
export class ConflictDeclaration {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') evaluatorId: number;
  @Column('text') kind: ConflictKind;
  @Column('integer', { nullable: true }) departmentId: number | null;
  @Column('text') description: string;
  /** For past employment: the year it ended (the draw avoids 3 years back). */
  @Column('integer', { nullable: true }) untilYear: number | null;
  /** A named person the evaluator is tied to (e.g. a petitioner), by name and ID number. */
  @Column('text', { nullable: true }) personName: string | null;
  @Column('text', { nullable: true }) personIdNumber: string | null;
  @Column('integer') declaredAt: number;
  @Column('integer', { nullable: true }) withdrawnAt: number | null;
}
