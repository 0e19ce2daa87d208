import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { PhotoImportRepository } from '../../catalog/repositories/photo-import.repository'
import { ItemErrorRepository } from '../../catalog/repositories/item-error.repository'
import { SettingsRepository } from '../../catalog/repositories/settings.repository'
import { dispositionOf } from '../../media/sniff'
import { compareWalkOrder, walkFiles, type WalkedFile } from '../../media/walk'
import type { ImportedFile, ImportFileOutput } from '../../tasks/import-file.task'
import { codeOf } from '../../tasks/task-error'
import type { ItemFailure, JobContext, JobHandler } from '../job-handler'

/**
 * The `import` job: walk a folder, import every media file, keep the catalog in step with disk.
 *
 * Pipeline: the walk streams files in a deterministic order; the main process decides cheaply
 * whether a file is unchanged (same path, size and mtime: skipped without opening it); the rest go
 * to workers (checksum + sniff + EXIF + dates + GPS in one read, see import-file.task.ts) with about
 * 2 × pool.size tasks in flight. Results are released in walk order, so "everything up to path P is
 * committed" is one cursor, and written in batches (≥ 500 rows or ~1 s) through `ctx.checkpoint`.
 *
 * Exact counts across crashes: an item is counted (done / skipped / failed) in the same
 * transaction that commits it and moves the cursor past it. A resumed run walks again, and items
 * at or before the cursor are reconciled without being counted a second time; the cursor also
 * carries how many items were counted, so `total` stays exact.
 *
 * Identity: a new path whose checksum matches a photo whose file no longer exists is that photo,
 * moved (its row follows, id kept). Any other file with the same checksum is its own row: exact
 * duplicates are all recorded. At the end, photos under the root whose files are gone get
 * `missing_since` (never deleted); a file that comes back clears it.
 */

/** Writes per transaction before a checkpoint is forced. */
const BATCH_ROWS = 500
/** Released items (mostly unchanged skips, which write nothing) per checkpoint. */
const BATCH_ITEMS = 5000
const BATCH_MS = 1000
/** Completed results allowed to wait behind a slow file before the walk pauses. */
const MAX_BUFFERED = 10_000
const STAGE = 'import'

interface Cursor {
  readonly v: 1
  /** Every item at or before this path (walk order) is committed and counted. */
  readonly after: string | null
  /** Items counted so far (done + skipped + failed), over all runs of this job. */
  readonly counted: number
  readonly phase: 'walk' | 'missing' | 'done'
}

type Outcome =
  | { readonly type: 'import'; readonly file: ImportedFile }
  | { readonly type: 'unchanged'; readonly id: number; readonly reappeared: boolean }
  | { readonly type: 'failed'; readonly failure: ItemFailure }
  | { readonly type: 'not-media' }
  /** Already counted by an earlier run of this job (resume): nothing to do or count. */
  | { readonly type: 'settled' }

interface Entry {
  readonly path: string
  /** False for items a previous run of this job already counted. */
  readonly counts: boolean
  outcome: Outcome | null
}

function parseCursor(raw: string | null): Cursor | null {
  if (!raw) return null
  try {
    const c = JSON.parse(raw) as Cursor
    return c.v === 1 ? c : null
  } catch {
    return null
  }
}

export const importHandler: JobHandler<'import'> = {
  kind: 'import',
  async run(ctx) {
    await runImport(ctx)
  },
}

