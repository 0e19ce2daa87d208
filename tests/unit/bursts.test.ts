import { describe, expect, it } from 'vitest'
import {
  bestFrame,
  burstColumns,
  cameraKey,
  detectBursts,
  metersBetween,
  recomputeBurstsInWindows,
  touchedWindows,
  type BurstColumns,
  type DetectedBurst,
} from '../../src/core/analysis/bursts'

const T0 = Date.UTC(2024, 5, 1, 12, 0, 0)
const s = (seconds: number) => T0 + seconds * 1000

type Frame = Parameters<typeof burstColumns>[0][number]

const frame = (id: number, seconds: number, extra: Partial<Frame> = {}): Frame => ({
  id,
  camera: 0,
  takenAtMs: s(seconds),
  ...extra,
})

const idsOf = (cols: BurstColumns, bursts: DetectedBurst[]) =>
  bursts.map((b) => b.rows.map((r) => cols.ids[r] as number))

describe(detectBursts.name, () => {
  it('finds runs of ≥ 3 frames with gaps ≤ 2 s from one camera', () => {
    const cols = burstColumns([
      frame(1, 0),
      frame(2, 1),
      frame(3, 3),
      frame(4, 10), // gap 7 s: new run
      frame(5, 11),
      frame(6, 20),
      frame(7, 21),
      frame(8, 22),
      frame(9, 24.5), // gap 2.5 s: not part of it
    ])
    expect(idsOf(cols, detectBursts(cols))).toEqual([
      [1, 2, 3],
      [6, 7, 8],
    ])
  })

  it('needs the same camera: interleaved cameras are separate', () => {
    const cols = burstColumns([
      frame(1, 0, { camera: 0 }),
      frame(2, 0.5, { camera: 1 }),
      frame(3, 1, { camera: 0 }),
      frame(4, 1.5, { camera: 1 }),
      frame(5, 2, { camera: 0 }),
    ])
    expect(idsOf(cols, detectBursts(cols))).toEqual([[1, 3, 5]])
  })

  it('honours the gap setting', () => {
    const cols = burstColumns([frame(1, 0), frame(2, 1.5), frame(3, 3)])
    expect(detectBursts(cols, { gapSeconds: 1, minFrames: 3, maxDistanceMeters: 10 })).toEqual([])
    expect(detectBursts(cols, { gapSeconds: 2, minFrames: 3, maxDistanceMeters: 10 })).toHaveLength(
      1,
    )
  })

  it('breaks runs beyond 10 m where GPS exists, and ignores missing GPS', () => {
    const lat = 48.0
    const lon = 11.0
    const east = (m: number) => lon + m / (111_320 * Math.cos((lat * Math.PI) / 180))
    const cols = burstColumns([
      frame(1, 0, { lat, lon }),
      frame(2, 1, { lat, lon: east(4) }),
      frame(3, 2), // no GPS: still joins
      frame(4, 3, { lat, lon: east(8) }),
      frame(5, 4, { lat, lon: east(30) }), // 22 m from the last fix: breaks
      frame(6, 5, { lat, lon: east(31) }),
    ])
    expect(idsOf(cols, detectBursts(cols))).toEqual([[1, 2, 3, 4]])
    expect(metersBetween(lat, lon, lat, east(10))).toBeCloseTo(10, 1)
  })

  it('counts byte copies once and skips frames without a trustworthy time', () => {
    const cols = burstColumns([
      frame(1, 0, { content: 5 }),
      frame(2, 0, { content: 5 }), // byte copy of 1
      frame(3, 1),
      frame(4, 1.5, { takenAtMs: null }),
    ])
    expect(detectBursts(cols)).toEqual([])
    const more = burstColumns([
      frame(1, 0, { content: 5 }),
      frame(2, 0, { content: 5 }),
      frame(3, 1),
      frame(4, 2),
    ])
    expect(idsOf(more, detectBursts(more))).toEqual([[1, 3, 4]])
  })

  it('treats "not a burst" frames as barriers', () => {
    const cols = burstColumns([
      frame(1, 0),
      frame(2, 1),
      frame(3, 2, { excluded: true }),
      frame(4, 3),
      frame(5, 4),
      frame(6, 5),
    ])
    expect(idsOf(cols, detectBursts(cols))).toEqual([[4, 5, 6]])
  })

  it('runs over 100k frames in one pass', () => {
    const frames: Frame[] = []
    // 25,000 slots a minute apart, each 4 frames 1 s apart from one of 3 cameras.
    for (let i = 0; i < 100_000; i++) {
      const slot = Math.floor(i / 4)
      frames.push(frame(i + 1, slot * 60 + (i % 4), { camera: slot % 3 }))
    }
    const cols = burstColumns(frames)
    const bursts = detectBursts(cols)
    expect(bursts).toHaveLength(25_000)
    expect(bursts.every((b) => b.rows.length === 4)).toBe(true)
  })
})

