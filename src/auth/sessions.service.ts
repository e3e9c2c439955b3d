import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { rawRows } from '../database/raw-rows';
import { UnitOfWork } from '../database/unit-of-work';
import { sessionVerdict, SessionVerdict, TOUCH_EVERY_MS } from './domain/session-policy';
import { Session } from './session.entity';
import { newToken, sha256Hex } from './tokens';
import { UserAccount } from './user-account.entity';

const SESSION_SQL = `SELECT s.id, s.userId, s.csrfToken, s.createdAt, s.lastSeenAt, s.ip, s.userAgent,
  u.id, u.username, u.displayName, u.passwordHash, u.role, u.departmentId, u.evaluatorId, u.active, u.mustChangePassword, u.passwordChangedAt, u.createdAt, u.lastLoginAt
  FROM session s LEFT JOIN user_account u ON u.id = s.userId WHERE s.id = ?`;

const GENERATION_SQL = `SELECT generation FROM session_generation WHERE id = 1`;

/** Sessions kept in memory at most; past this the copy is dropped and refilled as requests come. */
const CACHE_LIMIT = 20_000;

export type ResolvedSession = { session: Session; user: UserAccount } | { ended: Exclude<SessionVerdict, 'valid'> } | null;

/** Server-side sessions in the database, so they survive a restart and can be revoked. */
@Injectable()
export class SessionsService {
  /** Session and user by token hash, valid while the generation (bumped by triggers) stands. */
  private readonly cache = new Map<string, { session: Session; user: UserAccount | null }>();
  private cacheGeneration = -1;
  private generationRead: Promise<number> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Creates a session inside the log-in transaction; returns the cookie token (never stored). */
  async create(manager: EntityManager, user: UserAccount, ip: string, userAgent: string): Promise<{ token: string; session: Session }> {
    const token = newToken();
    const now = this.clock.now().getTime();
    const session = manager.create(Session, {
      id: sha256Hex(token),
      userId: user.id,
      csrfToken: newToken(),
      createdAt: now,
      lastSeenAt: now,
      ip,
      userAgent: userAgent.slice(0, 300),
    });
    await manager.insert(Session, session);
    return { token, session };
  }

  async resolve(token: string): Promise<ResolvedSession> {
    // Every request comes through here. Any ended session or changed account, by any process,
    // bumps the generation (triggers), so one single-row read tells whether the copy is current.
    const id = sha256Hex(token);
    const generation = await this.generation();
    if (generation !== this.cacheGeneration || this.cache.size >= CACHE_LIMIT) {
      this.cache.clear();
      this.cacheGeneration = generation;
    }
    const now = this.clock.now().getTime();
    let entry = this.cache.get(id);
    // A cached copy's lastSeenAt may be older than the row (another instance touched it): the
    // row decides before a session is ended.
    if (entry && sessionVerdict(entry.session, now, this.limits()) !== 'valid') entry = undefined;
    if (!entry) {
      const loaded = await this.load(id);
      if (!loaded) return null;
      this.cache.set(id, (entry = loaded));
    }
    const { session, user } = entry;
    const verdict = sessionVerdict(session, now, this.limits());
    if (verdict !== 'valid') {
      // Its own row; the trigger then bumps the one generation row last, so such units queue on it, never in a cycle.
      await this.uow.run((m) => m.delete(Session, { id: session.id }), { shared: true });
      return { ended: verdict };
    }
    if (!user?.active) return null;
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
      session.lastSeenAt = now;
      await this.uow.run((m) => m.update(Session, { id: session.id }, { lastSeenAt: now }), { shared: true });
    }
    return { session, user };
  }

  /**
   * The generation, read once per turn of the event loop: requests that arrived together share
   * the read (at 1,500 requests a second it was 4% of the service's CPU). A change committed by
   * any process is seen by every request of the next turn; writes commit in a later turn than
   * the requests that asked for them, so a log-out is never hidden from the requests after it.
   */
  private generation(): Promise<number> {
    if (!this.generationRead) {
      this.generationRead = rawRows<[number]>(this.dataSource, GENERATION_SQL).then(([[generation]]) => generation);
      setImmediate(() => (this.generationRead = null));
    }
    return this.generationRead;
  }

  /** Session and user together, in one prepared statement. */
  private async load(id: string): Promise<{ session: Session; user: UserAccount | null } | null> {
    const [row] = await rawRows<unknown[]>(this.dataSource, SESSION_SQL, [id]);
    if (!row) return null;
    const [, userId, csrfToken, createdAt, lastSeenAt, ip, userAgent, ...u] = row as [string, number, string, number, number, string, string, ...unknown[]];
    const session = Object.assign(new Session(), { id, userId, csrfToken, createdAt, lastSeenAt, ip, userAgent });
    if (u[0] === null) return { session, user: null };
    const [uid, username, displayName, passwordHash, role, departmentId, evaluatorId, active, mustChangePassword, passwordChangedAt, userCreatedAt, lastLoginAt] = u;
    const user = Object.assign(new UserAccount(), {
      id: uid, username, displayName, passwordHash, role, departmentId, evaluatorId, active: Boolean(active), mustChangePassword: Boolean(mustChangePassword),
      passwordChangedAt, createdAt: userCreatedAt, lastLoginAt,
    } as Partial<UserAccount>);
    return { session, user };
  }

  async destroy(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.delete(Session, { id: sessionId });
  }

  /** Ends every session of a user (password reset, deactivation, role change). */
  async destroyAllOf(manager: EntityManager, userId: number): Promise<void> {
    await manager.delete(Session, { userId });
  }

  private limits() {
    return { idleMs: this.config.SESSION_IDLE_MINUTES * 60_000, absoluteMs: this.config.SESSION_ABSOLUTE_HOURS * 3_600_000 };
  }
}
