import { DEFAULT_BURST_OPTIONS } from '../../analysis/bursts'
import { planDuplicateGroups, type DuplicatePlan } from '../../analysis/duplicate-plan'
import { HASH_ALGO_VERSION } from '../../analysis/hashes'
import { DEFAULT_DUPLICATE_OPTIONS } from '../../analysis/near-duplicates'
import { BurstRepository } from '../../catalog/repositories/burst.repository'
import { DuplicateRepository } from '../../catalog/repositories/duplicate.repository'
import type { JobHandler } from '../job-handler'
import { DuplicateColumnsBuilder } from './review-columns'

/** Rows per keyset page: the handler yields to the event loop between pages. */
const PAGE = 20_000
/**
 * Above this many photos the computation runs in a worker process (a few hundred ms and up of
 * pure CPU that would otherwise stall the Electron main process); below it, inline is faster
 * than shipping the columns.
 */
export const DUPLICATES_INLINE_LIMIT = 50_000

/**
 * The `duplicates` job: exact copies (checksum) and near duplicates (aHash AND dHash within the
 * threshold), minus frames of one burst and pairs the user separated; then one transaction that
 * replaces the open groups. Resolved and dismissed groups stay, and a group with the same
 * members as a decided one is not recreated. Needs current hashes (the analyze job).
 */
export const duplicatesHandler: JobHandler<'duplicates'> = {
  kind: 'duplicates',
  async run(ctx) {
    const dupes = new DuplicateRepository(ctx.db)
    const threshold = ctx.params.threshold ?? ctx.settings.duplicateThreshold
    const maxId = dupes.maxPhotoId()
    const total = dupes.countPresent(maxId)
    ctx.setTotal(total)
    const columns = new DuplicateColumnsBuilder(
      total,
      new BurstRepository(ctx.db).exclusions(),
      dupes.sharedChecksums(),
    )

    const readStarted = performance.now()
    let after = 0
    for (;;) {
      const page = dupes.scanPage(HASH_ALGO_VERSION, after, maxId, PAGE)
      if (page.length === 0) break
      // Photos imported between the count and the scan wait for the next run.
      for (const row of page) if (columns.length < columns.capacity) columns.push(row)
      after = page.at(-1)?.[0] ?? after
      ctx.setCurrent(`reading hashes (${columns.length}/${total})`)
      ctx.itemDone(page.length)
      // No cursor: the job is a pure recomputation, cheap to redo from the start.
      await ctx.checkpoint(null)
    }
    const pairs = dupes.separatedPairs()
    const input = columns.build({
      separated: Int32Array.from(pairs.flat()),
      options: { ...DEFAULT_DUPLICATE_OPTIONS, threshold },
      burstOptions: { ...DEFAULT_BURST_OPTIONS, gapSeconds: ctx.settings.burstGapSeconds },
    })
    const readMs = performance.now() - readStarted
    ctx.setCurrent(`grouping ${columns.length} photos`)
    const started = performance.now()
    const plan: DuplicatePlan =
      columns.length > DUPLICATES_INLINE_LIMIT
        ? await ctx.pool.run('duplicates', input)
        : planDuplicateGroups(input)
    const ms = performance.now() - started
    const where = columns.length > DUPLICATES_INLINE_LIMIT ? 'in a worker' : 'inline'
    await ctx.checkpoint(null)

    const decided = dupes.decidedSignatures()
    const groups = plan.groups.filter((g) => !decided.has(g.signature))
    const s = plan.stats
    ctx.log(
      'info',
      `${s.hashed} hashed of ${s.rows} photos; ${s.acceptedPairs} pairs accepted ` +
        `(${s.evidencePairs} on pHash+wHash evidence) of ` +
        `${s.candidatePairs} candidates (${s.burstPairsExcluded} burst frames, ` +
        `${s.separatedPairsExcluded} separated by you, ${s.lowInfoRejected} low-information ` +
        `rejected); ${s.lowInfo} low-information, ${s.degenerate} without usable hashes, ` +
        `${s.saturatedRows} in saturated hash values; read ${readMs.toFixed(0)} ms, ` +
        `grouped ${where} ${ms.toFixed(0)} ms`,
    )
    ctx.setCurrent('writing groups')
    let written = 0
    const writeStarted = performance.now()
    await ctx.checkpoint('done', () => {
      written = dupes.replaceOpenGroups(groups, { threshold, now: new Date().toISOString() })
    })
    const writeMs = performance.now() - writeStarted
    ctx.log(
      'info',
      `${written} open groups (${s.exactGroups} exact, ${s.nearGroups} near; ` +
        `${plan.groups.length - groups.length} already decided); written in ${writeMs.toFixed(0)} ms`,
    )
    ctx.setCurrent(null)
    ctx.catalogChanged('duplicates')
  },
}
