import { describe, expect, it } from 'vitest';
import {
  cachingSqliteDatabase,
  type CacheableDatabase,
  type CacheableStatement,
} from '../../src/store/statement-cache.js';

/** A database whose statements remember their text, counting prepares and closes. */
function fakeDb() {
  const prepared: string[] = [];
  let closed = 0;
  const db: CacheableDatabase & { busy: Set<string> } = {
    busy: new Set(),
    prepare(sql: string): CacheableStatement {
      prepared.push(sql);
      const stmt = {
        sql,
        serial: prepared.length,
        reader: sql.startsWith('select'),
        get busy() {
          return db.busy.has(`${sql}#${stmt.serial}`);
        },
        all: () => [],
        run: () => ({ changes: 0, lastInsertRowid: 0 }),
        iterate: () => [][Symbol.iterator](),
      };
      return stmt;
    },
    close: () => {
      closed += 1;
    },
  };
  return { db, prepared, closed: () => closed };
}

describe('cachingSqliteDatabase', () => {
  it('prepares each statement text once and returns the same statement after', () => {
    const f = fakeDb();
    const c = cachingSqliteDatabase(f.db);
    const a = c.prepare('select 1');
    expect(c.prepare('select 1')).toBe(a);
    c.prepare('insert into t values (?)');
    expect(c.prepare('select 1')).toBe(a);
    expect(f.prepared).toEqual(['select 1', 'insert into t values (?)']);
  });

  it('prepares a fresh statement while the cached one is busy in an open iterator', () => {
    const f = fakeDb();
    const c = cachingSqliteDatabase(f.db);
    const a = c.prepare('select 1') as CacheableStatement & { serial: number };
    f.db.busy.add(`select 1#${a.serial}`);
    const b = c.prepare('select 1');
    expect(b).not.toBe(a);
    expect(c.prepare('select 1')).toBe(b);
    expect(f.prepared).toEqual(['select 1', 'select 1']);
  });

  it('drops the least recently used statement beyond its capacity, and closes the database', () => {
    const f = fakeDb();
    const c = cachingSqliteDatabase(f.db, 2);
    c.prepare('select 1');
    c.prepare('select 2');
    c.prepare('select 1'); // now 2 is the least recently used
    c.prepare('select 3'); // evicts 2
    c.prepare('select 1');
    c.prepare('select 2');
    expect(f.prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
    c.close();
    expect(f.closed()).toBe(1);
  });
});
