import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A server-side session. The cookie holds a random token; only its SHA-256 is stored. */
@Entity('session')
export class Session {
  @PrimaryColumn('text') id: string;
  @Column('integer') userId: number;
  @Column('text') csrfToken: string;
  @Column('integer') createdAt: number;
  @Column('integer') lastSeenAt: number;
  @Column('text') ip: string;
  @Column('text') userAgent: string;
}
