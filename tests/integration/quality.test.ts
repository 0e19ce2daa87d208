import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { greyFromRgb } from '../../src/core/analysis/hashes'
import {
  QUALITY_WEIGHTS,
  exposureValue,
  resizeForAnalysis,
  scoreQuality,
  sharpnessValue,
  type QualityResult,
} from '../../src/core/analysis/quality'
import { decodeOnce } from '../../src/core/media/decode'

const PHOTOS = path.resolve(__dirname, '../fixtures/photos')
let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vam-quality-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Scores a file the way the analyze task does (one decode, 512 px greyscale). */
async function score(file: string, format: 'jpeg' | 'png'): Promise<QualityResult> {
  const d = await decodeOnce({ path: file, format })
  const meta = await sharp(file).metadata()
  const grey = resizeForAnalysis(greyFromRgb(d.data, d.width, d.height, 3))
  return scoreQuality(grey, {
    format,
    width: meta.width,
    height: meta.height,
    bytes: statSync(file).size,
    hasDate: true,
    hasGps: false,
    hasCamera: true,
  })
}

/**
 * Degraded copies, same format and size: a Gaussian blur of ~1/400 of the long side (clearly soft
 * at any viewing size), about +1.5 EV (×1.8 and a lift, highlights blow out) and about −1.5 EV
 * (×0.4, shadows crush).
 */
const VARIANTS: Record<string, (s: Sharp, longSide: number) => Sharp> = {
  blurred: (s, long) => s.blur(Math.max(1.5, long / 400)),
  overExposed: (s) => s.linear(1.8, 40),
  underExposed: (s) => s.linear(0.4, 0),
}

describe('quality score', () => {
  const names = readdirSync(PHOTOS)
  it.each(names)('%s: blurred, over- and under-exposed copies score lower', async (name) => {
    const file = path.join(PHOTOS, name)
    const format = name.endsWith('.png') ? 'png' : 'jpeg'
    const meta = await sharp(file).metadata()
    const original = await score(file, format)
    const lines = [`${name}: ${original.score} (${original.explanation})`]
    for (const [variant, make] of Object.entries(VARIANTS)) {
      const copy = path.join(dir, `${variant}-${name}`)
      let pipeline = make(sharp(file), Math.max(meta.width, meta.height)).keepMetadata()
      pipeline = format === 'png' ? pipeline.png() : pipeline.jpeg({ quality: 92 })
      await pipeline.toFile(copy)
      const degraded = await score(copy, format)
      lines.push(`  ${variant}: ${degraded.score} (${degraded.explanation})`)
      expect(degraded.score, `${variant} of ${name}`).toBeLessThan(original.score)
    }
    console.log(lines.join('\n'))
  })

  it('keeps every part in [0, 1] and the score within 0–100', async () => {
    const r = await score(path.join(PHOTOS, 'kde_ColorfulCups.jpg'), 'jpeg')
    let sum = 0
    for (const [name, part] of Object.entries(r.parts)) {
      expect(part.value).toBeGreaterThanOrEqual(0)
      expect(part.value).toBeLessThanOrEqual(1)
      expect(part.weight).toBe(QUALITY_WEIGHTS[name as keyof typeof QUALITY_WEIGHTS])
      sum += part.points
    }
    expect(Math.abs(sum - r.score)).toBeLessThan(0.1)
    expect(Object.values(QUALITY_WEIGHTS).reduce((a, b) => a + b)).toBe(100)
  })

  it('maps its metrics monotonically', () => {
    expect(sharpnessValue(10)).toBe(0)
    expect(sharpnessValue(2000)).toBe(1)
    expect(sharpnessValue(100)).toBeLessThan(sharpnessValue(500))
    const base = {
      sharpness: 500,
      clippedHigh: 0,
      clippedLow: 0,
      meanLuminance: 120,
      wellExposed: 0.7,
      noise: 1,
    }
    expect(exposureValue(base)).toBe(1)
    expect(exposureValue({ ...base, clippedHigh: 0.2 })).toBeLessThan(
      exposureValue({ ...base, clippedHigh: 0.05 }),
    )
    expect(exposureValue({ ...base, meanLuminance: 40 })).toBeLessThan(1)
  })
})
