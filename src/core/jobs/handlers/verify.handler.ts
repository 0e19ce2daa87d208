import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { VerifySummaryDto } from '../../../shared/contract/health'
import {
  PhotoImportRepository,
  type PhotoImportRow,
} from '../../catalog/repositories/photo-import.repository'
import { RepairRepository, type VerifyRow } from '../../catalog/repositories/repair.repository'
import { recordVerify } from '../../health/verify-record'
import { walkFiles } from '../../media/walk'
import type { ImportedFile } from '../../tasks/import-file.task'
import { codeOf } from '../../tasks/task-error'
import { mapLimit } from '../../health/map-limit'
import type { JobContext, JobHandler } from '../job-handler'

/** Photos stat'ed per batch (and per checkpoint). */
const BATCH = 500
/** Concurrent stats: enough to keep libuv's thread pool and a network disk busy. */
const STAT_CONCURRENCY = 32

type Summary = Omit<VerifySummaryDto, 'jobId' | 'at' | 'folder' | 'checked'>

interface Cursor {
  readonly phase: 'scan' | 'relink'
  readonly afterId: number
  readonly summary: Summary
}

const EMPTY: Summary = { vanished: 0, changed: 0, touched: 0, relinked: 0, returned: 0 }

type StatResult =
  | { readonly kind: 'gone' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'file'; readonly size: number; readonly mtimeMs: number }

async function statOf(file: string): Promise<StatResult> {
  try {
    const s = await stat(file)
    if (!s.isFile()) return { kind: 'gone' }
    return { kind: 'file', size: s.size, mtimeMs: Math.trunc(s.mtimeMs) }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'gone' }
    return { kind: 'error', message: (error as Error).message }
  }
}

function toImportRow(file: ImportedFile): PhotoImportRow {
  const { warnings: _warnings, ...row } = file
  return row
}

/**
 * The `verify` job: are the originals still there, unchanged?
 *
 * Scan (resumable by photo id): every photo in scope is stat'ed, in batches with bounded
 * concurrency. Gone → `missing_since` set. Back after being missing → cleared. Size or mtime
 * changed → the file is read again in a worker (the import's own task: checksum + metadata):
 * same checksum means only the timestamp moved (row updated, derived data kept); a different one
 * means new content, so the row takes the new metadata and its derived data is marked outdated
 * (analyze redoes it) and its old errors are dropped.
 *
 * Relink: vanished photos are looked for under the import roots that contained them. Only files
 * the catalog does not know, with the same size as a vanished photo, are checksummed; a match
 * moves the row to the new path (same id, decisions and derived data kept).
 *
 * The findings are stored for health ("last verified", "changed since").
 */
export const verifyHandler: JobHandler<'verify'> = {
  kind: 'verify',
  async run(ctx) {
    const repair = new RepairRepository(ctx.db)
    const photos = new PhotoImportRepository(ctx.db)
    const folder = ctx.params.folder ? path.resolve(ctx.params.folder) : undefined
    const resumed = ctx.resumeCursor ? (JSON.parse(ctx.resumeCursor) as Cursor) : null
    const summary: { -readonly [K in keyof Summary]: number } = { ...(resumed?.summary ?? EMPTY) }
    const nowIso = () => new Date().toISOString()
    ctx.setTotal(repair.countInScope(folder))

    if (resumed?.phase !== 'relink') {
      let afterId = resumed?.afterId ?? 0
      for (;;) {
        const rows = repair.verifyPage(folder, afterId, BATCH)
        if (rows.length === 0) break
        const stats = await mapLimit(rows, STAT_CONCURRENCY, (row) => statOf(row.path))
        const writes: (() => void)[] = []
        const changed: { row: VerifyRow; size: number; mtimeMs: number }[] = []
        rows.forEach((row, i) => {
          const s = stats[i] as StatResult
          if (s.kind === 'gone') {
            if (row.missing_since === null) {
              summary.vanished++
              const at = nowIso()
              writes.push(() => photos.markMissing(row.id, at))
            }
            ctx.itemDone()
          } else if (s.kind === 'error') {
            ctx.itemFailed({
              photoId: row.id,
              path: row.path,
              stage: 'verify',
              code: 'unreadable',
              message: s.message,
            })
          } else {
            if (row.missing_since !== null) {
              summary.returned++
              writes.push(() => {
                photos.clearMissing(row.id)
                repair.clearVanishedErrors(row.id)
              })
            }
            if (s.size !== row.size || s.mtimeMs !== row.mtime_ms)
              changed.push({ row, size: s.size, mtimeMs: s.mtimeMs })
            else ctx.itemDone()
          }
        })
        await mapLimit(changed, Math.max(1, ctx.pool.size * 2), async ({ row, size, mtimeMs }) => {
          ctx.setCurrent(row.path)
          try {
            const out = await ctx.pool.run('import-file', { path: row.path, nowMs: Date.now() })
            if (out.kind !== 'photo') {
              ctx.itemFailed({
                photoId: row.id,
                path: row.path,
                stage: 'verify',
                code: 'unsupported',
                message: 'the file is no longer a photo or video',
              })
              return
            }
            if (out.file.checksum === row.checksum) {
              summary.touched++
              writes.push(() => repair.touch(row.id, row.mtime_ms, size, mtimeMs))
            } else {
              summary.changed++
              ctx.log('info', `changed: ${row.path} (re-analysis queued)`)
              writes.push(() => {
                photos.upsertImported(toImportRow(out.file), nowIso())
                repair.clearErrorsOfPhoto(row.id)
                repair.dropContentDerived(row.id)
              })
            }
            ctx.itemDone()
          } catch (error) {
            // The file changed and no longer reads: the catalog takes its new size and mtime (so
            // its analysis goes stale and is retried, and the next verify does not re-read it for
            // nothing) and the reason is recorded.
            summary.changed++
            writes.push(() => repair.updateStat(row.id, size, mtimeMs))
            ctx.itemFailed({
              photoId: row.id,
              path: row.path,
              stage: 'verify',
              code: codeOf(error),
              message: error instanceof Error ? error.message : String(error),
            })
          }
        })
        afterId = rows.at(-1)?.id ?? afterId
        ctx.setCurrent(rows.at(-1)?.path ?? null)
        const cursor: Cursor = { phase: 'scan', afterId, summary: { ...summary } }
        await ctx.checkpoint(JSON.stringify(cursor), () => {
          for (const write of writes) write()
        })
        if (writes.length > 0) ctx.catalogChanged('verify')
      }
      const cursor: Cursor = { phase: 'relink', afterId: 0, summary: { ...summary } }
      await ctx.checkpoint(JSON.stringify(cursor))
    }

    const relinkCursor = JSON.stringify({ phase: 'relink', afterId: 0, summary: { ...summary } })
    summary.relinked += await relinkVanished(ctx, repair, photos, folder, relinkCursor)
    const checked = repair.countInScope(folder)
    const newlyMissing = summary.vanished
    // What health shows: originals still missing once moved ones were re-linked.
    summary.vanished = repair.countMissingInScope(folder)
    const run: VerifySummaryDto = {
      jobId: ctx.jobId,
      at: nowIso(),
      folder: folder ?? null,
      checked,
      ...summary,
    }
    ctx.log(
      'info',
      `verified ${checked}: ${newlyMissing} newly missing, ${summary.relinked} re-linked by checksum, ` +
        `${summary.vanished} still missing, ${summary.returned} back, ${summary.changed} changed, ` +
        `${summary.touched} only touched`,
    )
    await ctx.checkpoint(JSON.stringify({ phase: 'relink', afterId: 0, summary }), () =>
      recordVerify(ctx.db, run),
    )
    ctx.catalogChanged('verify')
  },
}

