import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CasesService } from '../cases/cases.service';
import { PetitionCase } from '../cases/petition-case.entity';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { isoInZone, localMidnight } from '../common/time-format';
import { UnitOfWork } from '../database/unit-of-work';
import { Evaluator } from '../pool/evaluator.entity';
import { CATEGORIES, CATEGORY_LABELS } from '../pool/domain/categories';
import { commitmentOf, rulesDigest, seedOf } from './domain/commitment';
import { capacityProblems, drawPanel, DrawnPanel, InfeasibleDraw } from './domain/draw-panel';
import { DEFAULT_RULES, DrawRules, governmentMax, quotaOf, rulesProblems } from './domain/draw-rules';
import { eligibleDigest, eligibleListOf, packEligible, serializeEligible, unpackEligible } from './domain/eligible-list';
import { Sha256Stream } from './domain/random-stream';
import { EXCLUSION_LABELS, exclusionSummary, ScreeningResult, screenPool } from './domain/screen';
import { verifyDraw, Verification } from './domain/verify';
import { evidenceOf } from './draw-evidence';
import { Draw } from './draw.entity';
import { CommitDrawDto, WitnessDto } from './dto/draw.dto';
import { PanelService } from './panel.service';
import { Panel, PanelMember } from './panel.entity';
import { loadPoolForScreening } from './pool-snapshot';

type Excluded = ScreeningResult['excluded'];

