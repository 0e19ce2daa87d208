import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../src/core/catalog/migrations'
import { migration0003 } from '../../src/core/catalog/migrations/0003-duplicates-bursts'
import { openCatalog } from '../../src/core/catalog/open-catalog'
import { insertPhotoRow } from '../helpers/photo-rows'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

describe('migration 0003 (duplicates, bursts, decisions)', () => {
  it('is registered in order after 0002', () => {
    const versions = MIGRATIONS.map((m) => m.version)
    expect(versions).toContain(3)
    expect(versions.indexOf(3)).toBe(versions.indexOf(2) + 1)
    expect(MIGRATIONS.find((m) => m.version === 3)).toBe(migration0003)
  })

  it('upgrades an existing v2 catalog, keeping its rows, after a verified backup', async () => {
    const file = path.join(tempDir(), 'c.sqlite')
    const v2 = await openCatalog(file, { migrations: MIGRATIONS.filter((m) => m.version <= 2) })
    const photo = insertPhotoRow(v2.db, import.meta.filename)
    v2.close()
    const v3 = await openCatalog(file, { migrations: MIGRATIONS.filter((m) => m.version <= 3) })
    expect(v3.schemaVersion).toBe(3)
    expect(v3.db.prepare('SELECT id FROM photos').all()).toEqual([{ id: photo }])
    const backups = v3.db.prepare('SELECT verified FROM backups').all()
    expect(backups).toEqual([{ verified: 1 }])
    const tables = (
      v3.db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table'`).all() as {
        name: string
        sql: string
      }[]
    ).filter((t) =>
      [
        'dup_groups',
        'dup_members',
        'bursts',
        'burst_members',
        'decisions',
        'separated_pairs',
        'burst_exclusions',
        'removed_photos',
      ].includes(t.name),
    )
    expect(tables).toHaveLength(8)
    for (const t of tables) expect(t.sql).toMatch(/STRICT/)
    v3.close()
  })

  it('enforces one row per file per group, valid roles and ordered pairs', async () => {
    const catalog = await openCatalog(path.join(tempDir(), 'c.sqlite'))
    const db = catalog.db
    const a = insertPhotoRow(db, import.meta.filename)
    const b = insertPhotoRow(db, path.join(import.meta.dirname, 'migration-0001.test.ts'))
    const group = Number(
      db
        .prepare(
          `INSERT INTO dup_groups (kind, representative, keeper_reason, signature, threshold, created_at)
           VALUES ('near', ?, 'x', ?, 5, 'now')`,
        )
        .run(a, `${a},${b}`).lastInsertRowid,
    )
    const member = db.prepare(
      `INSERT INTO dup_members (group_id, photo_id, position, role, suggested, match, reason)
       VALUES (?, ?, 0, ?, 'keep', 'keeper', 'r')`,
    )
    member.run(group, a, 'keep')
    expect(() => member.run(group, a, 'keep')).toThrow(/UNIQUE/)
    expect(() => member.run(group, b, 'delete')).toThrow(/CHECK/)
    const decision = Number(
      db
        .prepare(
          `INSERT INTO decisions (kind, at, state, summary, payload) VALUES ('dupes-dismiss', 'now', 'applied', 's', '{}')`,
        )
        .run().lastInsertRowid,
    )
    const pair = db.prepare(
      `INSERT INTO separated_pairs (photo_a, photo_b, kind, decision_id) VALUES (?, ?, 'not-duplicate', ?)`,
    )
    pair.run(Math.min(a, b), Math.max(a, b), decision)
    expect(() => pair.run(Math.max(a, b), Math.min(a, b), decision)).toThrow(/CHECK/)
    // Deleting a group cascades to its members.
    db.prepare('DELETE FROM dup_groups WHERE id = ?').run(group)
    expect(db.prepare('SELECT COUNT(*) AS n FROM dup_members').get()).toEqual({ n: 0 })
    catalog.close()
  })
})