async function runImport(ctx: JobContext<'import'>): Promise<void> {
  const root = path.resolve(ctx.params.root)
  const rootStats = await stat(root).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot open ${root}: ${error.code ?? error.message}`)
  })
  if (!rootStats.isDirectory()) throw new Error(`${root} is not a folder`)

  const repo = new PhotoImportRepository(ctx.db)
  const errors = new ItemErrorRepository(ctx.db)
  const resume = parseCursor(ctx.resumeCursor)
  const nowMs = Date.now()
  const importedAt = new Date(nowMs).toISOString()
  // Files that failed in an earlier run of this job and sit before the cursor: counted already.
  const failedBefore = resume ? repo.failedPathsOfJob(ctx.jobId) : new Set<string>()
  const seen = new Set<string>()

  rememberRecentFolder(ctx, root)
  ctx.log(
    'info',
    resume ? `re-walking ${root} (resume after ${resume.after ?? 'start'})` : `importing ${root}`,
  )

  // Counters of this run, committed ones only (see the module comment).
  let counted = resume?.counted ?? 0
  let discovered = 0
  const totalBase = resume?.counted ?? 0
  let lastReleased: string | null = resume?.after ?? null

  const queue: Entry[] = []
  let head = 0
  let inFlight = 0
  let wake: (() => void) | null = null
  const signalProgress = () => {
    const w = wake
    wake = null
    w?.()
  }

  // The batch being assembled from released entries.
  let writes: (() => void)[] = []
  let failures: ItemFailure[] = []
  let batchDone = 0
  let batchSkipped = 0
  let batchItems = 0
  let batchCounted = 0
  let lastFlush = Date.now()
  const claimedMoves = new Set<number>()

  const release = () => {
    while (head < queue.length) {
      const entry = queue[head] as Entry
      if (!entry.outcome) break
      queue[head] = undefined as unknown as Entry
      head++
      const outcome = entry.outcome
      batchItems++
      lastReleased = entry.path
      switch (outcome.type) {
        case 'import':
          writes.push(() => writeImported(repo, errors, outcome.file, importedAt, claimedMoves))
          if (entry.counts) batchDone++
          break
        case 'unchanged':
          if (outcome.reappeared) writes.push(() => repo.clearMissing(outcome.id))
          if (entry.counts) batchSkipped++
          break
        case 'failed':
          if (entry.counts) failures.push(outcome.failure)
          else
            writes.push(() =>
              errors.upsert({
                ...outcome.failure,
                photoId: outcome.failure.photoId ?? null,
                jobId: ctx.jobId,
              }),
            )
          break
        case 'not-media':
        case 'settled':
          break
      }
      if (entry.counts && outcome.type !== 'not-media') batchCounted++
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head)
      head = 0
    }
  }

  const flush = async (phase: Cursor['phase']) => {
    const w = writes
    const f = failures
    const done = batchDone
    const skipped = batchSkipped
    counted += batchCounted
    writes = []
    failures = []
    batchDone = 0
    batchSkipped = 0
    batchItems = 0
    batchCounted = 0
    lastFlush = Date.now()
    // Failures are reported before the checkpoint: the engine writes their item_errors rows and
    // the failed counter in the checkpoint's transaction (and persists no counters in between).
    for (const failure of f) ctx.itemFailed(failure)
    const cursor: Cursor = { v: 1, after: lastReleased, counted, phase }
    await ctx.checkpoint(JSON.stringify(cursor), () => {
      for (const write of w) write()
      // Counted inside the transaction that commits them: a crash can never leave counters ahead
      // of the rows.
      if (done > 0) ctx.itemDone(done)
      if (skipped > 0) ctx.itemSkipped(skipped)
    })
    if (w.length > 0) ctx.catalogChanged('import')
  }

  const maybeFlush = async () => {
    if (
      writes.length >= BATCH_ROWS ||
      batchItems >= BATCH_ITEMS ||
      Date.now() - lastFlush >= BATCH_MS
    ) {
      await flush('walk')
    }
  }

  const maxInFlight = Math.max(2, ctx.pool.size * 2)
  const waitForProgress = () => new Promise<void>((resolve) => (wake = resolve))

  const onWalkError = (p: string, error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ELOOP') {
      ctx.log('warn', `skipped ${p}: ${error.code} (dangling link or removed during the walk)`)
      return
    }
    // An unreadable folder or file is an item error: its photos are not in the catalog and the
    // user must be told why. It joins the ordered queue like any item so counting stays exact.
    const counts = !isBeforeCursor(p)
    if (counts) discovered++
    queue.push({
      path: p,
      counts,
      outcome: {
        type: 'failed',
        failure: {
          path: p,
          stage: STAGE,
          code: 'unreadable',
          message: `cannot read ${p}: ${error.code ?? ''} ${error.message}`.trim(),
        },
      },
    })
  }
  const isBeforeCursor = (p: string) =>
    resume !== null && resume.after !== null && compareWalkOrder(p, resume.after) <= 0

  const walk = walkFiles(root, {
    onError: onWalkError,
    acceptName: (name) => dispositionOf(name) !== 'ignore',
    signal: ctx.signal,
    skipDirs: new Set([ctx.paths.cacheDir, ctx.paths.backupsDir, ctx.paths.quarantineDir]),
  })

  for await (const file of walk) {
    seen.add(file.path)
    const beforeCursor = isBeforeCursor(file.path)
    const counts = !beforeCursor
    const entry: Entry = { path: file.path, counts, outcome: null }
    if (counts) {
      discovered++
      ctx.setTotal(totalBase + discovered)
    }
    queue.push(entry)
    const known = repo.findByPath(file.path)
    if (
      known &&
      known.size === file.stats.size &&
      known.mtime_ms === Math.trunc(file.stats.mtimeMs)
    ) {
      entry.outcome = { type: 'unchanged', id: known.id, reappeared: known.missing_since !== null }
    } else if (beforeCursor && failedBefore.has(file.path)) {
      entry.outcome = { type: 'settled' }
    } else {
      while (inFlight >= maxInFlight) {
        await waitForProgress()
        release()
        await maybeFlush()
      }
      inFlight++
      ctx.setCurrent(file.path)
      void processFile(ctx, file, nowMs, known?.id ?? null).then((outcome) => {
        inFlight--
        entry.outcome = outcome
        // Not media after all (a probed file): not an item, so not part of the total either.
        if (outcome.type === 'not-media' && counts) {
          discovered--
          ctx.setTotal(totalBase + discovered)
        }
        signalProgress()
      })
    }
    release()
    await maybeFlush()
    while (queue.length - head > MAX_BUFFERED) {
      await waitForProgress()
      release()
      await maybeFlush()
    }
  }
  while (inFlight > 0) {
    await waitForProgress()
    release()
    await maybeFlush()
  }
  release()
  await flush('missing')
  // A walk stopped by cancel/shutdown saw only part of the tree: nothing may be marked missing.
  // (The checkpoint above normally throws first; this guards the window after it.)
  if (ctx.signal.aborted) {
    await ctx.checkpoint(
      JSON.stringify({ v: 1, after: lastReleased, counted, phase: 'walk' } satisfies Cursor),
    )
    throw new Error('import stopped before the walk finished')
  }
  ctx.setTotal(counted)
  ctx.setCurrent(null)

  const missingCursor = JSON.stringify({
    v: 1,
    after: lastReleased,
    counted,
    phase: 'missing',
  } satisfies Cursor)
  await markVanished(ctx, repo, root, seen, importedAt, missingCursor)
  await ctx.checkpoint(
    JSON.stringify({ v: 1, after: lastReleased, counted, phase: 'done' } satisfies Cursor),
  )
}

/** Sends one file to a worker; every failure becomes an item outcome, never a job failure. */
async function processFile(
  ctx: JobContext<'import'>,
  file: WalkedFile,
  nowMs: number,
  knownId: number | null,
): Promise<Outcome> {
  try {
    const output: ImportFileOutput = await ctx.pool.run('import-file', { path: file.path, nowMs })
    if (output.kind === 'not-media') return { type: 'not-media' }
    for (const warning of output.file.warnings) ctx.log('warn', `${file.path}: ${warning}`)
    return { type: 'import', file: output.file }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return {
      type: 'failed',
      failure: { photoId: knownId, path: file.path, stage: STAGE, code: codeOf(error), message },
    }
  }
}

/** One imported file into the catalog (inside the batch transaction). */
function writeImported(
  repo: PhotoImportRepository,
  errors: ItemErrorRepository,
  file: ImportedFile,
  importedAt: string,
  claimedMoves: Set<number>,
): void {
  const { warnings: _warnings, ...row } = file
  if (!repo.findByPath(file.path)) {
    // A new path: is it a known photo whose old file is gone (moved/renamed)?
    const twin = repo
      .findByChecksum(file.checksum)
      .find((c) => c.path !== file.path && !claimedMoves.has(c.id) && !existsSync(c.path))
    if (twin) {
      claimedMoves.add(twin.id)
      repo.moveTo(twin.id, row)
      errors.clear(file.path, STAGE)
      return
    }
  }
  repo.upsertImported(row, importedAt)
  errors.clear(file.path, STAGE)
}

/** Photos under the root whose files are gone get missing_since; stale import errors go. */
async function markVanished(
  ctx: JobContext<'import'>,
  repo: PhotoImportRepository,
  root: string,
  seen: ReadonlySet<string>,
  at: string,
  cursor: string,
): Promise<void> {
  // Collected first: better-sqlite3 cannot write while a read iterator is open.
  const gone: number[] = []
  for (const row of repo.iteratePresentUnder(root)) {
    // Not walked is not enough (the walk skips hidden and junk paths): the file must be gone.
    if (!seen.has(row.path) && !existsSync(row.path)) gone.push(row.id)
  }
  const staleErrors = repo.importErrorPathsUnder(root).filter((p) => !seen.has(p) && !existsSync(p))
  for (let i = 0; i < Math.max(gone.length, staleErrors.length); i += BATCH_ROWS) {
    const ids = gone.slice(i, i + BATCH_ROWS)
    const paths = staleErrors.slice(i, i + BATCH_ROWS)
    await ctx.checkpoint(cursor, () => {
      for (const id of ids) repo.markMissing(id, at)
      for (const p of paths) repo.deleteImportError(p)
    })
  }
  if (gone.length > 0) {
    ctx.log(
      'info',
      `${gone.length} photo(s) under ${root} are missing on disk (kept, marked missing)`,
    )
    ctx.catalogChanged('import')
  }
}

function rememberRecentFolder(ctx: JobContext<'import'>, root: string): void {
  const settings = new SettingsRepository(ctx.db)
  const recent = settings.getAll().recentFolders.filter((f) => f !== root)
  settings.update({ recentFolders: [root, ...recent].slice(0, 20) })
}
