/**
 * Burst detection. Pure: frames in (columns), bursts out.
 *
 * A burst is a run of ≥ 3 frames from one camera body whose consecutive capture times are at
 * most `gapSeconds` apart (default 2, a setting; the seed used 1–2 s) and, where both frames have
 * GPS, at most 10 m apart. "One camera body" is the caller's camera key: make + model, or the
 * folder as a device proxy when the camera is unknown, plus the pixel dimensions — a burst is
 * shot with one setting, and this keeps edits and exports (which inherit the original's EXIF
 * time) out of runs. Byte-identical copies (same content class) count once. Frames the user
 * declared "not a burst" are barriers: no run includes or spans them.
 *
 * One sort by (camera, time, id) and one linear pass: O(n log n).
 */

export interface BurstColumns {
  readonly ids: Int32Array
  /** Camera key index (see CameraKeys); frames with −1 are never in a burst. */
  readonly camera: Int32Array
  /** Capture time in ms (NaN when unknown or not trustworthy, e.g. file mtime). */
  readonly takenAtMs: Float64Array
  /** Degrees; NaN without GPS. */
  readonly lat: Float64Array
  readonly lon: Float64Array
  /** Rows with equal non-negative values are byte-identical copies. */
  readonly content: Int32Array
  /** Pixel quality (NaN unknown): sharpness (higher = sharper), exposure (higher = better), score 0–100. */
  readonly sharpness: Float32Array
  readonly exposure: Float32Array
  readonly score: Float32Array
  /** 1 = the user said this frame is not part of a burst. */
  readonly excluded: Uint8Array
}

export interface BurstOptions {
  readonly gapSeconds: number
  readonly minFrames: number
  readonly maxDistanceMeters: number
}

export const DEFAULT_BURST_OPTIONS: BurstOptions = {
  gapSeconds: 2,
  minFrames: 3,
  maxDistanceMeters: 10,
}

export interface DetectedBurst {
  readonly camera: number
  /** Member rows in capture order. */
  readonly rows: readonly number[]
  readonly startMs: number
  readonly endMs: number
  readonly bestRow: number
  readonly bestReason: string
}

/** Interns camera keys as small integers (typed-array friendly). */
export class CameraKeys {
  private readonly map = new Map<string, number>()
  readonly names: string[] = []

  indexOf(key: string): number {
    let index = this.map.get(key)
    if (index === undefined) {
      index = this.names.length
      this.map.set(key, index)
      this.names.push(key)
    }
    return index
  }

  /**
   * The index of a photo's camera key. Hot path (a million rows): one cheap raw string per row,
   * and `cameraKey` only for keys not seen before.
   */
  indexOfPhoto(photo: Parameters<typeof cameraKey>[0]): number {
    const w = photo.width ?? 0
    const h = photo.height ?? 0
    const raw =
      photo.make || photo.model
        ? `c\u0000${photo.make}\u0000${photo.model}\u0000${Math.max(w, h)}x${Math.min(w, h)}`
        : `f\u0000${photo.folder}\u0000${Math.max(w, h)}x${Math.min(w, h)}`
    let index = this.raw.get(raw)
    if (index === undefined) {
      index = this.indexOf(cameraKey(photo))
      this.raw.set(raw, index)
    }
    return index
  }

  private readonly raw = new Map<string, number>()
}

/**
 * The camera key of a photo: make + model when known, else its folder (a device proxy), plus
 * its pixel dimensions in either orientation.
 */
export function cameraKey(photo: {
  readonly make: string | null
  readonly model: string | null
  readonly folder: string
  readonly width: number | null
  readonly height: number | null
}): string {
  const body = [photo.make, photo.model]
    .map((s) => (s ?? '').trim())
    .filter(Boolean)
    .join(' ')
  const device = body ? `camera:${body}` : `folder:${photo.folder}`
  const w = photo.width ?? 0
  const h = photo.height ?? 0
  return `${device}|${Math.max(w, h)}x${Math.min(w, h)}`
}

