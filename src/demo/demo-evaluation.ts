import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserAccount } from '../auth/user-account.entity';
import { RegisterCaseDto } from '../cases/dto/register-case.dto';
import { CasesService } from '../cases/cases.service';
import { Actor, systemActor } from '../common/actor';
import { Clock } from '../common/clock';
import { isoInZone } from '../common/time-format';
import { validatedAs } from '../common/validation';
import { AppConfig } from '../config/app-config';
import { DepartmentsService } from '../departments/departments.service';
import { DrawsService } from '../draws/draws.service';
import { CommitDrawDto, RespondDto, WitnessDto } from '../draws/dto/draw.dto';
import { PanelService } from '../draws/panel.service';
import { PetitionCase } from '../cases/petition-case.entity';
import { Answers, STEP_KEYS, StepKey } from '../evaluations/domain/criteria';
import { ResolutionItem } from '../evaluations/domain/draft';
import { CastVotesDto, SaveSheetDto, ScheduleMeetingDto } from '../evaluations/dto/evaluation.dto';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { MeetingsService } from '../evaluations/meetings.service';
import { ResolutionsService } from '../evaluations/resolutions.service';
import { idCheckChar } from '../pool/domain/id-number';

export interface DemoEvaluationOptions {
  /** An existing case waiting for a panel; without it a new demo case is registered. */
  caseId?: number;
  /** Responsible departments of the new case (ignored with `caseId`: the case's own count). */
  departmentIds?: number[];
  /** The new case's title and demand, when a spec needs particular text in them. */
  title?: string;
  demandSummary?: string;
  /** Stop once the chair has opened the vote, before anyone votes. */
  untilVoting?: boolean;
}

export interface DemoEvaluation {
  caseId: number;
  meetingId: number;
  resolutionId: number;
  /** The panel, in seat order. */
  evaluatorIds: number[];
}

const OFFICE = systemActor('演示评价');

/**
 * Takes one case all the way to an adopted resolution through the real services, as the
 * office and the panel would over the web: registration, commit and witnessed draw, every
 * invitation accepted with the declaration, the meeting scheduled and opened, four steps of
 * complete sheets closed by the chair, and a vote in which every member agrees (one with a
 * reservation). Every write is audited and moves the case through its lifecycle; no SQL.
 */
export async function evaluateDemoCase(app: INestApplicationContext, options: DemoEvaluationOptions = {}): Promise<DemoEvaluation> {
  const cases = app.get(CasesService);
  const draws = app.get(DrawsService);
  const panels = app.get(PanelService);
  const evaluations = app.get(EvaluationsService);

  const caseId = options.caseId ?? (await registerDemoCase(app, options)).id;
  const departmentIds = (await cases.departmentsOf(caseId)).map((d) => d.id);

  const committed = await draws.commit(caseId, validatedAs(CommitDrawDto, {}), OFFICE);
  await draws.witness(committed.id, validatedAs(WitnessDto, { witnessName: '刘建军', witnessRole: '市纪委监委驻信访局纪检监督员', witnessInput: '4 2 6 1 5 3' }), OFFICE);
  const seated = (await panels.panelOf(caseId, true))!.members.filter((p) => p.seat !== null && p.state === 'invited');
  const members: { evaluatorId: number; actor: Actor }[] = [];
  for (const seat of seated) {
    const actor = await memberActor(app, seat.evaluatorId, seat.name);
    await panels.respond(seat.id, seat.evaluatorId, validatedAs(RespondDto, { answer: 'accept', declaration: true }), actor);
    members.push({ evaluatorId: seat.evaluatorId, actor });
  }

  const config = app.get(AppConfig);
  const scheduledAt = isoInZone(app.get(Clock).now(), config.APP_TIMEZONE).slice(0, 16);
  const meeting = await evaluations.schedule(caseId, validatedAs(ScheduleMeetingDto, { scheduledAt, place: '市信访局三楼第一会议室' }), OFFICE);
  await evaluations.open(meeting.id, OFFICE);
  const chair = members.find((m) => m.evaluatorId === meeting.chairEvaluatorId)!;

  for (const step of STEP_KEYS) {
    for (const [i, m] of members.entries()) {
      const dto = validatedAs(SaveSheetDto, { answers: demoAnswers(step, i, departmentIds), version: 0 });
      await evaluations.saveSheet(meeting.id, step, m.evaluatorId, dto, 'submit', m.actor);
    }
    await evaluations.closeStep(meeting.id, step, chair.evaluatorId, [], chair.actor);
  }

  const evaluatorIds = members.map((m) => m.evaluatorId);
  if (options.untilVoting) {
    await evaluations.openVoting(meeting.id, chair.evaluatorId, chair.actor);
    return { caseId, meetingId: meeting.id, resolutionId: (await app.get(ResolutionsService).current(meeting.id))!.id, evaluatorIds };
  }
  const resolutionId = await voteEveryItem(app, meeting.id, members, chair, true);
  return { caseId, meetingId: meeting.id, resolutionId, evaluatorIds };
}

