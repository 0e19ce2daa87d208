import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import {
  HASH_INPUT_SIZE,
  bitsToHash,
  greyFromRgb,
  hammingDistance,
  hashesWithStats,
  hashToHex,
  hashToSigned,
  hexToHash,
  median,
  perceptualHashes,
  resizeLanczos,
  signedToHash,
  wHashScale,
  type PerceptualHashes,
} from '../../src/core/analysis/hashes'
import { resizeForAnalysis } from '../../src/core/analysis/quality'

const FIXTURES = path.resolve(__dirname, '../fixtures')
const REF = JSON.parse(readFileSync(path.join(FIXTURES, 'ref-hashes.json'), 'utf8')) as Record<
  string,
  Record<keyof PerceptualHashes, string>
>
const ALGOS = ['ahash', 'dhash', 'phash', 'whash'] as const

/** Stored pixels (no EXIF rotation), as the reference values were computed. */
async function storedGrey(file: string, maxSide?: number) {
  let pipeline = sharp(file)
  if (maxSide)
    pipeline = pipeline.resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const grey = greyFromRgb(data, info.width, info.height, info.channels)
  // The analyze task hashes a 256 px box reduction of the 512 px analysis greyscale of its decode.
  return maxSide ? resizeForAnalysis(resizeForAnalysis(grey), HASH_INPUT_SIZE) : grey
}

async function agreement(decode: (file: string) => ReturnType<typeof storedGrey>) {
  const distances: Record<string, number[]> = { ahash: [], dhash: [], phash: [], whash: [] }
  for (const [name, ref] of Object.entries(REF)) {
    const hashes = perceptualHashes(await decode(path.join(FIXTURES, name)))
    for (const algo of ALGOS)
      distances[algo]?.push(hammingDistance(hashes[algo], hexToHash(ref[algo])))
  }
  return ALGOS.map((algo) => {
    const d = distances[algo] ?? []
    return { algo, mean: d.reduce((a, b) => a + b, 0) / d.length, worst: Math.max(...d) }
  })
}

describe('perceptual hashes vs imagehash reference values', () => {
  it('covers every fixture photo', () => {
    const photos = readdirSync(path.join(FIXTURES, 'photos'))
    expect(Object.keys(REF).sort()).toEqual(photos.map((p) => `photos/${p}`).sort())
  })

  it('agrees on full-resolution stored pixels', async () => {
    const rows = await agreement((file) => storedGrey(file))
    console.log(
      'full decode, Hamming vs ref:',
      rows.map((r) => `${r.algo} mean ${r.mean.toFixed(2)} worst ${r.worst}`).join(' | '),
    )
    for (const r of rows) {
      expect(r.worst).toBeLessThanOrEqual(2)
      expect(r.mean).toBeLessThanOrEqual(0.5)
    }
  })

  it('agrees on the 1024 px decode → 512 → 256 px greyscale the analyze task uses', async () => {
    const rows = await agreement((file) => storedGrey(file, 1024))
    console.log(
      'analyze pipeline (1024 decode → 256 px grey), Hamming vs ref:',
      rows.map((r) => `${r.algo} mean ${r.mean.toFixed(2)} worst ${r.worst}`).join(' | '),
    )
    for (const r of rows) {
      expect(r.worst).toBeLessThanOrEqual(6)
      expect(r.mean).toBeLessThanOrEqual(2)
    }
  })
})

describe(resizeLanczos.name, () => {
  it('keeps a flat image flat and an identity size unchanged', () => {
    const flat = { width: 40, height: 30, data: new Uint8Array(1200).fill(77) }
    expect([...resizeLanczos(flat, 9, 8).data]).toEqual(new Array(72).fill(77))
    const ramp = { width: 4, height: 1, data: Uint8Array.from([0, 85, 170, 255]) }
    expect([...resizeLanczos(ramp, 4, 1).data]).toEqual([0, 85, 170, 255])
  })
})

describe('hash encoding', () => {
  it('reads bits row-major with the first bit most significant, like imagehash', () => {
    const bits = new Array(64).fill(false)
    bits[0] = true
    bits[63] = true
    expect(hashToHex(bitsToHash(bits))).toBe('8000000000000001')
  })

  it('round-trips hex and the signed SQLite form', () => {
    for (const hex of [
      '0000000000000000',
      'ffffffffffffffff',
      '8000000000000001',
      'eb5669b7f6d90926',
    ]) {
      const h = hexToHash(hex)
      expect(hashToHex(signedToHash(hashToSigned(h)))).toBe(hex)
      expect(hashToSigned(h) >= -(2n ** 63n) && hashToSigned(h) < 2n ** 63n).toBe(true)
    }
    expect(() => hexToHash('xyz')).toThrow()
  })

  it('counts differing bits', () => {
    expect(hammingDistance(0n, 0xffffffffffffffffn)).toBe(64)
    expect(hammingDistance(hexToHash('eb5669b7f6d90926'), hexToHash('ab5568b7d6d90826'))).toBe(6)
  })

  it('uses numpy median and imagehash whash scale', () => {
    expect(median([3, 1, 2, 4])).toBe(2.5)
    expect(wHashScale(2560, 1600)).toBe(1024)
    expect(wHashScale(451, 300)).toBe(256)
    expect(wHashScale(4, 4)).toBe(8)
  })
})

describe(hashesWithStats.name, () => {
  it('flags near-uniform images as low-information, real photos not', async () => {
    const flat = { width: 64, height: 48, data: new Uint8Array(64 * 48).fill(250) }
    for (let i = 0; i < flat.data.length; i += 97) flat.data[i] = 240
    expect(hashesWithStats(flat).lowInformation).toBe(true)
    expect(hashesWithStats(flat).stddev).toBeLessThan(6)
    const photo = await storedGrey(path.join(FIXTURES, 'photos', 'mate_Dune.jpg'), 1024)
    const stats = hashesWithStats(photo)
    expect(stats.lowInformation).toBe(false)
    expect(stats.stddev).toBeGreaterThan(20)
  })
})
