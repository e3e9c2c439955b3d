import { DemoEvaluation, DemoEvaluationOptions, evaluateDemoCase } from '../../src/demo/demo-evaluation';
import { TestApp } from './create-test-app';

/**
 * A case with an adopted resolution, reached through the real services (draw, panel, four
 * steps, vote), for specs that start where the evaluation ends: follow-up, documents, reports.
 */
export function adoptedResolution(t: TestApp, options: DemoEvaluationOptions = {}): Promise<DemoEvaluation> {
  return evaluateDemoCase(t.app, options);
}
