import type { Database } from 'better-sqlite3'
import path from 'node:path'
import type { VerifySummaryDto } from '../../shared/contract/health'
import { SettingsRepository } from '../catalog/repositories/settings.repository'

/**
 * Where the verify job leaves its findings for health: the last run per folder scope, newest
 * first, as an internal settings value (a handful of small records; no table needed).
 */
export const LAST_VERIFY_KEY = 'health.lastVerify'

/** Verify runs remembered (one per folder scope). */
const KEEP_RUNS = 20

/** Records a finished verify run, replacing the previous run of the same scope. */
export function recordVerify(db: Database, run: VerifySummaryDto): void {
  const settings = new SettingsRepository(db)
  const runs = settings.getValue<VerifySummaryDto[]>(LAST_VERIFY_KEY) ?? []
  const kept = runs.filter((r) => r.folder !== run.folder).slice(0, KEEP_RUNS - 1)
  settings.setValue(LAST_VERIFY_KEY, [run, ...kept])
}

/**
 * The newest verify that covers `folder`: one of the whole catalog, of that folder, or of a
 * folder containing it.
 */
export function lastVerifyFor(db: Database, folder: string | undefined): VerifySummaryDto | null {
  const runs = new SettingsRepository(db).getValue<VerifySummaryDto[]>(LAST_VERIFY_KEY) ?? []
  const covers = (v: VerifySummaryDto) =>
    v.folder === null ||
    (folder !== undefined &&
      (folder === v.folder || folder.startsWith(v.folder.replace(/[\\/]+$/, '') + path.sep)))
  return runs.filter(covers).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))[0] ?? null
}
