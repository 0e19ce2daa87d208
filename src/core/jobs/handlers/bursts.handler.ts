import {
  CameraKeys,
  DEFAULT_BURST_OPTIONS,
  detectBursts,
  mergeWindows,
  recomputeBurstsInWindows,
  touchedWindows,
  type BurstColumns,
  type BurstOptions,
  type DetectedBurst,
  type TimeWindow,
} from '../../analysis/bursts'
import { signatureOf } from '../../analysis/duplicate-plan'
import {
  BurstRepository,
  msToTakenAt,
  takenAtToMs,
  type NewBurst,
} from '../../catalog/repositories/burst.repository'
import { DuplicateRepository } from '../../catalog/repositories/duplicate.repository'
import { SettingsRepository } from '../../catalog/repositories/settings.repository'
import type { JobHandler } from '../job-handler'
import { FrameColumnsBuilder } from './review-columns'

/** Internal settings key: where the last run stopped, so the next one is incremental. */
const WATERMARK_KEY = 'bursts.watermark'
/** Bump when detection rules change: the next run is then a full one. */
const BURST_RULES_VERSION = 1
const PAGE = 20_000
/** Above this many dated photos a full pass detects in a worker (see duplicates.handler.ts). */
export const BURSTS_INLINE_LIMIT = 50_000

interface Watermark {
  readonly version: number
  readonly gapSeconds: number
  /** Highest photo id seen by the last run. */
  readonly maxPhotoId: number
  /** When the last run started: removals and new quality scores after it are re-examined. */
  readonly at: string
}

/** "camera:Canon EOS 70D|5472x3648" → "Canon EOS 70D"; unknown cameras say where they were. */
export function cameraLabel(key: string): string {
  const [device = ''] = key.split('|')
  if (device.startsWith('camera:')) return device.slice('camera:'.length)
  return `unknown camera in ${device.slice('folder:'.length)}`
}

function toNewBurst(b: DetectedBurst, frames: BurstColumns, cameras: CameraKeys): NewBurst {
  const finite = (v: number) => (Number.isFinite(v) ? v : null)
  const at = (row: number) => msToTakenAt(frames.takenAtMs[row] as number)
  return {
    camera: cameraLabel(cameras.names[b.camera] ?? ''),
    startMs: b.startMs,
    endMs: b.endMs,
    startAt: at(b.rows[0] as number),
    endAt: at(b.rows.at(-1) as number),
    bestPhotoId: frames.ids[b.bestRow] as number,
    bestScore: finite(frames.score[b.bestRow] as number),
    bestReason: b.bestReason,
    signature: signatureOf(b.rows.map((r) => frames.ids[r] as number)),
    members: b.rows.map((row) => ({
      photoId: frames.ids[row] as number,
      takenAt: at(row),
      score: finite(frames.score[row] as number),
      sharpness: finite(frames.sharpness[row] as number),
    })),
  }
}

/** A burst all of whose frames the user already decided (in one resolved burst) stays decided. */
function undecided(resolved: Map<number, Set<number>[]>) {
  return (b: NewBurst) => {
    const first = b.members[0]?.photoId
    const sets = first === undefined ? undefined : resolved.get(first)
    return !sets?.some((set) => b.members.every((m) => set.has(m.photoId)))
  }
}

/**
 * The `bursts` job. The first run (or a changed gap setting) scans every photo with a trusted
 * capture time: one sort and one pass. Later runs are incremental: only the time windows around
 * photos imported, removed or re-scored since the last run are recomputed (each widened to whole
 * runs), and only the open bursts overlapping them are replaced.
 */
export const burstsHandler: JobHandler<'bursts'> = {
  kind: 'bursts',
  async run(ctx) {
    const repo = new BurstRepository(ctx.db)
    const settings = new SettingsRepository(ctx.db)
    const gapSeconds = ctx.params.gapSeconds ?? ctx.settings.burstGapSeconds
    const options: BurstOptions = { ...DEFAULT_BURST_OPTIONS, gapSeconds }
    const startedAt = new Date().toISOString()
    const maxPhotoId = repo.maxPhotoId()
    const previous = settings.getValue<Watermark>(WATERMARK_KEY)
    const exclusions = repo.exclusions()
    const resolved = repo.resolvedMemberSets()
    const full =
      !previous || previous.version !== BURST_RULES_VERSION || previous.gapSeconds !== gapSeconds

    const cameras = new CameraKeys()
    const saveWatermark = () =>
      settings.setValue(WATERMARK_KEY, {
        version: BURST_RULES_VERSION,
        gapSeconds,
        maxPhotoId,
        at: startedAt,
      } satisfies Watermark)

    let written = 0
    if (full) {
      const total = repo.countFrames()
      ctx.setTotal(total)
      const shared = new DuplicateRepository(ctx.db).sharedChecksums()
      const frames = new FrameColumnsBuilder(total, exclusions, cameras, shared)
      let after = 0
      for (;;) {
        const page = repo.framesPage(after, PAGE)
        if (page.length === 0) break
        for (const row of page) if (frames.length < frames.capacity) frames.push(row)
        after = page.at(-1)?.[0] ?? after
        ctx.itemDone(page.length)
        await ctx.checkpoint(null)
      }
      const cols = frames.build()
      const detected =
        frames.length > BURSTS_INLINE_LIMIT
          ? await ctx.pool.run('bursts', { frames: cols, options })
          : detectBursts(cols, options)
      const bursts = detected.map((b) => toNewBurst(b, cols, cameras)).filter(undecided(resolved))
      await ctx.checkpoint('done', () => {
        written = repo.replaceOpen(bursts, startedAt)
        saveWatermark()
      })
      ctx.log('info', `full pass over ${frames.length} dated photos: ${written} open bursts`)
    } else {
      const times = repo.changedSince(previous.maxPhotoId, previous.at).map(takenAtToMs)
      let windows: TimeWindow[] = touchedWindows(times, gapSeconds)
      // Stored bursts overlapping a window are replaced whole, so the window must cover them.
      windows = mergeWindows([
        ...windows,
        ...windows.flatMap((w) => repo.openExtentsOverlapping(w.startMs, w.endMs)),
      ])
      ctx.setTotal(times.length)
      const results = recomputeBurstsInWindows(
        windows,
        (startMs, endMs) => {
          const rows = repo.framesBetween(startMs, endMs)
          const frames = new FrameColumnsBuilder(rows.length, exclusions, cameras)
          for (const row of rows) frames.push(row)
          return frames.build()
        },
        options,
      )
      await ctx.checkpoint('done', () => {
        for (const result of results) {
          const bursts = result.bursts
            .map((b) => toNewBurst(b, result.frames, cameras))
            .filter(undecided(resolved))
          written += repo.replaceOpen(bursts, startedAt, result.window)
        }
        saveWatermark()
      })
      ctx.itemDone(times.length)
      ctx.log(
        'info',
        `incremental: ${times.length} changed photos, ${results.length} time windows, ` +
          `${written} bursts recomputed`,
      )
    }
    ctx.catalogChanged('bursts')
  },
}
