import { describe, expect, it } from 'vitest'
import {
  chooseKeeper,
  compareCopies,
  formatRank,
  type CopyCandidate,
} from '../../src/core/analysis/best-copy'

const base: CopyCandidate = {
  id: 1,
  format: 'jpeg',
  width: 4000,
  height: 3000,
  size: 5_000_000,
  hasDate: true,
  hasGps: false,
  quality: 60,
}

describe(chooseKeeper.name, () => {
  it('orders RAW > lossless > HEIC > JPEG before anything else', () => {
    expect(formatRank('raw')).toBeGreaterThan(formatRank('png'))
    expect(formatRank('tiff')).toBe(formatRank('png'))
    expect(formatRank('png')).toBeGreaterThan(formatRank('heic'))
    expect(formatRank('heic')).toBeGreaterThan(formatRank('jpeg'))
    const choice = chooseKeeper([
      { ...base, id: 1, width: 8000, height: 6000, size: 20_000_000 },
      { ...base, id: 2, format: 'heic', width: 1000, height: 750, size: 100_000 },
      { ...base, id: 3, format: 'raw', width: 2000, height: 1500, size: 9_000_000, quality: 10 },
      { ...base, id: 4, format: 'png' },
    ])
    expect(choice.ranked).toEqual([3, 4, 2, 1])
    expect(choice.reason).toMatch(/RAW/)
  })

  it('then resolution, file size, metadata, quality — each explained', () => {
    const res = chooseKeeper([
      { ...base, id: 1, width: 2000, height: 1500 },
      { ...base, id: 2 },
    ])
    expect(res.keeperId).toBe(2)
    expect(res.reason).toMatch(/resolution: 4000×3000 vs 2000×1500/)
    const size = chooseKeeper([
      { ...base, id: 1, size: 3_000_000 },
      { ...base, id: 2 },
    ])
    expect(size.keeperId).toBe(2)
    expect(size.reason).toMatch(/largest file/)
    const meta = chooseKeeper([
      { ...base, id: 1 },
      { ...base, id: 2, hasGps: true },
    ])
    expect(meta.keeperId).toBe(2)
    expect(meta.reason).toMatch(/date and GPS/)
    const quality = chooseKeeper([
      { ...base, id: 1 },
      { ...base, id: 2, quality: 80 },
    ])
    expect(quality.keeperId).toBe(2)
    expect(quality.reason).toMatch(/quality score: 80 vs 60/)
  })

  it('ignores differences below 1% and falls back to the first import', () => {
    const tie = chooseKeeper([
      { ...base, id: 7, size: 5_010_000 },
      { ...base, id: 3 },
    ])
    expect(tie.keeperId).toBe(3)
    expect(tie.reason).toMatch(/equivalent/)
    expect(compareCopies({ ...base, id: 1 }, { ...base, id: 2 })).toBeLessThan(0)
  })

  it('lets the user override the suggestion', () => {
    const choice = chooseKeeper(
      [
        { ...base, id: 1, format: 'raw' },
        { ...base, id: 2 },
      ],
      2,
    )
    expect(choice.keeperId).toBe(2)
    expect(choice.reason).toBe('chosen by you')
    expect(choice.ranked).toEqual([2, 1])
  })
})
