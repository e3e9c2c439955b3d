/**
 * Keeps SQLite from re-preparing statements on every run.
 *
 * SQLite (3.54, as bundled with better-sqlite3) marks a bound parameter compared for equality
 * in a join as "reprepare when rebound", so that the planner may look at the value. better-sqlite3
 * clears the bindings after every run, and clearing bindings expires any statement with such a
 * mark: every run of a join with a `?` parsed and planned the statement afresh. Measured here on
 * the score-saving statement (a four-table join): 47.5 µs a run, 4.1 µs without the re-prepare;
 * across the service the re-prepares were 7% of its CPU under the scores benchmark.
 *
 * A parameter written `+?` is the same value (unary plus changes nothing, and a parameter has no
 * affinity to lose), still usable by an index, but not a bare parameter, so the planner does not
 * mark it. This is what SQLite's query-planner stability guarantee (QPSG) would give, which
 * better-sqlite3 does not let us switch on.
 */
export function withStablePlans(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const skip = skippedAt(sql, i);
    if (skip > i) {
      out += sql.slice(i, skip);
      i = skip;
    } else if (c === '?') {
      let end = i + 1;
      while (end < sql.length && sql[end] >= '0' && sql[end] <= '9') end++;
      out += `+${sql.slice(i, end)}`;
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Where a quoted string, quoted identifier or comment starting at `i` ends (`i` if none starts there). */
function skippedAt(sql: string, i: number): number {
  const c = sql[i];
  const close = c === "'" ? "'" : c === '"' ? '"' : c === '`' ? '`' : c === '[' ? ']' : null;
  if (close) {
    let j = i + 1;
    for (;;) {
      const k = sql.indexOf(close, j);
      if (k < 0) return sql.length;
      // A doubled quote inside a string or identifier is an escaped quote (not for [...]).
      if (close !== ']' && sql[k + 1] === close) {
        j = k + 2;
        continue;
      }
      return k + 1;
    }
  }
  if (c === '-' && sql[i + 1] === '-') {
    const k = sql.indexOf('\n', i);
    return k < 0 ? sql.length : k + 1;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const k = sql.indexOf('*/', i + 2);
    return k < 0 ? sql.length : k + 2;
  }
  return i;
}

/** Every statement the connection prepares (TypeORM's and our own) goes through withStablePlans. */
export function keepPlansStable(db: { prepare(sql: string): unknown }): void {
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => prepare(withStablePlans(sql));
}
