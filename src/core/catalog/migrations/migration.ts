import type { Database } from 'better-sqlite3'

/**
 * One schema step. `up` runs inside a transaction. Versions are unique but need not be
 * consecutive: every version not yet recorded in schema_migrations is applied, in version order.
 */
export interface Migration {
  readonly version: number
  readonly name: string
  up(db: Database): void
}
