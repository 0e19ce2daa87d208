import { describe, expect, it } from 'vitest'
import {
  OPENAI_CLIP_MEAN,
  OPENAI_CLIP_STD,
  centreCrop,
  normaliseToChw,
  shortestSideSize,
} from '../../src/core/clip/preprocess'

describe(shortestSideSize.name, () => {
  it('scales the shortest side to the target, keeping the aspect ratio', () => {
    expect(shortestSideSize(4000, 3000, 224)).toEqual({ width: 298, height: 224 })
    expect(shortestSideSize(3000, 4000, 224)).toEqual({ width: 224, height: 298 })
    expect(shortestSideSize(500, 500, 224)).toEqual({ width: 224, height: 224 })
    // Upscales small images too (CLIP always feeds S×S).
    expect(shortestSideSize(100, 50, 224)).toEqual({ width: 448, height: 224 })
  })

  it('refuses an image without pixels', () => {
    expect(() => shortestSideSize(0, 10, 224)).toThrow(/no pixels/)
  })
})

describe(centreCrop.name, () => {
  it('centres the square crop', () => {
    expect(centreCrop(298, 224, 224)).toEqual({ left: 37, top: 0 })
    expect(centreCrop(224, 300, 224)).toEqual({ left: 0, top: 38 })
    expect(centreCrop(224, 224, 224)).toEqual({ left: 0, top: 0 })
  })
})

describe(normaliseToChw.name, () => {
  const spec = { size: 2, mean: OPENAI_CLIP_MEAN, std: OPENAI_CLIP_STD }
  // 2×2 RGB: red, green / blue, white
  const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])
  const n = (v: number, c: number) =>
    (v / 255 - (OPENAI_CLIP_MEAN[c] as number)) / (OPENAI_CLIP_STD[c] as number)

  it('writes planar channels (all R, then all G, then all B), normalised', () => {
    const out = normaliseToChw(rgb, 3, spec)
    expect(out).toHaveLength(12)
    const expected = [
      [255, 0, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 255, 255],
    ].flatMap((plane, c) => plane.map((v) => n(v, c)))
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5))
  })

  it('reads RGBA by skipping alpha, and writes at an offset of a batch buffer', () => {
    const rgba = Uint8Array.from([255, 0, 0, 9, 0, 255, 0, 9, 0, 0, 255, 9, 255, 255, 255, 9])
    const batch = new Float32Array(24).fill(7)
    normaliseToChw(rgba, 4, spec, batch, 12)
    expect(Array.from(batch.subarray(0, 12))).toEqual(new Array(12).fill(7))
    expect(Array.from(batch.subarray(12))).toEqual(Array.from(normaliseToChw(rgb, 3, spec)))
  })

  it('refuses too few pixels or greyscale input', () => {
    expect(() => normaliseToChw(rgb.subarray(0, 6), 3, spec)).toThrow(/expected 12 bytes/)
    expect(() => normaliseToChw(new Uint8Array(4), 1, spec)).toThrow(/RGB/)
  })
})