/** Distance in metres between two nearby points (equirectangular: exact enough below 1 km). */
export function metersBetween(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180
  const x = (lon2 - lon1) * rad * Math.cos(((lat1 + lat2) / 2) * rad)
  const y = (lat2 - lat1) * rad
  return Math.sqrt(x * x + y * y) * 6_371_000
}

/** Rows with a camera and a time, sorted by (camera, time, id). */
export function sortFrames(cols: BurstColumns, rows?: Iterable<number>): Int32Array {
  const list: number[] = []
  for (const row of rows ?? cols.ids.keys()) {
    if ((cols.camera[row] as number) >= 0 && Number.isFinite(cols.takenAtMs[row] as number)) {
      list.push(row)
    }
  }
  const order = Int32Array.from(list)
  const { camera, takenAtMs, ids } = cols
  order.sort(
    (a, b) =>
      (camera[a] as number) - (camera[b] as number) ||
      (takenAtMs[a] as number) - (takenAtMs[b] as number) ||
      (ids[a] as number) - (ids[b] as number),
  )
  return order
}

/** Bursts among the given rows (default: all). */
export function detectBursts(
  cols: BurstColumns,
  options: BurstOptions = DEFAULT_BURST_OPTIONS,
  rows?: Iterable<number>,
): DetectedBurst[] {
  const order = sortFrames(cols, rows)
  const gapMs = options.gapSeconds * 1000
  const bursts: DetectedBurst[] = []
  let run: number[] = []
  let runContent = new Set<number>()
  let lastGps = -1
  const close = () => {
    if (run.length >= options.minFrames) bursts.push(finishBurst(cols, run))
    run = []
    runContent = new Set()
    lastGps = -1
  }
  for (const row of order) {
    if (cols.excluded[row] === 1) {
      close()
      continue
    }
    const prev = run.at(-1)
    const continues =
      prev !== undefined &&
      cols.camera[prev] === cols.camera[row] &&
      (cols.takenAtMs[row] as number) - (cols.takenAtMs[prev] as number) <= gapMs &&
      (lastGps < 0 || !hasGps(cols, row) || withinMeters(cols, lastGps, row, options))
    if (!continues) close()
    const content = cols.content[row] as number
    if (content >= 0 && runContent.has(content)) continue // a byte copy of a frame already in
    if (content >= 0) runContent.add(content)
    run.push(row)
    if (hasGps(cols, row)) lastGps = row
  }
  close()
  return bursts
}

function hasGps(cols: BurstColumns, row: number): boolean {
  return Number.isFinite(cols.lat[row] as number) && Number.isFinite(cols.lon[row] as number)
}

function withinMeters(cols: BurstColumns, a: number, b: number, options: BurstOptions): boolean {
  const d = metersBetween(
    cols.lat[a] as number,
    cols.lon[a] as number,
    cols.lat[b] as number,
    cols.lon[b] as number,
  )
  return d <= options.maxDistanceMeters
}

function finishBurst(cols: BurstColumns, rows: number[]): DetectedBurst {
  const { row: bestRow, reason } = bestFrame(cols, rows)
  return {
    camera: cols.camera[rows[0] as number] as number,
    rows,
    startMs: cols.takenAtMs[rows[0] as number] as number,
    endMs: cols.takenAtMs[rows.at(-1) as number] as number,
    bestRow,
    bestReason: reason,
  }
}

/** Sharpness within this fraction counts as equal, so exposure can decide between them. */
const SHARPNESS_TOLERANCE = 0.05
const EXPOSURE_TOLERANCE = 0.02

/**
 * Compares two frames for "best": sharpness first (a clearly sharper frame wins), then exposure,
 * then the overall score, then the earlier frame. Negative when `a` is better.
 */
