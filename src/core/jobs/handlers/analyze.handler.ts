import type { Database } from 'better-sqlite3'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { HASH_ALGO_VERSION, hexToHash } from '../../analysis/hashes'
import { QUALITY_VERSION } from '../../analysis/quality'
import {
  AnalysisRepository,
  type AnalysisCandidate,
  type AnalysisVersions,
} from '../../catalog/repositories/analysis.repository'
import { HashRepository } from '../../catalog/repositories/hash.repository'
import { ItemErrorRepository } from '../../catalog/repositories/item-error.repository'
import { QualityRepository } from '../../catalog/repositories/quality.repository'
import {
  THUMBNAIL_SIZES,
  THUMBNAIL_VERSION,
  ThumbnailRepository,
} from '../../catalog/repositories/thumbnail.repository'
import type { AnalyzeTaskOutput } from '../../tasks/analyze.task'
import { ItemError, codeOf } from '../../tasks/task-error'
import type { MediaFormat } from '../../../shared/photos'
import type { JobContext, JobHandler } from '../job-handler'

/** The item_errors stage of everything this job records. */
export const ANALYZE_STAGE = 'analyze'

export const ANALYSIS_VERSIONS: AnalysisVersions = {
  thumbnail: THUMBNAIL_VERSION,
  hash: HASH_ALGO_VERSION,
  quality: QUALITY_VERSION,
}

/** Rows per write transaction, and the longest time results wait before being written. */
const BATCH_ROWS = 500
const BATCH_MS = 1000

type Outcome =
  | { readonly kind: 'skipped' }
  | { readonly kind: 'done'; readonly row: AnalysisCandidate; readonly output: AnalyzeTaskOutput }
  | { readonly kind: 'failed'; readonly row: AnalysisCandidate; readonly error: unknown }

/**
 * True when everything analysis produces for this photo is current: every thumbnail size has a
 * current row whose file is on disk, and hashes and quality are current.
 */
export function isAnalysisCurrent(row: AnalysisCandidate, cacheDir: string): boolean {
  if (!row.hashed || !row.scored || !row.thumbs) return false
  const bySize = new Map(
    row.thumbs.split('|').map((entry) => {
      const colon = entry.indexOf(':')
      return [Number(entry.slice(0, colon)), entry.slice(colon + 1)] as const
    }),
  )
  return THUMBNAIL_SIZES.every((size) => {
    const rel = bySize.get(size)
    return rel !== undefined && existsSync(path.join(cacheDir, rel))
  })
}

/** The repositories an analysis result is written through. */
export function analysisWriters(db: Database) {
  return {
    thumbs: new ThumbnailRepository(db),
    hashes: new HashRepository(db),
    quality: new QualityRepository(db),
    errors: new ItemErrorRepository(db),
  }
}

/**
 * Writes one photo's analysis (thumbnails, hashes, quality) stamped with the original's mtime,
 * and clears its earlier analyze error. The analyze job and retry-failed both write through this.
 */
export function writeAnalysisResult(
  writers: ReturnType<typeof analysisWriters>,
  row: { readonly id: number; readonly mtime_ms: number },
  output: AnalyzeTaskOutput,
  at: string,
): void {
  for (const t of output.thumbnails) {
    writers.thumbs.upsert(
      { photoId: row.id, ...t, sourceMtimeMs: row.mtime_ms },
      THUMBNAIL_VERSION,
      at,
    )
  }
  writers.hashes.upsert(
    {
      photoId: row.id,
      ahash: hexToHash(output.hashes.ahash),
      dhash: hexToHash(output.hashes.dhash),
      phash: hexToHash(output.hashes.phash),
      whash: hexToHash(output.hashes.whash),
      algoVersion: output.hashVersion,
      lowInformation: output.lowInformation,
      greyMean: output.greyMean,
      greyStddev: output.greyStddev,
      sourceMtimeMs: row.mtime_ms,
    },
    at,
  )
  writers.quality.upsert(row.id, output.quality, row.mtime_ms, at)
  // It worked this time: an earlier failure of this stage no longer applies.
  writers.errors.clearForPhoto(row.id, ANALYZE_STAGE)
}

/**
 * The `analyze` job: thumbnails + hashes + quality from one decode per photo, in the worker pool.
 *
 * Photos are read in id order in keyset pages; current ones are skipped (unless `force`), the rest
 * go to workers with ~2 × pool.size tasks in flight so no worker idles. Results arrive out of
 * order; they are written in id order, in batched transactions through `ctx.checkpoint(lastId)`,
 * and counted only then — so the saved cursor, the rows and the counters always agree: after a
 * SIGKILL, `vam jobs resume` continues after the last written id and nothing is counted twice.
 */
