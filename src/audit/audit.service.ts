import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { clampPage } from '../common/paging';
import { isoInZone, localMidnight } from '../common/time-format';
import { containsPattern } from '../database/dialect';
import { rawRows } from '../database/raw-rows';
import { AuditEntry } from './audit-entry.entity';
import { entryHash, GENESIS } from './domain/audit-chain';
import { AuditQueryDto } from './audit-query.dto';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  summary: string;
  before?: unknown;
  after?: unknown;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Appends an entry inside the caller's transaction, so the change and its record commit together. */
  async record(manager: EntityManager, actor: Actor, entry: AuditRecord): Promise<void> {
    const now = this.clock.now();
    const content = {
      at: now.getTime(),
      atText: isoInZone(now, this.config.APP_TIMEZONE),
      actorId: actor.userId,
      actorName: actor.userId === null ? actor.displayName : `${actor.displayName}（${actor.username}）`,
      actorRole: actor.role,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      summary: entry.summary,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      ip: actor.ip,
      requestId: actor.requestId,
    };
    // Same connection, same transaction: the last entry is the one this one follows.
    const [last] = await rawRows<[string]>(manager, `SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1`);
    const prevHash = last?.[0] ?? GENESIS;
    await manager.insert(AuditEntry, { ...content, prevHash, hash: entryHash(prevHash, content) });
  }

  async search(query: AuditQueryDto): Promise<{ entries: AuditEntry[]; total: number }> {
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('e');
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.actor) qb.andWhere(`e.actorName LIKE :actor ESCAPE '\\'`, { actor: containsPattern(query.actor) });
    if (query.entityType) qb.andWhere('e.entityType = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('e.entityId = :entityId', { entityId: query.entityId });
    if (query.from) qb.andWhere('e.at >= :from', { from: this.dayStart(query.from) });
    if (query.to) qb.andWhere('e.at < :to', { to: this.dayStart(query.to) + 86_400_000 });
    const total = await qb.getCount();
    clampPage(query, total);
    const entries = await qb.orderBy('e.id', 'DESC').skip((query.page - 1) * query.pageSize).take(query.pageSize).getMany();
    return { entries, total };
  }

  /** Midnight of a YYYY-MM-DD date in the office's zone, as epoch ms. */
  private dayStart(date: string): number {
    const [y, m, d] = date.split('-').map(Number);
    return localMidnight(y, m, d, this.config.APP_TIMEZONE);
  }
}
