import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, In, LessThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CasesService } from '../cases/cases.service';
import { PetitionCase } from '../cases/petition-case.entity';
import { Actor, systemActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationsService } from '../notifications/notifications.service';
import { CATEGORIES, Category, CATEGORY_LABELS } from '../pool/domain/categories';
import { Evaluator } from '../pool/evaluator.entity';
import { DrawnPanel } from './domain/draw-panel';
import { DrawRules, governmentMax, quotaOf } from './domain/draw-rules';
import { Draw } from './draw.entity';
import { RespondDto } from './dto/draw.dto';
import { MemberState, Panel, PanelMember } from './panel.entity';

export const RESPONSE_HOURS = 48;
export const DECLARATION_TEXT =
  '本人承诺：与本案信访人及责任单位无利害关系，不存在应当回避的情形；将依法依规、客观公正地参与评价，并对案件信息和评价过程保密。';
const SEATED: MemberState[] = ['invited', 'accepted'];

/**
 * The panel after the draw: invitations with a deadline, acceptance with a no-conflict
 * declaration, and replacement by the next fitting alternate when someone drops out.
 */
/** How a seat was left, as the case's timeline says it. */
const LEFT_BECAUSE: Partial<Record<MemberState, string>> = { declined: '谢绝参加', conflict: '申报回避', expired: '逾期未答复' };

