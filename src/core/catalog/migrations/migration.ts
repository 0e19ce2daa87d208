import type { Database } from 'better-sqlite3'

/** One schema step. `up` runs inside a transaction; versions are consecutive from 1. */
export interface Migration {
  readonly version: number
  readonly name: string
  up(db: Database): void
}
