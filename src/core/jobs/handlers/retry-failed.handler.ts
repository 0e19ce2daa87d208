import { open, stat } from 'node:fs/promises'
import { MAX_RETRY_ATTEMPTS, TRANSIENT_ERROR_CODES } from '../../../shared/health'
import type { ItemErrorCode } from '../../../shared/jobs'
import type { MediaFormat } from '../../../shared/photos'
import { PhotoImportRepository } from '../../catalog/repositories/photo-import.repository'
import { PhotoRepository, type PhotoRow } from '../../catalog/repositories/photo.repository'
import { RepairRepository } from '../../catalog/repositories/repair.repository'
import { ffmpegAvailable } from '../../health/ffmpeg-available'
import { codeOf } from '../../tasks/task-error'
import { mapLimit } from '../../health/map-limit'
import type { JobContext, JobHandler } from '../job-handler'
import { ANALYZE_STAGE, analysisWriters, writeAnalysisResult } from './analyze.handler'

/** Errors read per page; each page is one checkpoint. */
const PAGE = 200

interface ErrorItem {
  readonly id: number
  readonly photo_id: number | null
  readonly path: string
  readonly stage: string
  readonly code: string
  readonly attempts: number
}

/** What one retry decided; applied inside the page's checkpoint transaction. */
type Outcome =
  | { readonly kind: 'fixed'; readonly write: () => void }
  | { readonly kind: 'handed-over'; readonly write: () => void }
  | { readonly kind: 'failed'; readonly code: ItemErrorCode; readonly message: string }
  | { readonly kind: 'gone'; readonly write?: () => void }

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * The `retry-failed` job: items whose error may have been transient are tried again — the codes
 * in TRANSIENT_ERROR_CODES (unreadable, truncated, worker_crash, internal; see shared/health.ts
 * for why each), plus `needs_ffmpeg` once ffmpeg is installed — and only while they have failed
 * fewer than MAX_RETRY_ATTEMPTS times, so a file that keeps failing stops being retried.
 *
 * The failed stage is re-run for exactly those items, directly:
 * - import and verify: the import's worker task reads the file again; success inserts or
 *   refreshes its row (new content voids what was derived from the old bytes);
 * - analyze: the analyze worker task runs on the photo and its thumbnails, hashes and quality are
 *   written as the analyze job writes them;
 * - any other stage (clip): the error is cleared once the file reads again — that stage's job
 *   processes every item lacking its data, so the item is simply its work again.
 * A file that is gone becomes `vanished` (verify marks or re-links it). Another failure records
 * the new reason and counts an attempt. Resumable: the cursor is the last error id handled.
 */
export const retryFailedHandler: JobHandler<'retry-failed'> = {
  kind: 'retry-failed',
  async run(ctx) {
    const repair = new RepairRepository(ctx.db)
    const codes: ItemErrorCode[] = [
      ...TRANSIENT_ERROR_CODES,
      ...(ffmpegAvailable() ? (['needs_ffmpeg'] as const) : []),
    ]
    let afterId = ctx.resumeCursor ? Number(ctx.resumeCursor) : 0
    if (ctx.resumeCursor === null)
      ctx.setTotal(repair.countErrorsWithCodes(codes, MAX_RETRY_ATTEMPTS))
    const handedOver = new Map<string, number>()
    for (;;) {
      const page = repair.errorsWithCodes(codes, MAX_RETRY_ATTEMPTS, afterId, PAGE)
      if (page.length === 0) break
      const outcomes = await mapLimit(page, Math.max(2, ctx.pool.size * 2), (item) => {
        ctx.setCurrent(item.path)
        return retry(ctx, item)
      })
      const writes: (() => void)[] = []
      page.forEach((item, i) => {
        const outcome = outcomes[i] as Outcome
        switch (outcome.kind) {
          case 'fixed':
            writes.push(outcome.write, () => repair.deleteError(item.id))
            ctx.itemDone()
            break
          case 'handed-over':
            writes.push(outcome.write, () => repair.deleteError(item.id))
            handedOver.set(item.stage, (handedOver.get(item.stage) ?? 0) + 1)
            ctx.itemDone()
            break
          case 'gone':
            if (outcome.write) {
              writes.push(outcome.write)
              ctx.itemSkipped()
            } else {
              ctx.itemFailed({
                photoId: item.photo_id,
                path: item.path,
                stage: item.stage,
                code: 'vanished',
                message: 'the file is gone (verify marks or re-links it)',
              })
            }
            break
          case 'failed':
            ctx.itemFailed({
              photoId: item.photo_id,
              path: item.path,
              stage: item.stage,
              code: outcome.code,
              message: outcome.message,
            })
            break
        }
      })
      afterId = page.at(-1)?.id ?? afterId
      await ctx.checkpoint(String(afterId), () => {
        for (const write of writes) write()
      })
      ctx.catalogChanged('retry-failed')
    }
    for (const [stage, count] of handedOver) {
      ctx.log(
        'info',
        `${count} ${stage} items read fine again: the next \`vam run ${stage}\` processes them`,
      )
    }
  },
}

