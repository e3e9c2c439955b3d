/**
 * Moves a page number past the end back to the last page, so "page 999" of a 3-page list
 * shows page 3 rather than an empty list that looks like "nothing found".
 */
export function clampPage(query: { page: number; pageSize: number }, total: number): void {
  const last = Math.max(1, Math.ceil(total / query.pageSize));
  if (query.page > last) query.page = last;
}
