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

const FILE_NAME = /^[a-z-]+-\d+-\d+-normal\.woff2$/;

function packageDir(pkg: string): string {
  return path.dirname(require.resolve(`@fontsource/${pkg}/package.json`));
}

let css: string | null = null;

/** The @font-face rules for every face, pointing at FONT_ORIGIN; built once. */
export function documentFontCss(): string {
  css ??= FACES.map(({ pkg, weight }) =>
    fs
      .readFileSync(path.join(packageDir(pkg), `${weight}.css`), 'utf8')
      // woff2 only, from our origin; `block` so no slice is ever drawn in a fallback face.
      .replace(/src: url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\)(, url\([^)]+\) format\('woff'\))?/g, `src: url(${FONT_ORIGIN}${pkg}/$1) format('woff2')`)
      .replace(/font-display: swap/g, 'font-display: block'),
  ).join('\n');
  return css;
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
