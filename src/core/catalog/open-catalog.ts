import type { Database as Db } from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { writeVerifiedBackup } from './backup'
import { MIGRATIONS } from './migrations'
import type { Migration } from './migrations/migration'
import { catalogPathsFor, type CatalogPaths } from './paths'
import { BackupRepository } from './repositories/backup.repository'
import { openDatabase } from './sqlite'

export interface Catalog {
  readonly db: Db
  readonly paths: CatalogPaths
  readonly schemaVersion: number
  close(): void
}

export interface OpenCatalogOptions {
  readonly cacheDir?: string
  /** Migrations to apply (tests pass a prefix to check upgrades). Default: all. */
  readonly migrations?: readonly Migration[]
}

/** Sets the connection up the way the whole app expects it. */
export function configureConnection(db: Db): void {
  // WAL: readers never block the writer; NORMAL is durable across app crashes in WAL mode
  // (only an OS crash can lose the last transactions), and much faster than FULL.
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // 64 MB page cache and memory-mapped reads: the grid's page queries stay in memory at 100k rows.
  db.pragma('cache_size = -65536')
  db.pragma('mmap_size = 268435456')
  db.pragma('temp_store = MEMORY')
}

export function schemaVersionOf(db: Db): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT',
  )
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
    v: number | null
  }
  return row.v ?? 0
}

/** Versions recorded in schema_migrations. */
export function appliedVersions(db: Db): Set<number> {
  schemaVersionOf(db)
  return new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  )
}

/**
 * Opens (or creates) a catalog file and brings its schema up to date. When an existing catalog
 * needs migrations, a verified backup is written first.
 */
export async function openCatalog(file: string, options: OpenCatalogOptions = {}): Promise<Catalog> {
  const paths = catalogPathsFor(file, options.cacheDir)
  mkdirSync(path.dirname(paths.catalogFile), { recursive: true })
  const db = openDatabase(paths.catalogFile)
  try {
    configureConnection(db)
    const migrations = options.migrations ?? MIGRATIONS
    const current = schemaVersionOf(db)
    // Every migration not yet recorded, in version order — not just those above the highest:
    // numbers are reserved per feature, so 0004 can land before 0003, and a catalog already at
    // v4 must still get 0003 when it arrives.
    const applied = appliedVersions(db)
    const pending = [...migrations]
      .filter((m) => !applied.has(m.version))
      .sort((a, b) => a.version - b.version)
    if (pending.length > 0 && current > 0) {
      const backup = await writeVerifiedBackup(
        db,
        paths.backupsDir,
        `before-migration-${pending[0]?.version}`,
      )
      new BackupRepository(db).record(backup, `before migration to v${pending.at(-1)?.version}`)
    }
    for (const migration of pending) applyMigration(db, migration)
    return {
      db,
      paths,
      schemaVersion: schemaVersionOf(db),
      close() {
        if (!db.open) return
        db.pragma('wal_checkpoint(TRUNCATE)')
        db.close()
      },
    }
  } catch (error) {
    db.close()
    throw error
  }
}

function applyMigration(db: Db, migration: Migration): void {
  db.transaction(() => {
    migration.up(db)
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      migration.version,
      migration.name,
      new Date().toISOString(),
    )
  })()
}