@Injectable()
export class PanelService implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Missed deadlines are swept once a minute (and before any panel page is shown). */
  onModuleInit(): void {
    this.timer = setInterval(() => void this.expireOverdue().catch(() => undefined), 60_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Seats a drawn result: a new panel for an initial draw, open seats of the panel for a supplementary one. */
  async seat(m: EntityManager, draw: Draw, kase: PetitionCase, result: DrawnPanel): Promise<number> {
    const now = this.clock.now().getTime();
    let panelId = draw.panelId;
    let seats: number[];
    let rankOffset = 0;
    if (draw.kind === 'initial') {
      panelId = (await m.save(Panel, m.create(Panel, { caseId: kase.id, drawId: draw.id, status: 'forming', createdAt: now, confirmedAt: null }))).id;
      seats = result.members.map((s) => s.position);
    } else {
      seats = (JSON.parse(draw.rulesJson) as DrawRules).fillSeats ?? (await this.openSeats(m, panelId!));
      rankOffset = (await m.createQueryBuilder(PanelMember, 'pm').select('MAX(pm.alternateRank)', 'max').where('pm.panelId = :panelId', { panelId }).getRawOne<{ max: number | null }>())?.max ?? 0;
    }
    for (const [i, s] of result.members.entries()) {
      await m.insert(PanelMember, {
        panelId: panelId!, evaluatorId: s.evaluatorId, drawId: draw.id, seat: seats[i], alternateRank: null, state: 'invited',
        invitedAt: now, respondBy: now + RESPONSE_HOURS * 3_600_000, respondedAt: null, declaration: null, declineReason: null,
      });
      await this.invite(m, s.evaluatorId, kase);
    }
    for (const s of result.alternates) {
      await m.insert(PanelMember, {
        panelId: panelId!, evaluatorId: s.evaluatorId, drawId: draw.id, seat: null, alternateRank: rankOffset + s.position, state: 'standby',
        invitedAt: null, respondBy: null, respondedAt: null, declaration: null, declineReason: null,
      });
    }
    return panelId!;
  }

  private async invite(m: EntityManager, evaluatorId: number, kase: PetitionCase): Promise<void> {
    await this.notifications.notifyEvaluator(m, evaluatorId, '案件评价邀请',
      `您被随机抽选为一起信访案件（${CATEGORY_LABELS[kase.category as Category] ?? kase.category}类）的评价员，请在${RESPONSE_HOURS}小时内登录系统确认是否参加`, '/inbox');
  }

  /** Seat numbers with nobody invited or accepted in them. */
  async openSeats(m: EntityManager, panelId: number): Promise<number[]> {
    const panel = await m.findOneByOrFail(Panel, { id: panelId });
    const draw = await m.findOneByOrFail(Draw, { id: panel.drawId });
    const size = (JSON.parse(draw.rulesJson) as DrawRules).panelSize;
    const taken = new Set((await m.find(PanelMember, { where: { panelId, state: In(SEATED) } })).map((pm) => pm.seat));
    return Array.from({ length: size }, (_, i) => i + 1).filter((seat) => !taken.has(seat));
  }

  /** Quotas for filling `seats` open seats so that the whole panel keeps the original rules. */
  async supplementaryRules(m: EntityManager, panelId: number, chosen: DrawRules, open: number[]): Promise<Partial<DrawRules>> {
    const panel = await m.findOneByOrFail(Panel, { id: panelId });
    const original: DrawRules = JSON.parse((await m.findOneByOrFail(Draw, { id: panel.drawId })).rulesJson);
    const counts = await this.seatedCounts(m, panelId);
    const quotas: DrawRules['quotas'] = {};
    let govSeated = 0;
    for (const c of CATEGORIES) {
      const q = quotaOf(original, c);
      const n = counts.get(c) ?? 0;
      if (original.governmentCategories.includes(c)) govSeated += n;
      quotas[c] = { min: Math.max(0, q.min - n), max: Math.max(0, q.max - n) };
    }
    return { ...original, alternates: chosen.alternates, panelSize: open.length, quotas, governmentMaxSeats: Math.max(0, governmentMax(original) - govSeated), fillSeats: open };
  }

  private async seatedCounts(m: EntityManager, panelId: number, without?: number): Promise<Map<Category, number>> {
    const rows = await m.createQueryBuilder(PanelMember, 'pm').innerJoin(Evaluator, 'e', 'e.id = pm.evaluatorId')
      .select(['pm.id AS id', 'e.category AS category']).where('pm.panelId = :panelId AND pm.state IN (:...states)', { panelId, states: SEATED }).getRawMany<{ id: number; category: Category }>();
    const counts = new Map<Category, number>();
    for (const r of rows) if (r.id !== without) counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
    return counts;
  }

  /** An evaluator's answer to their invitation. */
  async respond(memberId: number, evaluatorId: number, dto: RespondDto, actor: Actor): Promise<PanelMember> {
    return this.uow.run(async (m) => {
      const member = await m.findOneBy(PanelMember, { id: memberId, evaluatorId });
      if (!member) throw new DomainError('not_found', '找不到该邀请');
      if (member.state !== 'invited') throw new DomainError('invalid_state', '该邀请已答复或已失效');
      const now = this.clock.now().getTime();
      if (member.respondBy !== null && member.respondBy <= now) throw new DomainError('invalid_state', '已超过答复期限，席位已由候补递补');
      const panel = await m.findOneByOrFail(Panel, { id: member.panelId });
      const kase = await this.cases.get(panel.caseId, m);
      if (dto.answer === 'accept') {
        const evaluator = await m.findOneByOrFail(Evaluator, { id: evaluatorId });
        if (evaluator.status !== 'active') throw new DomainError('invalid_state', '您当前不在册（已暂停或退出），不能接受评价邀请，请谢绝或联系联席办');
        if (dto.declaration !== true) throw new DomainError('validation', '接受邀请须签署回避声明', { declaration: '请阅读并勾选回避声明' });
        await m.update(PanelMember, { id: memberId }, { state: 'accepted', respondedAt: now, declaration: DECLARATION_TEXT });
        await this.audit.record(m, actor, { action: 'panel.accepted', entityType: 'case', entityId: kase.id, summary: `评价员（编号${evaluatorId}）接受案件 ${kase.caseNumber} 的评价邀请并签署回避声明` });
        await this.confirmIfComplete(m, panel, kase, actor);
      } else {
        // The office plans by the reason (a date that does not suit, a tie to a party): it is asked for.
        if (!dto.reason?.trim()) {
          const ask = dto.answer === 'conflict' ? '请说明需要回避的情形（例如与哪一方有何关系）' : '请说明不能参加的原因，联席办据此安排';
          throw new DomainError('validation', ask, { reason: ask });
        }
        const reason = dto.reason.trim();
        await m.update(PanelMember, { id: memberId }, { state: dto.answer === 'conflict' ? 'conflict' : 'declined', respondedAt: now, declineReason: reason });
        await this.audit.record(m, actor, {
          action: dto.answer === 'conflict' ? 'panel.conflict_declared' : 'panel.declined', entityType: 'case', entityId: kase.id,
          summary: `评价员（编号${evaluatorId}）${dto.answer === 'conflict' ? '申报回避' : '谢绝'}案件 ${kase.caseNumber} 的评价：${reason}`,
        });
        await this.replace(m, panel, kase, { ...member, state: dto.answer === 'conflict' ? 'conflict' : 'declined' }, actor);
      }
      return (await m.findOneBy(PanelMember, { id: memberId }))!;
    });
  }

  /** Invitations past their deadline lapse, and their seats go to alternates. Returns how many lapsed. */
  async expireOverdue(): Promise<number> {
    const now = this.clock.now().getTime();
    const overdue = await this.dataSource.getRepository(PanelMember).find({ where: { state: 'invited', respondBy: LessThan(now + 1) } });
    if (overdue.length === 0) return 0;
    const actor = systemActor('答复期限检查');
    return this.uow.run(async (m) => {
      let count = 0;
      for (const stale of overdue) {
        const member = await m.findOneBy(PanelMember, { id: stale.id });
        if (!member || member.state !== 'invited' || member.respondBy === null || member.respondBy > now) continue;
        await m.update(PanelMember, { id: member.id }, { state: 'expired', respondedAt: now, declineReason: `${RESPONSE_HOURS}小时内未答复` });
        const panel = await m.findOneByOrFail(Panel, { id: member.panelId });
        const kase = await this.cases.get(panel.caseId, m);
        await this.audit.record(m, actor, { action: 'panel.expired', entityType: 'case', entityId: kase.id, summary: `评价员（编号${member.evaluatorId}）未在期限内答复案件 ${kase.caseNumber} 的邀请，席位由候补递补` });
        await this.replace(m, panel, kase, { ...member, state: 'expired' }, actor);
        count++;
      }
      return count;
    });
  }

  /**
   * Gives a vacated seat to the first-ranked standby alternate whose category keeps every
   * quota and the government cap; with none left, the case waits for a supplementary draw.
   */
  private async replace(m: EntityManager, panel: Panel, kase: PetitionCase, leaving: PanelMember, actor: Actor): Promise<void> {
    const rules: DrawRules = JSON.parse((await m.findOneByOrFail(Draw, { id: panel.drawId })).rulesJson);
    const counts = await this.seatedCounts(m, panel.id, leaving.id);
    const standby = await m.find(PanelMember, { where: { panelId: panel.id, state: 'standby' }, order: { alternateRank: 'ASC' } });
    const standing = await m.find(Evaluator, { select: { id: true, category: true, status: true }, where: { id: In(standby.map((s) => s.evaluatorId)) } });
    // "Still standing": on standby and still active in the pool.
    const categories = new Map(standing.filter((e) => e.status === 'active').map((e) => [e.id, e.category]));
    const leavingCategory = (await m.findOneByOrFail(Evaluator, { id: leaving.evaluatorId })).category;
    const fits = (category: Category) => {
      const after = new Map(counts);
      after.set(category, (after.get(category) ?? 0) + 1);
      const gov = CATEGORIES.filter((c) => rules.governmentCategories.includes(c)).reduce((sum, c) => sum + (after.get(c) ?? 0), 0);
      // Counts of other categories are unchanged; only the leaver's category can fall below its minimum.
      return (after.get(category) ?? 0) <= quotaOf(rules, category).max && gov <= governmentMax(rules)
        && (after.get(leavingCategory) ?? 0) >= quotaOf(rules, leavingCategory).min;
    };
    const next = standby.find((s) => categories.has(s.evaluatorId) && fits(categories.get(s.evaluatorId)!));
    if (!next) {
      await this.cases.event(m, kase.id, null, null, `第${leaving.seat}席评价员${LEFT_BECAUSE[leaving.state] ?? '离席'}，席位空缺，没有符合类别要求的候补，需补充抽选`, actor);
      if (panel.status === 'confirmed') await this.unconfirm(m, panel, kase, actor);
      return;
    }
    const now = this.clock.now().getTime();
    await m.update(PanelMember, { id: next.id }, { state: 'invited', seat: leaving.seat, invitedAt: now, respondBy: now + RESPONSE_HOURS * 3_600_000 });
    await this.invite(m, next.evaluatorId, kase);
    // The entry is signed by whoever left (their answer), so it says what happened to the seat.
    await this.cases.event(m, kase.id, null, null, `第${leaving.seat}席评价员${LEFT_BECAUSE[leaving.state] ?? '离席'}，由第${next.alternateRank}候补递补`, actor);
    await this.audit.record(m, actor, { action: 'panel.alternate_promoted', entityType: 'case', entityId: kase.id, summary: `案件 ${kase.caseNumber} 第${leaving.seat}席由第${next.alternateRank}候补（编号${next.evaluatorId}）递补` });
    if (panel.status === 'confirmed') await this.unconfirm(m, panel, kase, actor);
  }

  private async unconfirm(m: EntityManager, panel: Panel, kase: PetitionCase, actor: Actor): Promise<void> {
    await m.update(Panel, { id: panel.id }, { status: 'forming', confirmedAt: null });
    await this.cases.transition(m, kase.id, 'panel_drawn', '评价组成员变动，重新确认', actor);
  }

  private async confirmIfComplete(m: EntityManager, panel: Panel, kase: PetitionCase, actor: Actor): Promise<void> {
    const rules: DrawRules = JSON.parse((await m.findOneByOrFail(Draw, { id: panel.drawId })).rulesJson);
    const accepted = await m.countBy(PanelMember, { panelId: panel.id, state: 'accepted' });
    if (accepted < rules.panelSize) return;
    await m.update(Panel, { id: panel.id }, { status: 'confirmed', confirmedAt: this.clock.now().getTime() });
    await this.cases.transition(m, kase.id, 'panel_confirmed', `评价组${accepted}人全部确认参加`, actor);
  }

  /** The panel of a case, for the office (names) or anyone else (numbers only: names are sealed). */
  async panelOf(caseId: number, showNames: boolean) {
    await this.expireOverdue();
    const panel = await this.dataSource.getRepository(Panel).findOne({ where: { caseId, status: In(['forming', 'confirmed']) } });
    if (!panel) return null;
    const members = await this.dataSource.getRepository(PanelMember).createQueryBuilder('pm').innerJoin(Evaluator, 'e', 'e.id = pm.evaluatorId')
      .select(['pm.id AS id', 'pm.evaluatorId AS evaluatorId', 'pm.seat AS seat', 'pm.alternateRank AS alternateRank', 'pm.state AS state', 'pm.respondBy AS respondBy', 'pm.respondedAt AS respondedAt', 'pm.declineReason AS declineReason'])
      .addSelect(['e.name AS name', 'e.category AS category'])
      .where('pm.panelId = :id', { id: panel.id }).orderBy('pm.seat IS NULL').addOrderBy('pm.seat').addOrderBy('pm.alternateRank').getRawMany();
    const open = await this.openSeats(this.dataSource.manager, panel.id);
    return {
      panel,
      openSeats: open,
      members: members.map((r) => ({
        ...r, name: showNames ? r.name : null, categoryLabel: CATEGORY_LABELS[r.category as Category], stateLabel: STATE_LABELS[r.state as MemberState],
      })),
    };
  }

  /** An evaluator's invitations, newest first. */
  async invitationsOf(evaluatorId: number) {
    await this.expireOverdue();
    return this.dataSource.getRepository(PanelMember).createQueryBuilder('pm').innerJoin(Panel, 'p', 'p.id = pm.panelId').innerJoin(PetitionCase, 'c', 'c.id = p.caseId')
      .select(['pm.id AS id', 'pm.state AS state', 'pm.respondBy AS respondBy', 'pm.invitedAt AS invitedAt', 'pm.seat AS seat', 'pm.alternateRank AS alternateRank', 'c.category AS category', 'c.caseNumber AS caseNumber'])
      .where('pm.evaluatorId = :evaluatorId AND pm.state <> :standby', { evaluatorId, standby: 'standby' }).orderBy('pm.id', 'DESC').getRawMany();
  }
}

export const STATE_LABELS: Record<MemberState, string> = {
  invited: '待答复',
  accepted: '已接受',
  declined: '已谢绝',
  conflict: '申报回避',
  expired: '逾期未答复',
  standby: '候补',
  released: '已解除',
};
