import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { In } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { CaseEvent } from '../../src/cases/case-parts.entity';
import { PetitionCase } from '../../src/cases/petition-case.entity';
import { runCli } from '../../src/cli';
import { loadConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/data-source';
import { Measure, Resolution, Vote } from '../../src/evaluations/evaluation.entities';
import { createTestApp, TestApp } from '../support/create-test-app';
import { adoptedResolution } from '../support/resolution';

describe('a demo case evaluated through the real services', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
  });
  afterAll(() => t.close());

  it('ends resolved, with the resolution adopted, open measures and every step audited', async () => {
    const { caseId, meetingId, resolutionId } = await adoptedResolution(t);
    const kase = await t.dataSource.getRepository(PetitionCase).findOneByOrFail({ id: caseId });
    expect(kase.status).toBe('resolved');
    const resolution = await t.dataSource.getRepository(Resolution).findOneByOrFail({ id: resolutionId });
    expect(resolution).toMatchObject({ meetingId, status: 'adopted' });
    const measures = await t.dataSource.getRepository(Measure).find({ where: { caseId, status: 'open' } });
    expect(measures.map((m) => m.kind)).toContain('solve');
    expect(measures.every((m) => m.resolutionId === resolutionId)).toBe(true);
    const votes = await t.dataSource.getRepository(Vote).find({ where: { resolutionId } });
    expect(votes.every((v) => v.choice === 'agree')).toBe(true);
    expect(votes.filter((v) => v.dissent)).toHaveLength(1);
    const timeline = await t.dataSource.getRepository(CaseEvent).find({ where: { caseId }, order: { id: 'ASC' } });
    expect(timeline.filter((e) => e.toStatus).map((e) => e.toStatus)).toEqual(['registered', 'panel_drawn', 'panel_confirmed', 'evaluating', 'resolved']);
    const actions = new Set((await t.dataSource.getRepository(AuditEntry).find()).map((e) => e.action));
    for (const action of ['case.registered', 'draw.committed', 'draw.drawn', 'panel.accepted', 'meeting.scheduled', 'meeting.opened', 'sheet.submitted', 'step.closed', 'resolution.voted', 'resolution.adopted']) {
      expect(actions).toContain(action);
    }
  });

  it('also takes an existing demo case waiting for a panel', async () => {
    const waiting = await t.dataSource.getRepository(PetitionCase).findOneByOrFail({ caseNumber: 'SQ-2026-0001' });
    const { caseId } = await adoptedResolution(t, { caseId: waiting.id });
    expect(caseId).toBe(waiting.id);
    expect((await t.dataSource.getRepository(PetitionCase).findOneByOrFail({ id: caseId })).status).toBe('resolved');
  });
});

describe('seed-demo on a fresh install', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-seed-'));
  const env = { DATA_DIR: dir, DATABASE_PATH: path.join(dir, 'demo.sqlite'), LOG_LEVEL: 'error' };
  let output: string[];
  beforeEach(() => {
    output = [];
    jest.spyOn(console, 'log').mockImplementation((...args) => void output.push(args.join(' ')));
  });
  afterEach(() => jest.restoreAllMocks());

  it('loads the demo city and evaluates one more case, leaving the four demo cases waiting; only once', async () => {
    expect(await runCli(['seed-demo'], env)).toBe(0);
    expect(output.join('\n')).toMatch(/已完成一件演示案件的评价：SQ-\d{4}-0005「旧城改造项目房屋征收安置面积争议」/);
    const dataSource = await openDatabase(loadConfig(env));
    try {
      const cases = await dataSource.getRepository(PetitionCase).find({ order: { id: 'ASC' } });
      expect(cases.map((c) => c.status)).toEqual(['registered', 'registered', 'registered', 'registered', 'resolved']);
      expect(await dataSource.getRepository(Resolution).countBy({ status: 'adopted' })).toBe(1);
      expect(await dataSource.getRepository(Measure).countBy({ caseId: cases[4].id, status: In(['open']) })).toBeGreaterThan(0);
    } finally {
      await dataSource.destroy();
    }
    output = [];
    expect(await runCli(['seed-demo'], env)).toBe(0);
    expect(output.join('\n')).toContain('未重复载入');
    expect(output.join('\n')).not.toContain('已完成一件演示案件的评价');
  });
});
