/** Page links for a list, keeping the current filters in each link. */
export function pagination(total: number, page: number, pageSize: number, filters: Record<string, unknown>) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const href = (p: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value !== undefined && value !== null && value !== '' && key !== 'page') params.set(key, String(value));
    }
    params.set('page', String(p));
    return `?${params.toString()}`;
  };
  const from = Math.max(1, page - 3);
  const to = Math.min(pageCount, page + 3);
  const pages = [];
  for (let p = from; p <= to; p++) pages.push({ number: p, href: href(p), current: p === page });
  return {
    total,
    page,
    pageCount,
    pages,
    first: page > 1 ? href(1) : null,
    prev: page > 1 ? href(page - 1) : null,
    next: page < pageCount ? href(page + 1) : null,
    last: page < pageCount ? href(pageCount) : null,
  };
}

/**
 * One page of a list already in memory (sorted as shown), for lists whose order is worked out
 * in code (the follow-up tasks, red first). A page out of range shows the nearest one.
 */
export function pageOfList<T>(rows: T[], page: unknown, filters: Record<string, unknown>, pageSize = 30) {
  const pageCount = Math.max(1, Math.ceil(rows.length / pageSize));
  const asked = Number.parseInt(String(page ?? '1'), 10);
  const current = Math.min(pageCount, Math.max(1, Number.isFinite(asked) ? asked : 1));
  return { items: rows.slice((current - 1) * pageSize, current * pageSize), pagination: pagination(rows.length, current, pageSize, filters) };
}