async function retry(ctx: JobContext<'retry-failed'>, item: ErrorItem): Promise<Outcome> {
  try {
    await stat(item.path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // A file that never became a photo and is gone: nothing left to explain (import does the same).
      if (item.photo_id === null) {
        return { kind: 'gone', write: () => new RepairRepository(ctx.db).deleteError(item.id) }
      }
      return { kind: 'gone' }
    }
    return { kind: 'failed', code: 'unreadable', message: message(error) }
  }
  try {
    switch (item.stage) {
      case 'import':
      case 'verify':
        return await retryRead(ctx, item)
      case ANALYZE_STAGE:
        return await retryAnalyze(ctx, item)
      default: {
        // Proves the bytes read again; the stage's own job does the rest.
        const handle = await open(item.path, 'r')
        try {
          await handle.read(Buffer.alloc(1), 0, 1, 0)
        } finally {
          await handle.close()
        }
        return { kind: 'handed-over', write: () => undefined }
      }
    }
  } catch (error) {
    return { kind: 'failed', code: codeOf(error), message: message(error) }
  }
}

/**
 * Reads the file again with the import's own task (import and verify failures are both "could not
 * read this file"): success refreshes its row; new content also voids what was derived from the
 * old bytes, exactly as verify does.
 */
async function retryRead(ctx: JobContext<'retry-failed'>, item: ErrorItem): Promise<Outcome> {
  const out = await ctx.pool.run('import-file', { path: item.path, nowMs: Date.now() })
  // Not media after all: the import drops such files without an error; so do we.
  if (out.kind !== 'photo') return { kind: 'fixed', write: () => undefined }
  const { warnings: _warnings, ...row } = out.file
  const photos = new PhotoImportRepository(ctx.db)
  const repair = new RepairRepository(ctx.db)
  const known = new PhotoRepository(ctx.db).getByPath(item.path)
  const at = new Date().toISOString()
  return {
    kind: 'fixed',
    write: () => {
      photos.upsertImported(row, at)
      if (known && known.checksum !== row.checksum) {
        repair.clearErrorsOfPhoto(known.id)
        repair.dropContentDerived(known.id)
      }
    },
  }
}

async function retryAnalyze(ctx: JobContext<'retry-failed'>, item: ErrorItem): Promise<Outcome> {
  const photo = item.photo_id === null ? undefined : new PhotoRepository(ctx.db).get(item.photo_id)
  if (!photo) return { kind: 'fixed', write: () => undefined }
  const output = await ctx.pool.run('analyze', analyzeInput(photo, ctx.paths.cacheDir))
  return {
    kind: 'fixed',
    write: () =>
      writeAnalysisResult(analysisWriters(ctx.db), photo, output, new Date().toISOString()),
  }
}

function analyzeInput(photo: PhotoRow, cacheDir: string) {
  return {
    photoId: photo.id,
    path: photo.path,
    format: photo.format as MediaFormat | null,
    width: photo.width,
    height: photo.height,
    bytes: photo.size,
    hasDate: photo.taken_at !== null,
    hasGps: photo.gps_lat !== null && photo.gps_lon !== null,
    hasCamera: photo.make !== null || photo.model !== null,
    cacheDir,
  }
}
