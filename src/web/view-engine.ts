import Handlebars from 'handlebars';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATEGORY_LABELS, Category } from '../pool/domain/categories';
import { EVALUATOR_STATUS_LABELS, EvaluatorStatus } from '../pool/domain/evaluator-status';
import { ROLE_LABELS, Role } from '../auth/domain/roles';
import { maskIdentifier } from '../common/masking';
import { displayInZone, isoInZone } from '../common/time-format';
import { zhCN } from '../common/i18n/zh-CN';
import { CHANNEL_LABELS, LEVEL_LABELS } from '../cases/domain/eligibility';
import { TEMPLATES_DIR } from '../common/paths';


/**
 * Handlebars for server-rendered pages. Templates are files in templates/, compiled once;
 * no user-supplied template is ever compiled, and prototype access stays off (the default).
 * Every page is rendered inside layouts/main.hbs unless it sets `layout: false`.
 */
export function createViewEngine(options: { timeZone: string; cache: boolean }) {
  const hbs = Handlebars.create();
  registerHelpers(hbs, options.timeZone);
  const partialsDir = path.join(TEMPLATES_DIR, 'partials');
  for (const file of fs.readdirSync(partialsDir)) {
    if (file.endsWith('.hbs')) hbs.registerPartial(file.slice(0, -4), fs.readFileSync(path.join(partialsDir, file), 'utf8'));
  }
  const cache = new Map<string, HandlebarsTemplateDelegate>();
  const load = (file: string) => {
    let template = options.cache ? cache.get(file) : undefined;
    if (!template) {
      template = hbs.compile(fs.readFileSync(file, 'utf8'), { strict: false, noEscape: false });
      cache.set(file, template);
    }
    return template;
  };
  const layout = path.join(TEMPLATES_DIR, 'layouts', 'main.hbs');

  return (file: string, data: Record<string, unknown>, done: (err: Error | null, html?: string) => void) => {
    try {
      const body = load(file)(data);
      if (data.layout === false) return done(null, body);
      done(null, load(layout)({ ...data, body: new hbs.SafeString(body) }));
    } catch (error) {
      done(error as Error);
    }
  };
}

function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), zhCN);
}

export function registerHelpers(hbs: typeof Handlebars, timeZone: string): void {
  hbs.registerHelper('t', (key: string) => {
    const value = lookup(key);
    return typeof value === 'string' ? value : key;
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => String(a) === String(b));
  hbs.registerHelper('ne', (a: unknown, b: unknown) => String(a) !== String(b));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('startsWith', (text: unknown, prefix: string) => typeof text === 'string' && text.startsWith(prefix));
  hbs.registerHelper('labelOfLevel', (v: string) => LEVEL_LABELS[v as keyof typeof LEVEL_LABELS] ?? v);
  hbs.registerHelper('labelOfChannel', (v: string) => CHANNEL_LABELS[v as keyof typeof CHANNEL_LABELS] ?? v);
  hbs.registerHelper('kib', (bytes: number) => `${Math.max(1, Math.ceil(bytes / 1024))} KB`);
  hbs.registerHelper('short', (hex: string | null) => (hex ? `${hex.slice(0, 16)}…` : ''));
  // A form's one ticked box comes back as a value, several as a list.
  hbs.registerHelper('includes', (list: unknown, item: unknown) => (Array.isArray(list) ? list : list === undefined || list === null ? [] : [list]).map(String).includes(String(item)));
  hbs.registerHelper('labelOfCategory', (c: Category) => CATEGORY_LABELS[c] ?? c);
  hbs.registerHelper('labelOfStatus', (s: EvaluatorStatus) => EVALUATOR_STATUS_LABELS[s] ?? s);
  hbs.registerHelper('labelOfRole', (r: Role) => ROLE_LABELS[r] ?? r);
  hbs.registerHelper('labelOfGender', (g: string) => (g === 'male' ? '男' : g === 'female' ? '女' : g));
  hbs.registerHelper('mask', (v: string) => maskIdentifier(v));
  hbs.registerHelper('time', (ms: number | null) => (ms ? displayInZone(new Date(ms), timeZone) : ''));
  // A deadline is a calendar day (it runs to that day's end): the date, without a clock time.
  hbs.registerHelper('dateOf', (ms: number | null) => (ms ? isoInZone(new Date(ms), timeZone).slice(0, 10) : ''));
  hbs.registerHelper('inc', (n: number) => Number(n) + 1);
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  hbs.registerHelper('array', (...args: unknown[]) => args.slice(0, -1));
  // Data for a page script, inside <script type="application/json">: JSON with every "<" escaped,
  // so no value (a department's name, say) can close the element. The one unescaped output a page
  // template needs, made safe here rather than by each controller.
  hbs.registerHelper('jsonData', (value: unknown) => new hbs.SafeString(JSON.stringify(value ?? null).replace(/</g, '\\u003c')));
}
