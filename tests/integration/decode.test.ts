import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { greyFromRgb, hammingDistance, perceptualHashes } from '../../src/core/analysis/hashes'
import { DECODE_SIZE, applyOrientation, decodeOnce, findFfmpeg } from '../../src/core/media/decode'
import { bufferSource, findRawPreview } from '../../src/core/media/raw-preview'
import { ItemError } from '../../src/core/tasks/task-error'

const FIXTURES = path.resolve(__dirname, '../fixtures')
const photo = (name: string) => path.join(FIXTURES, 'photos', name)
let dir: string

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vam-decode-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A little-endian TIFF "RAW" holding JPEGs the way CR2/NEF/ARW/DNG do. */
function syntheticTiffRaw(parts: { thumb: Buffer; preview: Buffer; orientation: number }): Buffer {
  // Fake lossless-JPEG sensor data (SOF3), bigger than any preview: must never be picked.
  const sensor = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xc3, 0x00, 0x0b]),
    Buffer.alloc(400_000, 7),
  ])
  const entry = (tag: number, type: number, count: number, value: number) => {
    const b = Buffer.alloc(12)
    b.writeUInt16LE(tag, 0)
    b.writeUInt16LE(type, 2)
    b.writeUInt32LE(count, 4)
    if (type === 3 && count === 1) b.writeUInt16LE(value, 8)
    else b.writeUInt32LE(value, 8)
    return b
  }
  const ifd = (entries: Buffer[], next: number) => {
    const head = Buffer.alloc(2)
    head.writeUInt16LE(entries.length, 0)
    const tail = Buffer.alloc(4)
    tail.writeUInt32LE(next, 0)
    return Buffer.concat([head, ...entries, tail])
  }
  const ifd0At = 8
  const ifd0Size = 2 + 4 * 12 + 4
  const subAt = ifd0At + ifd0Size
  const subSize = 2 + 2 * 12 + 4
  const rawIfdAt = subAt + subSize
  const rawIfdSize = 2 + 3 * 12 + 4
  const thumbAt = rawIfdAt + rawIfdSize
  const previewAt = thumbAt + parts.thumb.length
  const sensorAt = previewAt + parts.preview.length
  const header = Buffer.from([0x49, 0x49, 42, 0, ifd0At, 0, 0, 0])
  const ifd0 = ifd(
    [
      entry(0x0112, 3, 1, parts.orientation),
      entry(0x014a, 4, 1, subAt),
      entry(0x0201, 4, 1, thumbAt),
      entry(0x0202, 4, 1, parts.thumb.length),
    ],
    rawIfdAt,
  )
  const sub = ifd([entry(0x0201, 4, 1, previewAt), entry(0x0202, 4, 1, parts.preview.length)], 0)
  const rawIfd = ifd(
    [entry(0x0103, 3, 1, 7), entry(0x0111, 4, 1, sensorAt), entry(0x0117, 4, 1, sensor.length)],
    0,
  )
  return Buffer.concat([header, ifd0, sub, rawIfd, parts.thumb, parts.preview, sensor])
}