describe(bestFrame.name, () => {
  it('picks the sharpest frame, exposure breaking near-ties', () => {
    const cols = burstColumns([
      frame(1, 0, { sharpness: 100, exposure: 0.9, score: 50 }),
      frame(2, 1, { sharpness: 300, exposure: 0.5, score: 60 }),
      frame(3, 2, { sharpness: 290, exposure: 0.95, score: 55 }),
    ])
    // 290 is within 5% of 300: exposure decides.
    expect(cols.ids[bestFrame(cols, [0, 1, 2]).row]).toBe(3)
    const clear = burstColumns([
      frame(1, 0, { sharpness: 100, exposure: 0.99 }),
      frame(2, 1, { sharpness: 300, exposure: 0.5 }),
    ])
    const best = bestFrame(clear, [0, 1])
    expect(clear.ids[best.row]).toBe(2)
    expect(best.reason).toMatch(/sharpest/)
  })

  it('falls back to the first frame without quality data', () => {
    const cols = burstColumns([frame(1, 0), frame(2, 1), frame(3, 2)])
    expect(bestFrame(cols, [2, 1, 0]).row).toBe(0)
  })
})

describe(cameraKey.name, () => {
  it('uses make + model, else the folder, plus dimensions in either orientation', () => {
    const base = { make: 'Canon', model: 'EOS 70D', folder: '/a', width: 4000, height: 3000 }
    expect(cameraKey(base)).toBe(cameraKey({ ...base, width: 3000, height: 4000, folder: '/b' }))
    expect(cameraKey(base)).not.toBe(cameraKey({ ...base, width: 2000, height: 1500 }))
    expect(cameraKey({ ...base, make: null, model: null })).toBe('folder:/a|4000x3000')
  })
})

describe(recomputeBurstsInWindows.name, () => {
  it('equals a full pass for the bursts overlapping the touched windows', () => {
    let seed = 42
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const frames: Frame[] = []
    let t = 0
    for (let i = 0; i < 3000; i++) {
      t += rnd() < 0.7 ? rnd() * 2 : 5 + rnd() * 30
      frames.push(frame(i + 1, t, { camera: Math.floor(rnd() * 2), sharpness: rnd() * 500 }))
    }
    const all = burstColumns(frames)
    const full = detectBursts(all)
    // Touch a few random frames (as if newly imported).
    const touchedTimes = [100, 900, 2000, 2001, 2950].map((i) => frames[i]?.takenAtMs as number)
    const windows = touchedWindows(touchedTimes, 2)
    const load = (startMs: number, endMs: number) =>
      burstColumns(
        frames.filter(
          (f) => (f.takenAtMs as number) >= startMs && (f.takenAtMs as number) <= endMs,
        ),
      )
    const results = recomputeBurstsInWindows(windows, load)
    const got = results.flatMap((r) => idsOf(r.frames, r.bursts))
    const overlapping = full.filter((b) =>
      results.some((r) => b.endMs >= r.window.startMs && b.startMs <= r.window.endMs),
    )
    expect(got.length).toBeGreaterThan(0)
    expect(got.sort()).toEqual(idsOf(all, overlapping).sort())
    // Untouched bursts far from the windows were not recomputed.
    expect(overlapping.length).toBeLessThan(full.length)
    // Every touched frame lies inside a returned window.
    for (const time of touchedTimes) {
      expect(results.some((r) => time >= r.window.startMs && time <= r.window.endMs)).toBe(true)
    }
  })

  it('merges windows closer than the gap', () => {
    expect(touchedWindows([s(0), s(3), s(10)], 2)).toEqual([
      { startMs: s(-2), endMs: s(5) },
      { startMs: s(8), endMs: s(12) },
    ])
  })
})
