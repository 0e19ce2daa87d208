import { RepairRepository } from '../../catalog/repositories/repair.repository'
import { expectedGeohash, geohashState } from '../../health/geohash-check'
import type { JobHandler } from '../job-handler'

const BATCH = 2000

/**
 * The `geohash` repair job: recomputes every stored geohash from the stored GPS position by the
 * import's own rules — full precision (12) for a valid position, none for 0,0 or an invalid one —
 * and fixes the rows that disagree (null, wrong cell, truncated, or set without a position).
 * Every row with a position or a geohash is read and counted as done (reading and checking is the
 * work, which keeps this kind's measured rate meaningful for estimates); the fixes are logged.
 * Resumable: the cursor is the last id checked.
 */
export const geohashHandler: JobHandler<'geohash'> = {
  kind: 'geohash',
  async run(ctx) {
    const repo = new RepairRepository(ctx.db)
    ctx.setTotal(repo.countGeohashRows())
    let afterId = ctx.resumeCursor ? Number(ctx.resumeCursor) : 0
    const fixed = { missing: 0, mismatch: 0, orphan: 0 }
    for (;;) {
      const rows = repo.geohashPage(afterId, BATCH)
      if (rows.length === 0) break
      const updates: { id: number; geohash: string | null }[] = []
      for (const row of rows) {
        const state = geohashState(row.geohash, row.gps_lat, row.gps_lon)
        if (state !== 'ok') {
          updates.push({ id: row.id, geohash: expectedGeohash(row.gps_lat, row.gps_lon) })
          fixed[state]++
        }
      }
      afterId = rows.at(-1)?.id ?? afterId
      ctx.setCurrent(rows.at(-1)?.path ?? null)
      ctx.itemDone(rows.length)
      await ctx.checkpoint(String(afterId), () => {
        for (const u of updates) repo.setGeohash(u.id, u.geohash)
      })
      if (updates.length > 0) ctx.catalogChanged('geohash')
    }
    ctx.log(
      'info',
      `geohashes fixed: ${fixed.missing} missing, ${fixed.mismatch} wrong or truncated, ${fixed.orphan} cleared (no valid position)`,
    )
  },
}