/** Commit → witness → draw → reveal, and verification of any draw (docs/draw-algorithm.md). */
@Injectable()
export class DrawsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly panels: PanelService,
    private readonly config: AppConfig,
  ) {}

  rulesFrom(dto: CommitDrawDto): DrawRules {
    const quotas: DrawRules['quotas'] = dto.quotas
      ? Object.fromEntries(Object.entries(dto.quotas).filter(([, q]) => q && (q.min > 0 || q.max !== (dto.defaultMax ?? DEFAULT_RULES.defaultMax))))
      : DEFAULT_RULES.quotas;
    const rules: DrawRules = {
      ...DEFAULT_RULES,
      panelSize: dto.panelSize ?? DEFAULT_RULES.panelSize,
      alternates: dto.alternates ?? DEFAULT_RULES.alternates,
      quotas,
      defaultMax: dto.defaultMax ?? DEFAULT_RULES.defaultMax,
      expertiseWeight: dto.expertiseWeight ?? DEFAULT_RULES.expertiseWeight,
      preferServedLess: dto.preferServedLess ?? DEFAULT_RULES.preferServedLess,
      avoidSameTownship: dto.avoidSameTownship ?? DEFAULT_RULES.avoidSameTownship,
      yearlyCap: dto.yearlyCap ?? DEFAULT_RULES.yearlyCap,
    };
    const problems = rulesProblems(rules);
    if (Object.keys(problems).length) throw new DomainError('validation', Object.values(problems).join('；'), problems);
    return rules;
  }

  /**
   * Fixes the eligible list and rules and publishes the commitment. An initial draw needs a
   * case without an active panel; a supplementary one fills the seats its panel cannot fill
   * from alternates, leaving out everyone drawn for the case before.
   */
  async commit(caseId: number, dto: CommitDrawDto, actor: Actor, kind: 'initial' | 'supplementary' = 'initial'): Promise<Draw> {
    return this.uow.run(async (m) => {
      const kase = await this.cases.get(caseId, m);
      const activePanel = await m.findOne(Panel, { where: { caseId, status: In(['forming', 'confirmed']) } });
      let rules = this.rulesFrom(dto);
      let panelId: number | null = null;
      if (kind === 'initial') {
        if (activePanel) throw new DomainError('conflict', '本案已有评价组，不能再次抽选');
        if (kase.status !== 'registered') throw new DomainError('invalid_state', '只有“已登记”的案件可以抽选评价组');
      } else {
        if (!activePanel) throw new DomainError('invalid_state', '本案还没有评价组，请先进行首次抽选');
        const open = await this.panels.openSeats(m, activePanel.id);
        if (open.length === 0) throw new DomainError('invalid_state', '评价组没有空缺席位，无需补充抽选');
        panelId = activePanel.id;
        rules = { ...rules, ...(await this.panels.supplementaryRules(m, activePanel.id, rules, open)) };
        const problems = rulesProblems(rules, true);
        if (Object.keys(problems).length) throw new DomainError('validation', `补充抽选规则无效：${Object.values(problems).join('；')}`);
      }
      if (await m.findOneBy(Draw, { caseId, status: 'committed' })) {
        throw new DomainError('conflict', '本案已有一次等待见证的抽选，请先完成或取消该次抽选');
      }
      const now = this.clock.now();
      const year = Number(isoInZone(now, this.config.APP_TIMEZONE).slice(0, 4));
      // New Year's midnight in the office's zone (its offset then, not now).
      const yearStart = localMidnight(year, 1, 1, this.config.APP_TIMEZONE);
      const departments = await this.cases.departmentsOf(caseId, m);
      const { pool, facts } = await loadPoolForScreening(m, { id: caseId, category: kase.category, petitionerIdNumber: kase.petitionerIdNumber, district: kase.petitionerDistrict, township: kase.petitionerTownship }, yearStart);
      const alreadyDrawn = new Set((await m.createQueryBuilder(PanelMember, 'pm').innerJoin(Panel, 'p', 'p.id = pm.panelId').select('pm.evaluatorId', 'id')
        .where('p.caseId = :caseId', { caseId }).getRawMany<{ id: number }>()).map((r) => r.id));
      const screening = screenPool(pool, {
        departmentIds: departments.map((d) => d.id), petitionerIdNumber: kase.petitionerIdNumber,
        petitionerDistrict: kase.petitionerDistrict, petitionerTownship: kase.petitionerTownship,
      }, rules, { ...facts, alreadyDrawn, year, departmentNames: new Map(departments.map((d) => [d.id, d.name])) });
      const list = eligibleListOf(screening.eligible);
      this.assertFeasible(list, rules, screening.excluded);

      const secret = randomBytes(32).toString('hex');
      const listDigest = eligibleDigest(list);
      const rulesHex = rulesDigest(rules);
      const draw = await m.save(Draw, m.create(Draw, {
        caseId, publicCode: randomBytes(6).toString('hex').toUpperCase(), kind, status: 'committed', seats: rules.panelSize,
        rulesJson: JSON.stringify(rules), rulesDigest: rulesHex, eligibleList: packEligible(list), eligibleDigest: listDigest,
        eligibleCount: list.ids.length, excluded: deflateSync(JSON.stringify(screening.excluded)), secret,
        commitment: commitmentOf(secret, listDigest, rulesHex), committedAt: now.getTime(), committedBy: actor.userId,
        witnessName: null, witnessRole: null, witnessInput: null, seed: null, resultJson: null, drawnAt: null, drawnBy: null, panelId,
      }));
      await this.cases.event(m, caseId, null, null, `${kind === 'initial' ? '发起抽选' : '发起补充抽选'}：候选${list.ids.length}人，承诺值 ${draw.commitment.slice(0, 16)}…`, actor);
      await this.audit.record(m, actor, {
        action: 'draw.committed', entityType: 'draw', entityId: draw.id,
        summary: `案件 ${kase.caseNumber} ${kind === 'initial' ? '抽选' : '补充抽选'}承诺：候选${list.ids.length}人，排除${screening.excluded.length}人，承诺值 ${draw.commitment}`,
        after: { commitment: draw.commitment, eligibleDigest: listDigest, rulesDigest: rulesHex, eligibleCount: list.ids.length },
      });
      return draw;
    });
  }

  private assertFeasible(list: ReturnType<typeof eligibleListOf>, rules: DrawRules, excluded: Excluded): void {
    const counts = new Array(CATEGORIES.length).fill(0);
    for (const c of list.categories) counts[c]++;
    const quotas = CATEGORIES.map((category, c) => ({ category, available: counts[c], ...quotaOf(rules, category), chosen: 0 }));
    const problems = capacityProblems(quotas, CATEGORIES.map((c) => rules.governmentCategories.includes(c)), governmentMax(rules), rules.panelSize)
      .map((problem) => {
        const short = quotas.find((q) => problem.startsWith(`回避后仅剩${q.available}名${CATEGORY_LABELS[q.category]}`));
        const why = short ? exclusionSummary(excluded, short.category) : '';
        return why ? `${problem}：${why}` : problem;
      });
    if (problems.length) throw new DomainError('validation', `按现有规则无法组成评价组：${problems.join('；')}`);
  }

  /** The witness's entropy fixes the seed; the panel follows deterministically; the secret is revealed. */
  async witness(drawId: number, dto: WitnessDto, actor: Actor): Promise<Draw> {
    return this.uow.run(async (m) => {
      const draw = await m.findOneBy(Draw, { id: drawId });
      if (!draw) throw new DomainError('not_found', '找不到该次抽选');
      if (draw.status !== 'committed') throw new DomainError('invalid_state', '该次抽选已经完成或已取消，不能重复抽选');
      const kase = await this.cases.get(draw.caseId, m);
      const rules: DrawRules = JSON.parse(draw.rulesJson);
      if (draw.kind === 'supplementary') {
        // The committed rules were derived from the seats open then; if the panel changed since, they no longer fit.
        const open = await this.panels.openSeats(m, draw.panelId!);
        if (open.join(',') !== (rules.fillSeats ?? []).join(',')) {
          throw new DomainError('invalid_state', `承诺后评价组空缺席位已变化（承诺时为第${(rules.fillSeats ?? []).join('、')}席，现为第${open.join('、')}席），请取消本次补充抽选后重新发起`);
        }
      }
      const list = unpackEligible(draw.eligibleList);
      const seed = seedOf(draw.secret, dto.witnessInput, kase.caseNumber, draw.eligibleDigest);
      let result: DrawnPanel;
      try {
        result = drawPanel(list, rules, new Sha256Stream(seed));
      } catch (error) {
        if (error instanceof InfeasibleDraw) throw new DomainError('validation', `无法组成评价组：${error.message}`);
        throw error;
      }
      const now = this.clock.now().getTime();
      await m.update(Draw, { id: drawId }, {
        status: 'drawn', witnessName: dto.witnessName, witnessRole: dto.witnessRole, witnessInput: dto.witnessInput,
        seed: seed.toString('hex'), resultJson: JSON.stringify({ members: result.members, alternates: result.alternates, quotas: result.quotas }),
        drawnAt: now, drawnBy: actor.userId,
      });
      const panelId = await this.panels.seat(m, { ...draw, status: 'drawn' }, kase, result);
      await m.update(Draw, { id: drawId }, { panelId });
      if (draw.kind === 'initial') await this.cases.transition(m, kase.id, 'panel_drawn', `见证人 ${dto.witnessName}（${dto.witnessRole}）输入随机数，抽出评价组${result.members.length}人、候补${result.alternates.length}人`, actor);
      else await this.cases.event(m, kase.id, null, null, `补充抽选完成：见证人 ${dto.witnessName}（${dto.witnessRole}）`, actor);
      await this.audit.record(m, actor, {
        action: 'draw.drawn', entityType: 'draw', entityId: drawId,
        summary: `案件 ${kase.caseNumber} 抽选完成：见证人 ${dto.witnessName}（${dto.witnessRole}）输入「${dto.witnessInput}」，种子 ${seed.toString('hex').slice(0, 16)}…，密钥已公开`,
        after: { witnessInput: dto.witnessInput, seed: seed.toString('hex'), members: result.members.map((s) => s.evaluatorId), alternates: result.alternates.map((s) => s.evaluatorId) },
      });
      return (await m.findOneBy(Draw, { id: drawId }))!;
    });
  }

  async get(drawId: number): Promise<Draw> {
    const draw = await this.dataSource.getRepository(Draw).findOneBy({ id: drawId });
    if (!draw) throw new DomainError('not_found', '找不到该次抽选');
    return draw;
  }

  async byCode(code: string): Promise<Draw> {
    const draw = /^[0-9A-F]{12}$/.test(code) ? await this.dataSource.getRepository(Draw).findOneBy({ publicCode: code }) : null;
    if (!draw) throw new DomainError('not_found', '找不到该次抽选，请核对验证码');
    return draw;
  }

  async listForCase(caseId: number) {
    const draws = await this.dataSource.getRepository(Draw).find({ where: { caseId }, order: { id: 'ASC' } });
    return draws.map((d) => ({ id: d.id, kind: d.kind, status: d.status, commitment: d.commitment, committedAt: d.committedAt, drawnAt: d.drawnAt, eligibleCount: d.eligibleCount, publicCode: d.publicCode }));
  }

  /**
   * What the draw page shows. The secret only once the draw is done; names only when
   * `showNames` (the office): everyone else sees evaluator numbers (names are sealed).
   */
  async view(draw: Draw, showNames: boolean) {
    const kase = await this.dataSource.getRepository(PetitionCase).findOneByOrFail({ id: draw.caseId });
    const rules: DrawRules = JSON.parse(draw.rulesJson);
    const excluded: Excluded = JSON.parse(inflateSync(draw.excluded).toString('utf8'));
    const result = draw.resultJson ? (JSON.parse(draw.resultJson) as Pick<DrawnPanel, 'members' | 'alternates' | 'quotas'>) : null;
    const names = showNames ? await this.namesOf([...excluded.map((e) => e.evaluatorId), ...(result ? [...result.members, ...result.alternates].map((s) => s.evaluatorId) : [])]) : new Map<number, string>();
    const label = (id: number) => (showNames ? `${names.get(id) ?? '?'}（${id}）` : `评价员 ${id}`);
    return {
      // The secret is revealed once the draw is done or cancelled, never while it waits for the witness.
      draw: { ...draw, secret: draw.status === 'committed' ? null : draw.secret, eligibleList: undefined, excluded: undefined },
      caseNumber: kase.caseNumber,
      caseTitle: kase.title,
      rules,
      rulesLines: CATEGORIES.map((c) => ({ label: CATEGORY_LABELS[c], ...quotaOf(rules, c) })),
      governmentMax: governmentMax(rules),
      excluded: excluded.map((e) => ({ evaluatorId: e.evaluatorId, who: label(e.evaluatorId), categoryLabel: CATEGORY_LABELS[e.category], reasons: e.reasons.map((r) => EXCLUSION_LABELS[r.code] + (r.detail ? `（${r.detail}）` : '')).join('；') })),
      members: result?.members.map((s) => ({ ...s, who: label(s.evaluatorId), categoryLabel: CATEGORY_LABELS[s.category] })) ?? [],
      alternates: result?.alternates.map((s) => ({ ...s, who: label(s.evaluatorId), categoryLabel: CATEGORY_LABELS[s.category] })) ?? [],
      quotas: result?.quotas.map((q) => ({ ...q, label: CATEGORY_LABELS[q.category] })) ?? [],
      sealed: !showNames,
    };
  }

  private async namesOf(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(Evaluator).find({ select: { id: true, name: true }, where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Recomputes a finished draw from its record. */
  async verify(draw: Draw): Promise<Verification> {
    return verifyDraw(await this.evidence(draw));
  }

  /** Everything needed to recompute the draw elsewhere; evaluators appear by number only. */
  async evidence(draw: Draw) {
    if (draw.status !== 'drawn') throw new DomainError('invalid_state', '该次抽选尚未完成，完成后才能验证');
    const kase = await this.dataSource.getRepository(PetitionCase).findOneByOrFail({ id: draw.caseId });
    return evidenceOf(draw, kase.caseNumber);
  }

  /** The evidence as a downloadable JSON document (the eligible list as its committed lines). */
  async evidenceDocument(draw: Draw) {
    const e = await this.evidence(draw);
    return { ...e, eligible: serializeEligible(e.eligible).split('\n').filter(Boolean), algorithm: 'docs/draw-algorithm.md (tianping-commit-v1 / tianping-seed-v1)' };
  }

  /**
   * Cancels a commitment that will not be witnessed (e.g. the meeting was postponed), with a
   * recorded reason; its secret is revealed with it, so every cancellation stays on the record.
   */
  async cancel(drawId: number, reason: string, actor: Actor): Promise<Draw> {
    return this.uow.run(async (m) => {
      const draw = await m.findOneBy(Draw, { id: drawId });
      if (!draw) throw new DomainError('not_found', '找不到该次抽选');
      if (draw.status !== 'committed') throw new DomainError('invalid_state', '只有等待见证的抽选可以取消');
      await m.update(Draw, { id: drawId }, { status: 'cancelled', witnessRole: null, witnessName: null });
      await this.cases.event(m, draw.caseId, null, null, `取消未见证的抽选（承诺值 ${draw.commitment.slice(0, 16)}…）：${reason}`, actor);
      await this.audit.record(m, actor, {
        action: 'draw.cancelled', entityType: 'draw', entityId: drawId,
        summary: `取消未见证的抽选：${reason}；承诺值 ${draw.commitment}，公开密钥 ${draw.secret}`,
        after: { status: 'cancelled', reason, secret: draw.secret },
      });
      return { ...draw, status: 'cancelled' as const };
    });
  }
}