describe(decodeOnce.name, () => {
  it('decodes a JPEG once to ≤ 1024 px RGB with shrink-on-load', async () => {
    const d = await decodeOnce({ path: photo('lomiri_Dragonfly_by_Bolly.jpg'), format: 'jpeg' })
    expect(Math.max(d.width, d.height)).toBe(DECODE_SIZE)
    expect(d.data.length).toBe(d.width * d.height * 3)
    expect(d.via).toBe('sharp')
  })

  it('applies EXIF orientation like sharp.rotate(), also when given explicitly', async () => {
    const base = await sharp(photo('skimage_chelsea.png')).jpeg().toBuffer()
    for (let o = 1; o <= 8; o++) {
      const file = path.join(dir, `orient-${o}.jpg`)
      writeFileSync(file, await sharp(base).withMetadata({ orientation: o }).jpeg().toBuffer())
      const auto = await decodeOnce({ path: file, format: 'jpeg' })
      expect(o >= 5 ? [auto.height, auto.width] : [auto.width, auto.height]).toEqual([451, 300])
      const explicit = await applyOrientation(sharp(base), o)
        .raw()
        .toBuffer({ resolveWithObject: true })
      expect([explicit.info.width, explicit.info.height]).toEqual([auto.width, auto.height])
      // Same pixels up to JPEG re-encoding noise: compare perceptual hashes.
      const a = perceptualHashes(greyFromRgb(auto.data, auto.width, auto.height, 3))
      const e = perceptualHashes(
        greyFromRgb(explicit.data, explicit.info.width, explicit.info.height, 3),
      )
      expect(hammingDistance(a.dhash, e.dhash), `orientation ${o}`).toBeLessThanOrEqual(4)
    }
  })

  it('decodes HEIC (HEVC) through the WASM decoder', async () => {
    const d = await decodeOnce({
      path: path.join(FIXTURES, 'heic', 'mate_LadyBird-480.heic'),
      format: 'heic',
    })
    expect([d.width, d.height]).toEqual([480, 300])
    expect(d.via).toBe('heic')
    // It is the ladybird: its hash is close to the JPEG original's.
    const jpeg = await decodeOnce({ path: photo('mate_LadyBird.jpg'), format: 'jpeg' })
    const h1 = perceptualHashes(greyFromRgb(d.data, d.width, d.height, 3))
    const h2 = perceptualHashes(greyFromRgb(jpeg.data, jpeg.width, jpeg.height, 3))
    expect(hammingDistance(h1.phash, h2.phash)).toBeLessThanOrEqual(8)
  })

  it('takes the largest decodable preview out of a TIFF-based RAW, with its orientation', async () => {
    const thumb = await sharp(photo('kde_Kite.jpg')).resize(160).jpeg().toBuffer()
    const preview = await sharp(photo('kde_Kite.jpg')).resize(1600).jpeg({ quality: 90 }).toBuffer()
    const raw = syntheticTiffRaw({ thumb, preview, orientation: 6 })
    const found = findRawPreview(bufferSource(raw))
    expect(found.length).toBe(preview.length)
    expect(found.orientation).toBe(6)
    const file = path.join(dir, 'camera.dng')
    writeFileSync(file, raw)
    const d = await decodeOnce({ path: file, format: 'raw' })
    expect(d.via).toBe('raw-preview')
    // 1600x1000 preview rotated 90°: portrait, 1024 high.
    expect([d.width, d.height]).toEqual([640, 1024])
  })

  it('finds the JPEG of a RAF by its header offset', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xc0, ...new Array(200).fill(0)])
    const raf = Buffer.alloc(100 + jpeg.length)
    raf.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1')
    raf.writeUInt32BE(100, 84)
    raf.writeUInt32BE(jpeg.length, 88)
    jpeg.copy(raf, 100)
    expect(findRawPreview(bufferSource(raf))).toMatchObject({
      offset: 100,
      length: jpeg.length,
      container: 'raf',
    })
  })

  it('finds the PRVW preview of a CR3 (ISO-BMFF) file', async () => {
    const jpeg = await sharp(photo('kde_Kite.jpg')).resize(1620, 1080).jpeg().toBuffer()
    const box = (type: string, body: Buffer) => {
      const head = Buffer.alloc(8)
      head.writeUInt32BE(8 + body.length, 0)
      head.write(type, 4, 'latin1')
      return Buffer.concat([head, body])
    }
    // PRVW: u32 0, u16 1, u16 width, u16 height, u16 1, u32 jpeg size, jpeg (Canon's layout).
    const prvwHead = Buffer.alloc(16)
    prvwHead.writeUInt16BE(1, 4)
    prvwHead.writeUInt16BE(1620, 6)
    prvwHead.writeUInt16BE(1080, 8)
    prvwHead.writeUInt16BE(1, 10)
    prvwHead.writeUInt32BE(jpeg.length, 12)
    const uuid = Buffer.from('eaf42b5e1c984b88b9fbb7dc406e4d16', 'hex')
    const cr3 = Buffer.concat([
      box('ftyp', Buffer.from('crx \0\0\0\x01crx isom', 'latin1')),
      box('moov', Buffer.alloc(64)),
      box(
        'uuid',
        Buffer.concat([uuid, Buffer.alloc(8), box('PRVW', Buffer.concat([prvwHead, jpeg]))]),
      ),
      box('mdat', Buffer.alloc(1000)),
    ])
    const found = findRawPreview(bufferSource(cr3))
    expect(found.container).toBe('cr3')
    expect(cr3.subarray(found.offset, found.offset + found.length).equals(jpeg)).toBe(true)
    const file = path.join(dir, 'camera.cr3')
    writeFileSync(file, cr3)
    const d = await decodeOnce({ path: file, format: 'raw' })
    expect([d.width, d.height]).toEqual([1024, 683])
  })

  it('refuses a decompression bomb as too_large without decoding it', async () => {
    // A valid PNG header claiming 50000 x 50000 pixels (2.5 gigapixels).
    const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
      .png()
      .toBuffer()
    png.writeUInt32BE(50_000, 16)
    png.writeUInt32BE(50_000, 20)
    const file = path.join(dir, 'bomb.png')
    writeFileSync(file, png)
    const before = process.memoryUsage().rss
    await expect(decodeOnce({ path: file, format: 'png' })).rejects.toMatchObject({
      code: 'too_large',
    })
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024)
  })

  it('reports corrupt, unsupported, vanished files with their codes', async () => {
    const corrupt = path.join(dir, 'corrupt.jpg')
    writeFileSync(
      corrupt,
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 0x41)]),
    )
    await expect(decodeOnce({ path: corrupt, format: 'jpeg' })).rejects.toBeInstanceOf(ItemError)
    await expect(decodeOnce({ path: corrupt, format: 'jpeg' })).rejects.toMatchObject({
      code: 'corrupt',
    })
    const text = path.join(dir, 'notes.jpg')
    writeFileSync(text, 'just some text, not an image at all')
    await expect(decodeOnce({ path: text, format: null })).rejects.toMatchObject({
      code: 'unsupported',
    })
    await expect(
      decodeOnce({ path: path.join(dir, 'gone.jpg'), format: 'jpeg' }),
    ).rejects.toMatchObject({
      code: 'vanished',
    })
  })

  it('needs ffmpeg for a video frame, and uses it when present', async () => {
    const video = path.join(dir, 'clip.mp4')
    writeFileSync(video, Buffer.alloc(64))
    await expect(
      decodeOnce({ path: video, format: 'mp4', ffmpegPath: null }),
    ).rejects.toMatchObject({
      code: 'needs_ffmpeg',
    })
    const ffmpeg = findFfmpeg()
    if (!ffmpeg) return // the needs_ffmpeg path above is the one this machine can check
    const { execFileSync } = await import('node:child_process')
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x240:rate=10',
      '-t',
      '2',
      '-pix_fmt',
      'yuv420p',
      video,
    ])
    const d = await decodeOnce({ path: video, format: 'mp4' })
    expect([d.width, d.height, d.via]).toEqual([320, 240, 'video'])
  })
})
