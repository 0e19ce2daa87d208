import Database from 'better-sqlite3'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { backupCatalog } from '../../src/core/catalog/backup-service'
import { checkIntegrity, restoreBackupFile } from '../../src/core/catalog/backup'
import { openCatalog } from '../../src/core/catalog/open-catalog'
import { BackupRepository } from '../../src/core/catalog/repositories/backup.repository'
import { SettingsRepository } from '../../src/core/catalog/repositories/settings.repository'
import { vam } from '../helpers/run-cli'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

const setting = (file: string, key: string) => {
  const db = new Database(file, { readonly: true })
  try {
    return (
      db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
        { value: string } | undefined
    )?.value
  } finally {
    db.close()
  }
}

describe('backups', () => {
  it('writes verified backups and keeps only the newest N (retention setting)', async () => {
    const catalog = await openCatalog(path.join(tempDir(), 'c.sqlite'))
    new SettingsRepository(catalog.db).update({ backupRetention: 3 })
    const made = []
    for (let i = 0; i < 5; i++)
      made.push(await backupCatalog(catalog.db, catalog.paths, `round ${i}`))
    for (const b of made) expect(b.verified).toBe(true)
    const kept = new BackupRepository(catalog.db).listNewestFirst()
    expect(kept.map((b) => b.reason)).toEqual(['round 4', 'round 3', 'round 2'])
    expect(readdirSync(catalog.paths.backupsDir).sort()).toEqual(
      kept.map((b) => path.basename(b.path)).sort(),
    )
    for (const b of kept) expect(checkIntegrity(b.path)).toEqual([])
    for (const gone of made.slice(0, 2)) expect(existsSync(gone.path)).toBe(false)
    catalog.close()
  })

  it('vam backup / backups / restore: restore brings back the old content, undoably', async () => {
    const file = path.join(tempDir(), 'c.sqlite')
    const catalog = await openCatalog(file)
    catalog.db.prepare(`INSERT INTO settings (key, value) VALUES ('marker', '"old"')`).run()
    catalog.close()

    const backup = await vam('--catalog', file, 'backup', '--reason', 'before edit', '--json')
    expect(backup.code).toBe(0)
    const dto = JSON.parse(backup.out) as { path: string; verified: boolean; reason: string }
    expect(dto).toMatchObject({ verified: true, reason: 'before edit' })

    const db = new Database(file)
    db.prepare(`UPDATE settings SET value = '"new"' WHERE key = 'marker'`).run()
    db.close()
    expect(setting(file, 'marker')).toBe('"new"')

    const list = await vam('--catalog', file, 'backups', '--json')
    expect((JSON.parse(list.out) as { path: string }[]).map((b) => b.path)).toContain(dto.path)

    const restored = await vam('--catalog', file, 'restore', dto.path)
    expect(restored.code).toBe(0)
    expect(setting(file, 'marker')).toBe('"old"')
    // The catalog as it was before the restore is kept beside it.
    expect(setting(`${file}.before-restore`, 'marker')).toBe('"new"')
  })

  it('refuses a corrupted backup file and leaves the catalog untouched', async () => {
    const file = path.join(tempDir(), 'c.sqlite')
    const catalog = await openCatalog(file)
    catalog.db.prepare(`INSERT INTO settings (key, value) VALUES ('marker', '"current"')`).run()
    const good = await backupCatalog(catalog.db, catalog.paths, 'good')
    catalog.close()

    // Damage the backup in the middle of its pages (the header stays valid).
    const bytes = readFileSync(good.path)
    const damaged = path.join(path.dirname(good.path), 'damaged.sqlite')
    for (let i = 4096 + 100; i < bytes.length; i += 7) bytes[i] = 0x5a
    writeFileSync(damaged, bytes)
    expect(() => restoreBackupFile(file, damaged)).toThrow(/damaged|malformed|not a database/i)
    const viaCli = await vam('--catalog', file, 'restore', damaged)
    expect(viaCli.code).not.toBe(0)
    expect(setting(file, 'marker')).toBe('"current"')

    // Not a database at all.
    const garbage = path.join(path.dirname(good.path), 'garbage.sqlite')
    writeFileSync(garbage, 'definitely not sqlite')
    expect(() => restoreBackupFile(file, garbage)).toThrow()
    expect(setting(file, 'marker')).toBe('"current"')
  })
})
