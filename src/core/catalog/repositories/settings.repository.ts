import type { Database } from 'better-sqlite3'
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings'

/** Settings as JSON per key; absent keys take their defaults. */
export class SettingsRepository {
  constructor(private readonly db: Database) {}

  getAll(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as {
      key: string
      value: string
    }[]
    const stored: Record<string, unknown> = {}
    for (const row of rows) {
      if (row.key in DEFAULT_SETTINGS) stored[row.key] = JSON.parse(row.value)
    }
    return { ...DEFAULT_SETTINGS, ...stored } as Settings
  }

  update(patch: Partial<Settings>): Settings {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    )
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined && key in DEFAULT_SETTINGS) upsert.run(key, JSON.stringify(value))
      }
    })()
    return this.getAll()
  }

  /** Raw key/value access for internal state that is not a user setting (e.g. model ids). */
  getValue<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      | { value: string }
      | undefined
    return row ? (JSON.parse(row.value) as T) : undefined
  }

  setValue(key: string, value: unknown): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, JSON.stringify(value))
  }
}