/**
 * Corrects the adopted resolution of a meeting (the office, with a reason: every solving
 * deadline becomes `days`) and has the panel adopt the new version: the path by which a
 * correction supersedes the documents already issued.
 */
export async function correctDemoResolution(app: INestApplicationContext, meetingId: number, days: number, reason: string): Promise<number> {
  const evaluations = app.get(EvaluationsService);
  const resolutions = app.get(ResolutionsService);
  const meeting = await app.get(MeetingsService).get(meetingId);
  const items: ResolutionItem[] = JSON.parse((await resolutions.current(meetingId))!.items);
  const corrected = items.map((i) => (i.kind === 'measure' && i.measure === 'solve' ? { ...i, days, text: i.text.replace(/\d+日内/, `${days}日内`) } : i));
  await evaluations.correct(meetingId, corrected as unknown as Record<string, unknown>[], reason, OFFICE);
  const panel = (await app.get(PanelService).panelOf(meeting.caseId, true))!.members.filter((p) => p.state === 'accepted');
  const members = await Promise.all(panel.map(async (p) => ({ evaluatorId: p.evaluatorId, actor: await memberActor(app, p.evaluatorId, p.name) })));
  return voteEveryItem(app, meetingId, members, members.find((m) => m.evaluatorId === meeting.chairEvaluatorId)!, false);
}

/** The chair opens the vote on the current draft and every member agrees to every item. */
async function voteEveryItem(app: INestApplicationContext, meetingId: number, members: { evaluatorId: number; actor: Actor }[], chair: { evaluatorId: number; actor: Actor }, withDissent: boolean): Promise<number> {
  const evaluations = app.get(EvaluationsService);
  const resolutions = app.get(ResolutionsService);
  await evaluations.openVoting(meetingId, chair.evaluatorId, chair.actor);
  const items: ResolutionItem[] = JSON.parse((await resolutions.current(meetingId))!.items);
  // The reservation goes on the first measure (the deadline), else on the finding.
  const reservedKey = items.find((i) => i.kind === 'measure')?.key ?? 'finding';
  const dissenter = withDissent ? [...members].reverse().find((m) => m !== chair) : undefined;
  let outcome: { status: string } = { status: 'voting' };
  for (const m of members) {
    const votes = items.map((item) => ({ itemKey: item.key, choice: 'agree', ...(m === dissenter && item.key === reservedKey ? { dissent: DISSENT } : {}) }));
    outcome = await evaluations.vote(meetingId, m.evaluatorId, validatedAs(CastVotesDto, { votes }), m.actor);
  }
  // The last vote decides the resolution by itself; the chair closes only a vote still open.
  if (outcome.status === 'voting') outcome = await evaluations.closeVoting(meetingId, chair.evaluatorId, chair.actor);
  const resolution = (await resolutions.current(meetingId))!;
  if (resolution.status !== 'adopted') throw new Error(`demo resolution of meeting ${meetingId} was not adopted (${resolution.status})`);
  return resolution.id;
}

/** A panel member acting for themself: their account if they have one, else their pool number. */
async function memberActor(app: INestApplicationContext, evaluatorId: number, name: string | null): Promise<Actor> {
  const account = await app.get(DataSource).getRepository(UserAccount).findOneBy({ evaluatorId });
  return {
    userId: account?.id ?? null, username: account?.username ?? `evaluator-${evaluatorId}`, displayName: name ?? `评价员 ${evaluatorId}`,
    role: 'evaluator', departmentId: null, evaluatorId, ip: 'local', requestId: OFFICE.requestId,
  };
}

