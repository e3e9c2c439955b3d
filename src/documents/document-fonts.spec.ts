import { documentFontCssFor, documentFontFile, FONT_ORIGIN } from './document-fonts';

describe('document fonts', () => {
  it('names only the slices a text needs, each at our origin, woff2 only, never drawn in a fallback face', () => {
    const all = documentFontCssFor(String.fromCodePoint(...Array.from({ length: 0x9fff - 0x20 }, (_, i) => 0x20 + i)));
    const css = documentFontCssFor('测试A');
    // A few slices per face (those holding 测, 试 and A), out of some three hundred.
    const rules = css.match(/@font-face/g)!.length;
    expect(rules).toBeGreaterThanOrEqual(3);
    expect(rules).toBeLessThan(20);
    expect(all.match(/@font-face/g)!.length).toBeGreaterThan(200);
    expect(documentFontCssFor('')).toBe('');
    const urls = [...all.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(200);
    expect(urls.every((u) => u.startsWith(FONT_ORIGIN) && u.endsWith('.woff2'))).toBe(true);
    expect(css).not.toContain('font-display: swap');
  });

  it('serves every slice the CSS names, including the Latin ones, and nothing else', () => {
    const urls = [...documentFontCssFor(String.fromCodePoint(...Array.from({ length: 0x9fff - 0x20 }, (_, i) => 0x20 + i))).matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]);
    for (const url of urls) expect(documentFontFile(url)?.length).toBeGreaterThan(0);
    expect(documentFontFile(`${FONT_ORIGIN}noto-serif-sc/noto-serif-sc-latin-400-normal.woff2`)).not.toBeNull();
    expect(documentFontFile(`${FONT_ORIGIN}noto-serif-sc/../../../../etc/passwd`)).toBeNull();
    expect(documentFontFile(`${FONT_ORIGIN}noto-serif-sc/package.json`)).toBeNull();
    expect(documentFontFile(`${FONT_ORIGIN}other/noto-serif-sc-latin-400-normal.woff2`)).toBeNull();
    expect(documentFontFile('http://127.0.0.1/noto-serif-sc-latin-400-normal.woff2')).toBeNull();
  });
});
