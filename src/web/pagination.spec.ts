import { pageOfList } from './pagination';

describe('pageOfList', () => {
  const rows = Array.from({ length: 62 }, (_, i) => i + 1);

  it('shows 30 at a time, with links that keep the filters', () => {
    const first = pageOfList(rows, undefined, { level: 'red', department: '' });
    expect([first.items.length, first.items[0], first.pagination.pageCount, first.pagination.next]).toEqual([30, 1, 3, '?level=red&page=2']);
    expect(pageOfList(rows, '3', {}).items).toEqual([61, 62]);
  });

  it('shows the nearest page for one out of range or not a number', () => {
    expect(pageOfList(rows, '9', {}).pagination.page).toBe(3);
    expect(pageOfList(rows, '0', {}).pagination.page).toBe(1);
    expect(pageOfList(rows, 'abc', {}).pagination.page).toBe(1);
    expect(pageOfList([], '2', {}).pagination).toMatchObject({ page: 1, pageCount: 1, total: 0 });
  });
});