export const analyzeHandler: JobHandler<'analyze'> = {
  kind: 'analyze',
  async run(ctx) {
    const analysis = new AnalysisRepository(ctx.db)
    const writers = analysisWriters(ctx.db)
    const { force = false, folder } = ctx.params
    const cacheDir = ctx.paths.cacheDir

    let after = ctx.resumeCursor ? Number(ctx.resumeCursor) : 0
    if (ctx.resumeCursor === null) ctx.setTotal(analysis.countInScope(0, folder))

    /** Ids in id order whose outcome is pending or ready but not yet written. */
    const order: number[] = []
    const outcomes = new Map<number, Outcome>()
    const inFlight = new Set<Promise<void>>()
    const window = Math.max(2, ctx.pool.size * 2)
    let ready: { id: number; outcome: Outcome }[] = []
    let lastWrite = Date.now()
    // Cancel must not wait for slow in-flight photos: waking up on abort lets the next checkpoint
    // write what is finished and throw at once (late results of abandoned tasks are dropped).
    const aborted = new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve()
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true })
    })

    const write = (batch: readonly { id: number; outcome: Outcome }[]) => () => {
      const at = new Date().toISOString()
      for (const { outcome } of batch) {
        if (outcome.kind === 'done') writeAnalysisResult(writers, outcome.row, outcome.output, at)
      }
    }

    /** Moves finished outcomes at the head of `order` into `ready`; writes when a batch is due. */
    const drain = async (final: boolean) => {
      while (order.length > 0 && outcomes.has(order[0] as number)) {
        const id = order.shift() as number
        ready.push({ id, outcome: outcomes.get(id) as Outcome })
        outcomes.delete(id)
      }
      const due = ready.length >= BATCH_ROWS || Date.now() - lastWrite >= BATCH_MS || final
      if (!due || (ready.length === 0 && !final)) return
      const batch = ready
      ready = []
      let done = 0
      let skipped = 0
      for (const { outcome } of batch) {
        if (outcome.kind === 'done') done++
        else if (outcome.kind === 'skipped') skipped++
        else recordFailure(ctx, outcome.row, outcome.error)
      }
      if (done) ctx.itemDone(done)
      if (skipped) ctx.itemSkipped(skipped)
      const cursor = batch.length > 0 ? String(batch.at(-1)?.id) : ctx.resumeCursor
      await ctx.checkpoint(cursor ?? null, write(batch))
      if (done) ctx.catalogChanged('analysis')
      lastWrite = Date.now()
    }

    const dispatch = (row: AnalysisCandidate) => {
      ctx.setCurrent(row.path)
      const task = ctx.pool
        .run('analyze', {
          photoId: row.id,
          path: row.path,
          format: row.format as MediaFormat | null,
          width: row.width,
          height: row.height,
          bytes: row.size,
          hasDate: row.has_date === 1,
          hasGps: row.has_gps === 1,
          hasCamera: row.has_camera === 1,
          cacheDir,
        })
        .then(
          (output): Outcome => ({ kind: 'done', row, output }),
          (error: unknown): Outcome => ({ kind: 'failed', row, error }),
        )
        .then((outcome) => {
          outcomes.set(row.id, outcome)
          inFlight.delete(task)
        })
      inFlight.add(task)
    }

    for (;;) {
      const page = analysis.streamNeedingAnalysis(after, ANALYSIS_VERSIONS, { folder })
      if (page.length === 0) break
      for (const row of page) {
        after = row.id
        order.push(row.id)
        if (!force && isAnalysisCurrent(row, cacheDir)) {
          outcomes.set(row.id, { kind: 'skipped' })
          continue
        }
        while (inFlight.size >= window) {
          await Promise.race([...inFlight, aborted])
          await drain(ctx.signal.aborted)
        }
        dispatch(row)
      }
      await drain(false)
    }
    while (inFlight.size > 0) {
      await Promise.race([...inFlight, aborted])
      await drain(ctx.signal.aborted)
    }
    await drain(true)
    ctx.setCurrent(null)
  },
}

function recordFailure(ctx: JobContext<'analyze'>, row: AnalysisCandidate, error: unknown): void {
  const code = codeOf(error)
  const message = error instanceof Error ? error.message : String(error)
  ctx.itemFailed({
    photoId: row.id,
    path: row.path,
    stage: ANALYZE_STAGE,
    code,
    message: error instanceof ItemError ? message : `unexpected: ${message}`,
  })
}