/** A new, eligible case with a number not yet used this year. */
async function registerDemoCase(app: INestApplicationContext, { departmentIds, title, demandSummary }: DemoEvaluationOptions): Promise<PetitionCase> {
  const repo = app.get(DataSource).getRepository(PetitionCase);
  const year = isoInZone(app.get(Clock).now(), app.get(AppConfig).APP_TIMEZONE).slice(0, 4);
  let serial = (await repo.count()) + 1;
  while (await repo.existsBy({ caseNumber: caseNumberOf(year, serial) })) serial += 1;
  const departments = await app.get(DepartmentsService).list();
  const byName = ['市住房和城乡建设局', '睢阳区人民政府'].map((n) => departments.find((d) => d.name === n)?.id).filter((id): id is number => id !== undefined);
  const body = {
    caseNumber: caseNumberOf(year, serial),
    title: title ?? '旧城改造项目房屋征收安置面积争议',
    demandSummary: demandSummary ?? ('信访人系古宋街道旧城改造项目被征收人，认为征收部门未将1998年经原房管所同意加盖的北侧房屋（约18平方米）计入安置面积，'
      + '要求按实测面积80.6平方米重新核定产权调换面积，并补发相应的过渡安置费差额。'),
    category: '征地拆迁',
    petitionerName: '葛福海',
    petitionerIdNumber: petitionerIdNumber(serial),
    petitionerPhone: '13781605327',
    petitionerDistrict: '睢阳区',
    petitionerTownship: '古宋街道',
    departmentIds: departmentIds ?? (byName.length ? byName : [departments[0].id]),
    history: [
      { date: '2023-05-16', level: 'county', channel: 'visit' },
      { date: '2023-11-03', level: 'city', channel: 'letter' },
      { date: '2024-06-20', level: 'province', channel: 'visit' },
      { date: '2025-02-11', level: 'city', channel: 'online' },
    ],
    handlingResult: '经区征收办复核，北侧加盖部分无合法建设手续，不计入安置面积，维持原安置方案；已告知可依法申请行政复议或提起诉讼。',
    handlingDate: '2025-07-08',
    satisfaction: 'dissatisfied',
  };
  return app.get(CasesService).register(validatedAs(RegisterCaseDto, body), OFFICE);
}

const caseNumberOf = (year: string, serial: number) => `SQ-${year}-${String(serial).padStart(4, '0')}`;

