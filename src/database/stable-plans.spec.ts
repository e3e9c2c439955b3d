import Database from 'better-sqlite3';
import { keepPlansStable, withStablePlans } from './stable-plans';

describe('withStablePlans', () => {
  it('marks every positional parameter, numbered ones too', () => {
    expect(withStablePlans('SELECT a FROM t JOIN u ON u.t = t.id WHERE t.id = ? AND u.k IN (?, ?3) LIMIT ?')).toBe(
      'SELECT a FROM t JOIN u ON u.t = t.id WHERE t.id = +? AND u.k IN (+?, +?3) LIMIT +?',
    );
  });

  it('leaves question marks inside strings, quoted names and comments alone', () => {
    const sql = `SELECT 'why?', 'it''s ?', "col?", \`x?\`, [y?] -- what?\nFROM t /* ? */ WHERE v = ?`;
    expect(withStablePlans(sql)).toBe(`SELECT 'why?', 'it''s ?', "col?", \`x?\`, [y?] -- what?\nFROM t /* ? */ WHERE v = +?`);
  });

  it('gives the same rows as the plain statement, through the same index', () => {
    const db = new Database(':memory:');
    try {
      db.exec(`CREATE TABLE m (id INTEGER PRIMARY KEY, status TEXT); CREATE TABLE s (id INTEGER PRIMARY KEY, mId INTEGER, step TEXT, UNIQUE (mId, step));
        INSERT INTO m VALUES (1, 'open'), (2, 'closed'); INSERT INTO s (mId, step) VALUES (1, 'facts'), (2, 'facts'), (2, 'law');`);
      const sql = 'SELECT m.status, s.id FROM m JOIN s ON s.mId = m.id AND s.step = ? WHERE m.id = ?';
      for (const args of [['facts', 1], ['law', 2], ['law', '2'], ['none', 1]]) {
        expect(db.prepare(withStablePlans(sql)).raw(true).all(...args)).toEqual(db.prepare(sql).raw(true).all(...args));
      }
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${withStablePlans(sql)}`).all('law', 2) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan).toMatch(/SEARCH s USING (COVERING )?INDEX/);
      expect(plan).toMatch(/SEARCH m USING INTEGER PRIMARY KEY/);
      keepPlansStable(db);
      expect((db.prepare(sql) as unknown as { source: string }).source).toContain('= +?');
    } finally {
      db.close();
    }
  });
});
