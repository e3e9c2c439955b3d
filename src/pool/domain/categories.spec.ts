import { parseCategory, parseExpertise } from './categories';

describe('parseCategory', () => {
  it('accepts the Chinese label used in Excel lists', () => {
    expect(parseCategory('律师')).toBe('lawyer');
    expect(parseCategory(' 两代表一委员 ')).toBe('deputy');
  });
  it('accepts the code', () => {
    expect(parseCategory('scholar')).toBe('scholar');
  });
  it('rejects anything else', () => {
    expect(parseCategory('法官')).toBeNull();
  });
});

describe('parseExpertise', () => {
  it('splits on Chinese and Latin separators and drops duplicates', () => {
    expect(parseExpertise('征地拆迁、劳动社保，征地拆迁')).toEqual({ areas: ['征地拆迁', '劳动社保'], unknown: [] });
  });
  it('reports unknown areas', () => {
    expect(parseExpertise('征地拆迁,炒股')).toEqual({ areas: ['征地拆迁'], unknown: ['炒股'] });
  });
});
