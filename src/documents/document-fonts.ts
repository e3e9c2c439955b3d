import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The faces official documents are set in, from the @fontsource npm packages: TrueType outlines
 * in woff2, split by unicode-range, so Chromium fetches only the slices a document uses and
 * embeds them as compact CID TrueType fonts (Debian's Noto CJK has CFF outlines, which Chromium
 * embeds as Type 3: five times slower and more than twice the size — PITFALLS.md).
 *
 * Serif 400 stands in for 仿宋 (body), serif 700 for 小标宋 (title, issuer mark), sans 700 for
 * 黑体 (first-level headings), as GB/T 9704 assigns them.
 */
const FACES = [
  { pkg: 'noto-serif-sc', weight: 400 },
  { pkg: 'noto-serif-sc', weight: 700 },
  { pkg: 'noto-sans-sc', weight: 700 },
] as const;

/** A host that cannot resolve: the renderer answers it from memory and blocks everything else. */
export const FONT_ORIGIN = 'https://fonts.tianping.invalid/';

/** noto-serif-sc-42-400-normal.woff2, noto-serif-sc-latin-700-normal.woff2 … */
const FILE_NAME = /^[a-z0-9-]+-\d{3}-normal\.woff2$/;

function packageDir(pkg: string): string {
  return path.dirname(require.resolve(`@fontsource/${pkg}/package.json`));
}

interface FaceRule {
  css: string;
  ranges: [number, number][];
}

let rules: FaceRule[] | null = null;

/** Every @font-face rule of every face, pointing at FONT_ORIGIN, with its unicode ranges; read once. */
function faceRules(): FaceRule[] {
  rules ??= FACES.flatMap(({ pkg, weight }) =>
    fs
      .readFileSync(path.join(packageDir(pkg), `${weight}.css`), 'utf8')
      // woff2 only, from our origin; `block` so no slice is ever drawn in a fallback face.
      .replace(/src: url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\)(, url\([^)]+\) format\('woff'\))?/g, `src: url(${FONT_ORIGIN}${pkg}/$1) format('woff2')`)
      .replace(/font-display: swap/g, 'font-display: block')
      .match(/@font-face\s*{[^}]*}/g)!
      .map((css) => ({ css, ranges: unicodeRanges(css) })),
  );
  return rules;
}

function unicodeRanges(rule: string): [number, number][] {
  const list = /unicode-range:\s*([^;]+);/.exec(rule)?.[1] ?? 'U+0-10FFFF';
  return list.split(',').map((part) => {
    const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(lo, 16), parseInt(hi ?? lo, 16)];
  });
}

let ruleOfPoint: Map<number, number[]> | null = null;

/** A code point → the indexes of the rules covering it, built once (about 50 ms). */
function rulesByPoint(): Map<number, number[]> {
  if (!ruleOfPoint) {
    const map = new Map<number, number[]>();
    faceRules().forEach((rule, index) => {
      for (const [lo, hi] of rule.ranges) {
        // The catch-all range of a face without unicode-range would be 1.1 million entries: skip it.
        if (hi - lo > 0xffff) continue;
        for (let p = lo; p <= hi; p++) {
          const list = map.get(p);
          if (list) list.push(index);
          else map.set(p, [index]);
        }
      }
    });
    ruleOfPoint = map;
  }
  return ruleOfPoint;
}

/** Reads the faces' rules and builds the code-point table now rather than at the first document. */
export function prepareDocumentFonts(): void {
  rulesByPoint();
}

/**
 * Only the slices that hold a character of `text`: Chromium then matches each run of text
 * against a handful of faces instead of some three hundred, and the page parses faster.
 * The code-point table keeps this to one lookup per distinct character.
 */
export function documentFontCssFor(text: string): string {
  const all = faceRules();
  const byPoint = rulesByPoint();
  const wanted = new Set<number>();
  for (const c of new Set(text)) for (const index of byPoint.get(c.codePointAt(0)!) ?? []) wanted.add(index);
  return [...wanted].sort((a, b) => a - b).map((i) => all[i].css).join('\n');
}

const files = new Map<string, Buffer>();

/** The font file for a URL under FONT_ORIGIN, or null for anything that is not one of ours. */
export function documentFontFile(url: string): Buffer | null {
  if (!url.startsWith(FONT_ORIGIN)) return null;
  const [pkg, file, ...rest] = url.slice(FONT_ORIGIN.length).split('/');
  if (rest.length || !FACES.some((f) => f.pkg === pkg) || !file || !FILE_NAME.test(file)) return null;
  let content = files.get(url);
  if (!content) {
    const full = path.join(packageDir(pkg), 'files', file);
    if (!fs.existsSync(full)) return null;
    files.set(url, (content = fs.readFileSync(full)));
  }
  return content;
}
