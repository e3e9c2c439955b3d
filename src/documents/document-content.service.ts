import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { CaseDepartment } from '../cases/case-parts.entity';
import { PetitionCase } from '../cases/petition-case.entity';
import { Department } from '../departments/department.entity';
import { Answers, StepKey, STEPS } from '../evaluations/domain/criteria';
import { Finding, FINDING_LABELS, itemText, MEASURE_LABELS, ResolutionItem } from '../evaluations/domain/draft';
import { VOTE_RULE_LABELS } from '../evaluations/domain/majority';
import { EvaluationStep, Measure, Meeting, Resolution, ScoreSheet, Vote } from '../evaluations/evaluation.entities';
import { ItemOutcome } from '../evaluations/resolutions.service';
import { MeetingsService } from '../evaluations/meetings.service';
import { optionCounts } from './domain/official-document';

export interface MeasureLine {
  kind: Measure['kind'];
  kindLabel: string;
  text: string;
  departmentId: number | null;
  departmentName: string | null;
  dueAt: number | null;
}

/** Everything the four documents of one adopted resolution say, read once. */
export interface ResolutionContent {
  kase: PetitionCase;
  meeting: Meeting;
  resolution: Resolution;
  departments: Department[];
  members: { id: number; name: string; categoryLabel: string; chair: boolean }[];
  /** Public codes of the draws that seated the panel (initial and supplementary): the proof anyone can recompute. */
  drawCodes: string[];
  voteRuleLabel: string;
  finding: Finding | null;
  findingLabel: string;
  steps: { label: string; summary: string; submitted: number; absent: number; questions: { label: string; counts: string; leading: string | null }[] }[];
  keyFacts: string[];
  items: { text: string; agree: number; disagree: number; abstain: number; notVoted: number }[];
  dissents: { name: string; item: string; text: string }[];
  measures: MeasureLine[];
}

/**
 * Reads an adopted resolution with its meeting, sheets, votes and measures, and turns them
 * into the plain facts the templates print: counts per option, passed items with their
 * votes, dissenting opinions, measures with departments and deadlines.
 */
@Injectable()
export class DocumentContentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly meetings: MeetingsService,
  ) {}

  async of(resolution: Resolution): Promise<ResolutionContent> {
    const m = this.dataSource.manager;
    const meeting = await m.findOneByOrFail(Meeting, { id: resolution.meetingId });
    const kase = await m.findOneByOrFail(PetitionCase, { id: meeting.caseId });
    const departmentIds = (await m.findBy(CaseDepartment, { caseId: kase.id })).map((d) => d.departmentId);
    const departments = await m.find(Department, { where: { id: In(departmentIds) }, order: { sortOrder: 'ASC' } });
    const members = await this.meetings.membersWithNames(meeting);
    const drawCodes: string[] = (await m.query(`SELECT d.publicCode FROM panel_member pm JOIN draw d ON d.id = pm.drawId WHERE pm.panelId = ? AND pm.state = 'accepted' GROUP BY d.id, d.publicCode ORDER BY d.id`, [meeting.panelId])).map((r: { publicCode: string }) => r.publicCode);
    const nameOf = (id: number) => members.find((p) => p.id === id)?.name ?? `评价员 ${id}`;

    const stepRows = await m.find(EvaluationStep, { where: { meetingId: meeting.id }, order: { position: 'ASC' } });
    const sheets = stepRows.length ? await m.find(ScoreSheet, { where: { stepId: In(stepRows.map((s) => s.id)), status: 'submitted' }, order: { id: 'ASC' } }) : [];
    const answersOf = (step: StepKey): Answers[] => sheets.filter((s) => s.stepId === stepRows.find((r) => r.step === step)?.id).map((s) => JSON.parse(s.answers) as Answers);
    const steps = STEPS.map((def) => {
      const answers = answersOf(def.key);
      const row = stepRows.find((r) => r.step === def.key);
      return {
        label: def.label,
        summary: def.summary,
        submitted: answers.length,
        absent: row ? (JSON.parse(row.absentees) as number[]).length : 0,
        questions: def.questions.flatMap((q) => {
          if (q.kind !== 'choice') return [];
          const { counts, leading } = optionCounts(answers.map((a) => a[q.key] as string | undefined), q.options);
          return [{ label: q.label, counts: counts.map((c) => `${c.label}${c.count}票`).join('，'), leading }];
        }),
      };
    });
    const keyFacts = [...new Set(answersOf('facts').map((a) => String(a.keyFacts ?? '').trim()).filter(Boolean))];

    const items: ResolutionItem[] = JSON.parse(resolution.items);
    const outcome: ItemOutcome[] = JSON.parse(resolution.outcome ?? '[]');
    const passed = items.filter((i) => outcome.find((o) => o.key === i.key)?.passed);
    const finding = passed.find((i) => i.kind === 'finding');
    const votes = await m.find(Vote, { where: { resolutionId: resolution.id }, order: { id: 'ASC' } });
    const measureRows = await m.find(Measure, { where: { resolutionId: resolution.id }, order: { id: 'ASC' } });
    return {
      kase,
      meeting,
      resolution,
      departments,
      members,
      drawCodes,
      voteRuleLabel: VOTE_RULE_LABELS[meeting.voteRule],
      finding: finding?.kind === 'finding' ? finding.finding : null,
      findingLabel: finding?.kind === 'finding' ? FINDING_LABELS[finding.finding] : '',
      steps,
      keyFacts,
      items: passed.map((i) => {
        const o = outcome.find((x) => x.key === i.key)!;
        return { text: itemText(i), agree: o.agree, disagree: o.disagree, abstain: o.abstain, notVoted: o.notVoted };
      }),
      dissents: votes.filter((v) => v.dissent).map((v) => ({ name: nameOf(v.evaluatorId), item: itemLabel(items.find((i) => i.key === v.itemKey)), text: v.dissent! })),
      measures: measureRows.map((r) => ({
        kind: r.kind,
        kindLabel: r.kind === 'routing' ? '移交处置' : MEASURE_LABELS[r.kind],
        text: r.description,
        departmentId: r.departmentId,
        departmentName: departments.find((d) => d.id === r.departmentId)?.name ?? null,
        dueAt: r.dueAt,
      })),
    };
  }
}

function itemLabel(item: ResolutionItem | undefined): string {
  return item ? itemText(item).replace(/。$/, '') : '（已删除的事项）';
}
