import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A responsible department (责任单位): a municipal bureau or a district/county government. */
@Entity('department')
export class Department {
  @PrimaryGeneratedColumn() id: number;
  @Column('text') name: string;
  @Column('text') kind: 'municipal' | 'county';
  @Column('integer') sortOrder: number;
  /** Who receives the daily red list for this department (分管领导). */
  @Column('text', { nullable: true }) leaderName: string | null;
  @Column('text', { nullable: true }) leaderPhone: string | null;
}