export function compareFrames(cols: BurstColumns, a: number, b: number): number {
  const sa = cols.sharpness[a] as number
  const sb = cols.sharpness[b] as number
  if (Number.isFinite(sa) !== Number.isFinite(sb)) return Number.isFinite(sa) ? -1 : 1
  if (Number.isFinite(sa) && Math.abs(sa - sb) > SHARPNESS_TOLERANCE * Math.max(sa, sb))
    return sb - sa
  const ea = cols.exposure[a] as number
  const eb = cols.exposure[b] as number
  if (Number.isFinite(ea) && Number.isFinite(eb) && Math.abs(ea - eb) > EXPOSURE_TOLERANCE)
    return eb - ea
  const qa = cols.score[a] as number
  const qb = cols.score[b] as number
  if (Number.isFinite(qa) && Number.isFinite(qb) && qa !== qb) return qb - qa
  return (
    (cols.takenAtMs[a] as number) - (cols.takenAtMs[b] as number) ||
    (cols.ids[a] as number) - (cols.ids[b] as number)
  )
}

/** The best frame of a burst and a sentence saying why. */
export function bestFrame(
  cols: BurstColumns,
  rows: readonly number[],
): { row: number; reason: string } {
  const ranked = [...rows].sort((a, b) => compareFrames(cols, a, b))
  const best = ranked[0] as number
  const next = ranked[1]
  const sharp = cols.sharpness[best] as number
  if (!Number.isFinite(sharp)) return { row: best, reason: 'no quality data yet: the first frame' }
  if (next === undefined) return { row: best, reason: 'only frame' }
  const nextSharp = cols.sharpness[next] as number
  if (!Number.isFinite(nextSharp) || sharp - nextSharp > SHARPNESS_TOLERANCE * sharp) {
    return {
      row: best,
      reason: `sharpest frame (sharpness ${fmt(sharp)}, next ${fmt(nextSharp)})`,
    }
  }
  const e = cols.exposure[best] as number
  const en = cols.exposure[next] as number
  if (Number.isFinite(e) && Number.isFinite(en) && e - en > EXPOSURE_TOLERANCE) {
    return {
      row: best,
      reason: `as sharp as the next best, better exposed (${fmt(e)} vs ${fmt(en)})`,
    }
  }
  return {
    row: best,
    reason: 'frames equally sharp and exposed: highest overall score, then earliest',
  }
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return 'unknown'
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2)
}

/** A closed time interval in ms. */
export interface TimeWindow {
  readonly startMs: number
  readonly endMs: number
}

/** Windows around changed capture times (± gap), merged when they overlap. */
export function touchedWindows(timesMs: Iterable<number>, gapSeconds: number): TimeWindow[] {
  const gapMs = gapSeconds * 1000
  const sorted = [...timesMs].filter(Number.isFinite).sort((a, b) => a - b)
  const windows: { startMs: number; endMs: number }[] = []
  for (const t of sorted) {
    const last = windows.at(-1)
    if (last && t - gapMs <= last.endMs) last.endMs = t + gapMs
    else windows.push({ startMs: t - gapMs, endMs: t + gapMs })
  }
  return windows
}

/** Frames loaded for a time range (all cameras), as the incremental pass asks for them. */
export type LoadFrames = (startMs: number, endMs: number) => BurstColumns

export interface WindowRecompute {
  /** The window widened to whole runs: bursts overlapping it are replaced by `bursts`. */
  readonly window: TimeWindow
  readonly frames: BurstColumns
  readonly bursts: DetectedBurst[]
}

/**
 * Incremental detection: recomputes only the bursts overlapping the touched windows. Each
 * window is widened until no run reaches its edges (a run can chain beyond the window one gap
 * at a time), so the result equals a full pass restricted to those runs. The caller replaces
 * the stored bursts overlapping each returned window.
 */
