import Database from 'better-sqlite3'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../src/core/catalog/migrations'
import { migration0001 } from '../../src/core/catalog/migrations/0001-core'
import type { Migration } from '../../src/core/catalog/migrations/migration'
import { openCatalog } from '../../src/core/catalog/open-catalog'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

describe('migration 0001 (core)', () => {
  it('creates the core tables as STRICT tables with WAL and foreign keys on', async () => {
    const catalog = await openCatalog(path.join(tempDir(), 'c.sqlite'), { migrations: [migration0001] })
    const tables = catalog.db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all() as { name: string; sql: string }[]
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['photos', 'item_errors', 'jobs', 'job_events', 'backups', 'settings']),
    )
    for (const t of tables.filter((t) => t.name !== 'schema_migrations')) expect(t.sql).toMatch(/STRICT$/)
    expect(catalog.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(catalog.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(() =>
      catalog.db.prepare(`INSERT INTO photos (path, folder, name, size, mtime_ms, imported_at) VALUES ('a', 'b', 'c', 'big', 1, 'x')`).run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/)
    catalog.close()
  })

  it('indexes every grid filter', async () => {
    const catalog = await openCatalog(path.join(tempDir(), 'c.sqlite'), { migrations: [migration0001] })
    const plan = (sql: string) =>
      (catalog.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ')
    expect(plan(`SELECT id FROM photos WHERE folder = 'x' ORDER BY taken_at`)).toMatch(/photos_folder/)
    expect(plan(`SELECT id FROM photos ORDER BY taken_at, id LIMIT 10`)).toMatch(/photos_taken_at/)
    expect(plan(`SELECT id FROM photos WHERE make = 'a' AND model = 'b'`)).toMatch(/photos_camera/)
    expect(plan(`SELECT id FROM photos WHERE geohash >= 'u1' AND geohash < 'u1~'`)).toMatch(/photos_geohash/)
    expect(plan(`SELECT id FROM photos WHERE gps_lat IS NOT NULL ORDER BY taken_at`)).toMatch(/photos_has_gps/)
    catalog.close()
  })

  it('is applied once: reopening runs nothing and keeps data', async () => {
    const file = path.join(tempDir(), 'c.sqlite')
    const first = await openCatalog(file)
    first.db.prepare(`INSERT INTO settings (key, value) VALUES ('k', '1')`).run()
    first.close()
    const second = await openCatalog(file)
    expect(second.schemaVersion).toBe(MIGRATIONS.at(-1)?.version)
    expect(second.db.prepare('SELECT value FROM settings WHERE key = ?').get('k')).toEqual({ value: '1' })
    second.close()
  })

  it('writes a verified backup before migrating an existing catalog', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'c.sqlite')
    const v1 = await openCatalog(file, { migrations: [migration0001] })
    v1.db.prepare(`INSERT INTO settings (key, value) VALUES ('before', '"yes"')`).run()
    v1.close()
    const extra: Migration = {
      version: 999,
      name: 'test-extra',
      up: (db) => db.exec('CREATE TABLE extra (id INTEGER PRIMARY KEY) STRICT'),
    }
    const v2 = await openCatalog(file, { migrations: [migration0001, extra] })
    expect(v2.schemaVersion).toBe(999)
    const backups = v2.db.prepare('SELECT path, verified, reason FROM backups').all() as {
      path: string
      verified: number
      reason: string
    }[]
    expect(backups).toHaveLength(1)
    expect(backups[0]?.verified).toBe(1)
    expect(readdirSync(v2.paths.backupsDir)).toHaveLength(1)
    const copy = new Database(backups[0]?.path as string, { readonly: true })
    expect(copy.prepare(`SELECT value FROM settings WHERE key = 'before'`).get()).toEqual({ value: '"yes"' })
    expect(copy.prepare(`SELECT name FROM sqlite_master WHERE name = 'extra'`).get()).toBeUndefined()
    copy.close()
    v2.close()
  })

  it('rolls a failing migration back entirely', async () => {
    const file = path.join(tempDir(), 'c.sqlite')
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half (id INTEGER) STRICT')
        throw new Error('boom')
      },
    }
    await expect(openCatalog(file, { migrations: [migration0001, broken] })).rejects.toThrow('boom')
    const db = new Database(file, { readonly: true })
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined()
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 })
    db.close()
  })
})