/** A valid resident ID for a man born 1961-04-17 in 睢阳区 (411403), differing by case. */
function petitionerIdNumber(serial: number): string {
  const first17 = `41140319610417${String(((serial * 2) % 1000) + 1).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

const DISSENT = '本人同意该项措施，但保留意见：加盖部分的档案核查并不复杂，住建部门应在15日内完成核查并书面答复信访人，30日期限偏长。';

/** Five members' views, varied but converging: the demand partly reasonable, the first department partly at fault. */
const VIEWS: Record<StepKey, { answers: Answers; opinion: string }[]> = {
  facts: [
    { answers: { factsClear: 'yes', evidenceSufficient: 'partly', keyFacts: '争议焦点是合法建筑面积：房产证载62.4平方米，信访人主张1998年加盖的北侧房屋约18平方米应计入安置面积。' },
      opinion: '基本事实清楚。征收决定、入户测绘和安置协议均在卷，但加盖部分是否经过批准，卷内只有收费收据，没有审批材料。' },
    { answers: { factsClear: 'yes', evidenceSufficient: 'yes', keyFacts: '2019年测绘报告实测80.6平方米，认定合法面积62.4平方米，差额18.2平方米即为加盖部分。' },
      opinion: '测绘报告与房产档案相互印证，面积数据本身没有争议，争的是加盖部分的性质认定。' },
    { answers: { factsClear: 'partly', evidenceSufficient: 'partly', keyFacts: '征收部门未调取原房管所档案，仅以“无产权登记”为由不予认定，加盖是否经批准尚未查清。' },
      opinion: '关键事实没有查到底。原房管所1998年的收费收据说明当时有过手续，应当调取档案核实后再下结论。' },
    { answers: { factsClear: 'yes', evidenceSufficient: 'partly', keyFacts: '信访人签订安置协议前已书面提出面积异议，异议未获书面答复。' },
      opinion: '签协议不等于放弃异议。卷内有信访人签字前递交的异议书，征收部门应当说明为何未予答复。' },
    { answers: { factsClear: 'partly', evidenceSufficient: 'no', keyFacts: '同片区另有两户类似加盖部分按“有证明材料的临时建筑”给予了货币补偿，口径不一。' },
      opinion: '同一项目处理口径不一致是信访人反复上访的主要原因，卷内缺少对这两户处理依据的说明。' },
  ],
  procedure: [
    { answers: { procedureCompliant: 'partly', timeLimitsMissed: '对书面异议未在规定期限内答复' }, opinion: '受理和转送及时，但对面积异议没有书面答复，程序上有缺口。' },
    { answers: { procedureCompliant: 'partly', timeLimitsMissed: '复查意见超期15日作出' }, opinion: '复查程序完整，听取了信访人陈述，但复查意见超期。' },
    { answers: { procedureCompliant: 'yes' }, opinion: '各环节文书齐全，送达有回证，程序总体合规。' },
    { answers: { procedureCompliant: 'partly', timeLimitsMissed: '受理告知超期7日' }, opinion: '受理告知晚了一周，其余环节基本按时。' },
    { answers: { procedureCompliant: 'no', timeLimitsMissed: '异议答复和复查均超期' }, opinion: '异议长期不答复，导致矛盾升级到赴省上访，程序问题较为突出。' },
  ],
  law: [
    { answers: { legalBasis: 'partly', appliedCorrectly: 'partly', resultInPlace: 'partly' }, opinion: '《国有土地上房屋征收与补偿条例》要求对未登记建筑先调查认定，不能一概不予补偿。信访人要求全部计入安置面积依据不足，但要求认定并给予补偿有依据。' },
    { answers: { legalBasis: 'partly', appliedCorrectly: 'partly', resultInPlace: 'no' }, opinion: '对历史形成的加盖房屋，本市征收补偿办法有“有证明材料的按临时建筑补偿”的规定，复核时没有适用。' },
    { answers: { legalBasis: 'yes', appliedCorrectly: 'no', resultInPlace: 'no' }, opinion: '原房管所的收费收据可以作为当时经同意建设的证明，处理意见适用政策有误。' },
    { answers: { legalBasis: 'partly', appliedCorrectly: 'yes', resultInPlace: 'partly' }, opinion: '不计入产权调换面积本身符合规定，但可以另行给予货币补偿，处理结果未完全到位。' },
    { answers: { legalBasis: 'no', appliedCorrectly: 'partly', resultInPlace: 'partly' }, opinion: '按实测面积重新核定产权调换面积没有政策依据，过渡费差额的诉求可以另行核算。' },
  ],
  responsibility: [
    { answers: { duty: ['partly', 'yes'], petitionerConduct: 'lawful', hardship: 'no', needsExplanation: 'yes', needsPsychological: 'no' }, opinion: '住建部门对异议处理不及时，应当纠正；区政府组织协调到位。信访人逐级反映，行为合法。' },
    { answers: { duty: ['no', 'yes'], petitionerConduct: 'lawful', hardship: 'no', needsExplanation: 'yes', needsPsychological: 'no' }, opinion: '住建部门未调查认定加盖部分即作出结论，未完全依法履职。应向信访人讲清产权调换与货币补偿的区别。' },
    { answers: { duty: ['partly', 'partly'], petitionerConduct: 'lawful', hardship: 'yes', needsExplanation: 'yes', needsPsychological: 'no' }, opinion: '信访人家庭为老两口，过渡期间租房开支较大，建议一并考虑困难帮扶。' },
    { answers: { duty: ['yes', 'yes'], petitionerConduct: 'lawful', hardship: 'no', needsExplanation: 'no', needsPsychological: 'no' }, opinion: '各单位按职责办理，问题主要出在政策口径上，不宜过多归责。' },
    { answers: { duty: ['partly', 'yes'], petitionerConduct: 'lawful', hardship: 'no', needsExplanation: 'yes', needsPsychological: 'no' }, opinion: '同类问题处理口径不一，住建部门负有主要责任，应统一口径并向信访人书面说明。' },
  ],
};

const SCORES: number[][] = [[4, 4, 4, 3], [5, 4, 4, 4], [3, 3, 3, 2], [4, 5, 4, 3], [3, 3, 2, 2]];

/** The i-th member's complete sheet for a step; the first department's duty is the one in doubt. */
function demoAnswers(step: StepKey, i: number, departmentIds: number[]): Answers {
  const view = VIEWS[step][i % VIEWS[step].length];
  const [forPeople, lawful, fair, efficient] = SCORES[(i + STEP_KEYS.indexOf(step)) % SCORES.length];
  const { duty, ...answers } = view.answers as Answers & { duty?: string[] };
  if (duty) answers.departmentDuty = Object.fromEntries(departmentIds.map((d, k) => [String(d), duty[Math.min(k, 1)]]));
  return { ...answers, values: { forPeople, lawful, fair, efficient }, opinion: view.opinion };
}