export function recomputeBurstsInWindows(
  windows: readonly TimeWindow[],
  loadFrames: LoadFrames,
  options: BurstOptions = DEFAULT_BURST_OPTIONS,
): WindowRecompute[] {
  const gapMs = options.gapSeconds * 1000
  const widened = mergeWindows(windows).map((touched) => {
    let window = touched
    for (;;) {
      // Load one gap beyond the window so a frame just outside can link to one inside.
      const frames = loadFrames(window.startMs - gapMs, window.endMs + gapMs)
      const extent = chainedExtent(frames, sortFrames(frames), window, gapMs)
      if (extent.startMs >= window.startMs && extent.endMs <= window.endMs) return window
      window = extent
    }
  })
  // Widened windows can overlap; their union is still closed under chaining, so merge them and
  // detect once per merged window.
  return mergeWindows(widened).map((window) => {
    const frames = loadFrames(window.startMs - gapMs, window.endMs + gapMs)
    const bursts = detectBursts(frames, options).filter(
      (b) => b.endMs >= window.startMs && b.startMs <= window.endMs,
    )
    return { window, frames, bursts }
  })
}

/** Sorted, merged copy of the windows. */
export function mergeWindows(windows: readonly TimeWindow[]): TimeWindow[] {
  const sorted = [...windows].sort((a, b) => a.startMs - b.startMs)
  const merged: { startMs: number; endMs: number }[] = []
  for (const w of sorted) {
    const last = merged.at(-1)
    if (last && w.startMs <= last.endMs) last.endMs = Math.max(last.endMs, w.endMs)
    else merged.push({ ...w })
  }
  return merged
}

/**
 * The time extent of every same-camera chain (consecutive gaps ≤ gap) that overlaps the window,
 * among the loaded frames.
 */
function chainedExtent(
  cols: BurstColumns,
  order: Int32Array,
  window: TimeWindow,
  gapMs: number,
): TimeWindow {
  let startMs = window.startMs
  let endMs = window.endMs
  let chainStart = 0
  for (let i = 1; i <= order.length; i++) {
    const prev = order[i - 1] as number
    const row = order[i]
    const linked =
      row !== undefined &&
      cols.camera[row] === cols.camera[prev] &&
      (cols.takenAtMs[row] as number) - (cols.takenAtMs[prev] as number) <= gapMs
    if (linked) continue
    const first = cols.takenAtMs[order[chainStart] as number] as number
    const last = cols.takenAtMs[prev] as number
    if (last >= window.startMs && first <= window.endMs) {
      startMs = Math.min(startMs, first)
      endMs = Math.max(endMs, last)
    }
    chainStart = i
  }
  return { startMs, endMs }
}

/** Builds columns from plain objects (tests, small incremental loads). */
export function burstColumns(
  frames: readonly {
    readonly id: number
    readonly camera: number
    readonly takenAtMs: number | null
    readonly lat?: number | null
    readonly lon?: number | null
    readonly content?: number
    readonly sharpness?: number | null
    readonly exposure?: number | null
    readonly score?: number | null
    readonly excluded?: boolean
  }[],
): BurstColumns {
  const n = frames.length
  const cols = {
    ids: new Int32Array(n),
    camera: new Int32Array(n),
    takenAtMs: new Float64Array(n),
    lat: new Float64Array(n),
    lon: new Float64Array(n),
    content: new Int32Array(n),
    sharpness: new Float32Array(n),
    exposure: new Float32Array(n),
    score: new Float32Array(n),
    excluded: new Uint8Array(n),
  }
  frames.forEach((f, i) => {
    cols.ids[i] = f.id
    cols.camera[i] = f.camera
    cols.takenAtMs[i] = f.takenAtMs ?? Number.NaN
    cols.lat[i] = f.lat ?? Number.NaN
    cols.lon[i] = f.lon ?? Number.NaN
    cols.content[i] = f.content ?? -1
    cols.sharpness[i] = f.sharpness ?? Number.NaN
    cols.exposure[i] = f.exposure ?? Number.NaN
    cols.score[i] = f.score ?? Number.NaN
    cols.excluded[i] = f.excluded ? 1 : 0
  })
  return cols
}
