import Handlebars from 'handlebars';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TEMPLATES_DIR } from '../common/paths';
import { registerHelpers } from './view-engine';

function templates(dir = TEMPLATES_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? templates(file) : file.endsWith('.hbs') ? [file] : [];
  });
}

describe('template helpers', () => {
  it('never stand where a template means a field of the same name', () => {
    // Handlebars prefers a helper to a field: `{{day}}` in a row with a `day` field called the
    // date helper with no value (the audit chain page, once a head was published).
    const hbs = Handlebars.create();
    const builtIn = new Set(Object.keys(hbs.helpers));
    registerHelpers(hbs, 'Asia/Shanghai');
    const ours = Object.keys(hbs.helpers).filter((name) => !builtIn.has(name));
    expect(ours.length).toBeGreaterThan(10);
    const bare = templates().flatMap((file) =>
      ours.filter((name) => new RegExp(`\\{\\{\\{?\\s*${name}\\s*\\}?\\}\\}`).test(fs.readFileSync(file, 'utf8'))).map((name) => `${path.relative(TEMPLATES_DIR, file)}: {{${name}}}`),
    );
    expect(bare).toEqual([]);
  });

  it('show every field error they name: the field-error partial always gets its message', () => {
    const silent = templates().flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/\{\{> field-error name="[^"]+"\s*\}\}/g)].map((m) => `${path.relative(TEMPLATES_DIR, file)}: ${m[0]}`));
    expect(silent).toEqual([]);
  });

  it('keep a single ticked box ticked when a form comes back (it posts a value, not a list)', () => {
    const hbs = Handlebars.create();
    registerHelpers(hbs, 'Asia/Shanghai');
    const ticked = hbs.compile('{{#each options}}{{#if (includes ../values.picked this)}}[{{this}}]{{/if}}{{/each}}');
    expect(ticked({ options: ['教育', '民政'], values: { picked: '教育' } })).toBe('[教育]');
    expect(ticked({ options: ['教育', '民政'], values: { picked: ['教育', '民政'] } })).toBe('[教育][民政]');
    expect(ticked({ options: ['教育'], values: {} })).toBe('');
  });
});
