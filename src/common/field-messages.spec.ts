import * as fs from 'node:fs';
import * as path from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { checkAs } from './validation';

/** Every file that declares validation rules. */
function ruleFiles(dir = path.join(__dirname, '..')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return ruleFiles(file);
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) return [];
    return fs.readFileSync(file, 'utf8').includes("from 'class-validator'") ? [file] : [];
  });
}

// Values a form or an API caller sends by mistake: nothing, blank, the wrong type, too much.
const WRONG = [undefined, '', 12345, 'x', ['天文学'], { a: 1 }, 'x'.repeat(100_001)];

describe('field messages', () => {
  for (const file of ruleFiles()) require(file);
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<new () => object, { propertyName: string }[]> };
  // The start-up settings are read by operators, in English, with the variable's name.
  const forms = [...storage.validationMetadatas.keys()].filter((form) => typeof form === 'function' && form.name !== 'AppConfig');

  it('finds the forms', () => {
    expect(forms.map((form) => form.name)).toEqual(expect.arrayContaining(['RegisterCaseDto', 'ReturnVisitDto', 'TaskReportDto', 'ExtensionRequestDto']));
  });

  it('speak Chinese for every field of every form, never its code name or class-validator’s English', () => {
    const bad: string[] = [];
    for (const form of forms) {
      const fields = new Set(storage.validationMetadatas.get(form)!.map((rule) => rule.propertyName));
      for (const field of fields) {
        for (const value of WRONG) {
          const messages = Object.values(checkAs(form, { [field]: value }).fields);
          for (const message of messages) {
            if (/\b(must|should|each value)\b/.test(message) || new RegExp(`(^|[^A-Za-z])${field}([^A-Za-z]|$)`).test(message)) {
              bad.push(`${form.name}.${field} = ${JSON.stringify(value)?.slice(0, 20)}: ${message.slice(0, 80)}`);
            }
          }
        }
      }
    }
    expect([...new Set(bad)]).toEqual([]);
  });

  it('use the form’s own words for a missing value where it has them', () => {
    const { fields } = checkAs(require('../followup/dto/follow-up.dto').TaskReportDto, {});
    expect(fields).toEqual({ text: '请填写办理情况' });
  });

  it('say which list a wrong choice is not in, in Chinese', () => {
    const { fields } = checkAs(require('../pool/dto/evaluator-fields.dto').EvaluatorFieldsDto, { expertise: ['天文学'] });
    expect(fields.expertise).toBe('专业领域不在可选范围内');
  });
});