/**
 * Looks for vanished photos under the import roots that held them; re-links the ones found by
 * checksum. Idempotent (a resumed job simply walks again). Returns how many were re-linked.
 */
async function relinkVanished(
  ctx: JobContext<'verify'>,
  repair: RepairRepository,
  photos: PhotoImportRepository,
  folder: string | undefined,
  cursor: string,
): Promise<number> {
  const vanished = repair.vanishedInScope(folder).filter((r) => r.checksum !== null)
  if (vanished.length === 0) return 0
  const bySize = new Map<number, VerifyRow[]>()
  for (const row of vanished) bySize.set(row.size, [...(bySize.get(row.size) ?? []), row])
  const within = (root: string, file: string) =>
    file.startsWith(root.replace(/[\\/]+$/, '') + path.sep)
  // Nested roots (an import of /photos and one of /photos/2024) would be walked twice: keep the
  // outermost that holds a vanished photo.
  const roots = repair
    .importRoots()
    .filter((root) => vanished.some((v) => within(root, v.path)))
    .filter((root, _, all) => !all.some((other) => other !== root && within(other, root)))
  const linked = new Set<number>()
  const found: { id: number; from: string; file: ImportedFile }[] = []
  const inFlightLimit = Math.max(1, ctx.pool.size * 2)
  const flush = async () => {
    const batch = found.splice(0)
    for (const f of batch) ctx.log('info', `re-linked: ${f.from} → ${f.file.path}`)
    await ctx.checkpoint(cursor, () => {
      for (const f of batch) {
        photos.moveTo(f.id, toImportRow(f.file))
        repair.clearVanishedErrors(f.id)
      }
    })
  }
  for (const root of roots) {
    if (linked.size === vanished.length) break
    ctx.log('info', `looking for ${vanished.length - linked.size} vanished originals under ${root}`)
    const inFlight = new Set<Promise<void>>()
    const tryFile = async (candidates: readonly VerifyRow[], file: string) => {
      try {
        const out = await ctx.pool.run('import-file', { path: file, nowMs: Date.now() })
        if (out.kind !== 'photo') return
        const match = candidates.find((c) => c.checksum === out.file.checksum && !linked.has(c.id))
        if (!match) return
        linked.add(match.id)
        found.push({ id: match.id, from: match.path, file: out.file })
      } catch {
        // An unreadable candidate is simply not a match; the photo stays vanished.
      }
    }
    try {
      for await (const file of walkFiles(root, { signal: ctx.signal })) {
        const candidates = bySize.get(file.stats.size)?.filter((c) => !linked.has(c.id))
        if (!candidates || candidates.length === 0 || repair.isKnownPath(file.path)) continue
        const p: Promise<void> = tryFile(candidates, file.path).finally(() => inFlight.delete(p))
        inFlight.add(p)
        if (inFlight.size >= inFlightLimit) await Promise.race(inFlight)
        if (found.length >= 50) await flush()
        if (linked.size === vanished.length) break
      }
    } catch (error) {
      ctx.log(
        'warn',
        `could not walk ${root}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    await Promise.all(inFlight)
    await flush()
  }
  if (linked.size > 0) ctx.catalogChanged('verify')
  return linked.size
}
