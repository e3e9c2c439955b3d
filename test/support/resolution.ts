import { UserAccount } from '../../src/auth/user-account.entity';
import { DemoEvaluation, DemoEvaluationOptions, evaluateDemoCase } from '../../src/demo/demo-evaluation';
import { Measure } from '../../src/evaluations/evaluation.entities';
import { TestApp } from './create-test-app';

/**
 * A case with an adopted resolution, reached through the real services (draw, panel, four
 * steps, vote), for specs that start where the evaluation ends: follow-up, documents, reports.
 */
export function adoptedResolution(t: TestApp, options: DemoEvaluationOptions = {}): Promise<DemoEvaluation> {
  return evaluateDemoCase(t.app, options);
}

/**
 * An adopted resolution whose solving task (and assignment letter) goes to the demo liaison's
 * department: the liaison is moved to the department the panel found at fault.
 */
export async function resolutionForLiaison(t: TestApp): Promise<DemoEvaluation & { task: Measure }> {
  const evaluation = await adoptedResolution(t);
  const task = await t.dataSource.getRepository(Measure).findOneByOrFail({ caseId: evaluation.caseId, kind: 'solve' });
  await t.dataSource.getRepository(UserAccount).update({ username: 'liaison' }, { departmentId: task.departmentId });
  return { ...evaluation, task };
}
