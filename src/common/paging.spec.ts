import { clampPage } from './paging';

describe('clampPage', () => {
  it('moves a page past the end to the last page', () => {
    const query = { page: 999, pageSize: 20 };
    clampPage(query, 41);
    expect(query.page).toBe(3);
  });
  it('leaves a page in range alone, and an empty list on page 1', () => {
    const inRange = { page: 2, pageSize: 20 };
    clampPage(inRange, 41);
    expect(inRange.page).toBe(2);
    const empty = { page: 5, pageSize: 20 };
    clampPage(empty, 0);
    expect(empty.page).toBe(1);
  });
});
