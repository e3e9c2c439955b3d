import { documentFontCss, documentFontFile, FONT_ORIGIN } from './document-fonts';

describe('document fonts', () => {
  it('points every face at our origin, woff2 only, never drawn in a fallback face', () => {
    const css = documentFontCss();
    const urls = [...css.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(200);
    expect(urls.every((u) => u.startsWith(FONT_ORIGIN) && u.endsWith('.woff2'))).toBe(true);
    expect(css).not.toContain('font-display: swap');
  });

  it('serves every slice the CSS names, including the Latin ones, and nothing else', () => {
    const urls = [...documentFontCss().matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]);
    for (const url of urls) expect(documentFontFile(url)?.length).toBeGreaterThan(0);
    expect(documentFontFile(`${FONT_ORIGIN}noto-serif-sc/noto-serif-sc-latin-400-normal.woff2`)).not.toBeNull();
    expect(documentFontFile(`${FONT_ORIGIN}noto-serif-sc/../../../../etc/passwd`)).toBeNull();
    expect(documentFontFile(`${FONT_ORIGIN}noto-serif-sc/package.json`)).toBeNull();
    expect(documentFontFile(`${FONT_ORIGIN}other/noto-serif-sc-latin-400-normal.woff2`)).toBeNull();
    expect(documentFontFile('http://127.0.0.1/noto-serif-sc-latin-400-normal.woff2')).toBeNull();
  });
});
