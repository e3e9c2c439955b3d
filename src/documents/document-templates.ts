import Handlebars from 'handlebars';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainError } from '../common/domain-error';
import { TEMPLATES_DIR } from '../common/paths';
import { documentFontCssFor, prepareDocumentFonts } from './document-fonts';
import { DocumentKind } from './domain/official-document';

/**
 * Where the font rules go once the text they must cover is known. It holds a double quote, which
 * `{{ }}` escapes, so no field (a case title in the page's <title>, before the style) can carry it.
 */
export const FONT_MARKER = '/*"tianping:fonts"*/';

const CHINESE_NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** The official documents, and the monthly analysis report set in the same faces and page. */
export type TemplateName = DocumentKind | 'report';

/** What every document template receives besides its own content. */
export interface DocumentFrame {
  issuer: string;
  addressee: string | null;
  doc: { title: string; number: string; code: string; date: string };
  verifyUrl: string;
  /** Inline SVG produced by the qrcode package from our own URL, never from user text. */
  qrSvg: string;
}

/**
 * The document templates (templates/documents), compiled once into their own Handlebars
 * instance: `{{ }}` escapes every field, and only the frame's font CSS, print CSS and QR
 * SVG — all produced by our code — go in unescaped. A template that does not compile or
 * fails while rendering is reported by name, never as a half-made document.
 */
export class DocumentTemplates {
  private readonly hbs = Handlebars.create();
  private readonly compiled = new Map<TemplateName, Handlebars.TemplateDelegate>();
  private css: string | null = null;

  constructor(private readonly dir: string = path.join(TEMPLATES_DIR, 'documents')) {
    this.hbs.registerHelper('inc', (n: number) => n + 1);
    this.hbs.registerHelper('cn', (n: number) => CHINESE_NUMERALS[n] ?? String(n));
    this.hbs.registerHelper('orDash', (v: unknown) => (v === null || v === undefined ? '—' : v));
  }

  /**
   * Compiles the named templates and builds the font tables now, at start-up: done lazily, they
   * held up every request for some 150 ms when the first document of the day was issued. A
   * template that does not compile is left for render() to report by name.
   */
  prepare(kinds: TemplateName[]): void {
    for (const kind of kinds) {
      try {
        this.template(kind);
      } catch {
        /* reported at render */
      }
    }
    this.stylesheet();
    prepareDocumentFonts();
  }

  render(kind: TemplateName, data: DocumentFrame & Record<string, unknown>): string {
    const template = this.template(kind);
    try {
      const html = template({ ...data, fontCss: FONT_MARKER, css: this.stylesheet() }, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
      return html.replace(FONT_MARKER, () => documentFontCssFor(html));
    } catch (error) {
      throw new DomainError('unavailable', `文书模板 ${kind}.hbs 渲染出错：${(error as Error).message}`);
    }
  }

  private template(kind: TemplateName): Handlebars.TemplateDelegate {
    let template = this.compiled.get(kind);
    if (!template) {
      try {
        if (!this.hbs.partials.frame) this.hbs.registerPartial('frame', this.compileNow(fs.readFileSync(path.join(this.dir, 'partials', 'frame.hbs'), 'utf8')));
        template = this.compileNow(fs.readFileSync(path.join(this.dir, `${kind}.hbs`), 'utf8'));
      } catch (error) {
        throw new DomainError('unavailable', `文书模板 ${kind}.hbs 有误：${(error as Error).message.split('\n')[0]}`);
      }
      this.compiled.set(kind, template);
    }
    return template;
  }

  /**
   * Parses and compiles now. Handlebars' compile() (and a partial registered as text) does both
   * at the first render instead, which put them on a batch's first document; and a syntax error
   * surfaces here, by the template's name.
   */
  private compileNow(source: string): Handlebars.TemplateDelegate {
    const spec = new Function(`return ${String(this.hbs.precompile(source))}`)() as Parameters<typeof Handlebars.template>[0];
    return this.hbs.template(spec);
  }

  private stylesheet(): string {
    this.css ??= fs.readFileSync(path.join(this.dir, 'document.css'), 'utf8');
    return this.css;
  }
}
