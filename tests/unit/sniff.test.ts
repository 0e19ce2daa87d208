import { readFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { dispositionOf, sniffFormat } from '../../src/core/media/sniff'
import { heifDimensions, inspectHeader, movieFacts } from '../../src/core/media/image-header'
import { ItemError } from '../../src/core/tasks/task-error'

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'photos')

/** An ISO-BMFF ftyp box with a major brand and compatible brands. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const body = Buffer.from(major + '\0\0\0\0' + compatible.join(''), 'latin1')
  const size = Buffer.alloc(4)
  size.writeUInt32BE(8 + body.length)
  return Buffer.concat([size, Buffer.from('ftyp'), body, Buffer.alloc(32)])
}

const tiffLE = (extra: number[] = []) =>
  Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x10, 0, 0, 0, ...extra, ...new Array(64).fill(0)])

describe(sniffFormat.name, () => {
  it('recognises the formats sharp writes, by content', async () => {
    const src = sharp(path.join(FIXTURES, 'skimage_chelsea.png')).resize(64)
    const expectations: [Buffer, string][] = [
      [await src.clone().jpeg().toBuffer(), 'jpeg'],
      [await src.clone().png().toBuffer(), 'png'],
      [await src.clone().webp().toBuffer(), 'webp'],
      [await src.clone().tiff().toBuffer(), 'tiff'],
      [await src.clone().gif().toBuffer(), 'gif'],
      [await src.clone().avif({ effort: 0 }).toBuffer(), 'avif'],
    ]
    for (const [bytes, format] of expectations) {
      // A misleading extension does not change the answer.
      expect(sniffFormat(bytes, 'txt')?.format, format).toBe(format)
    }
  })

  it('recognises a real camera JPEG', () => {
    expect(
      sniffFormat(readFileSync(path.join(FIXTURES, 'kde_Kite.jpg')).subarray(0, 64), 'jpg'),
    ).toEqual({
      format: 'jpeg',
      kind: 'image',
      rawFormat: null,
    })
  })

  it('tells HEIC, AVIF, CR3, MP4 and MOV apart by ftyp brands', () => {
    expect(sniffFormat(ftyp('heic', 'mif1', 'heic'), 'heic')?.format).toBe('heic')
    expect(sniffFormat(ftyp('mif1', 'mif1', 'heic'), '')?.format).toBe('heic')
    expect(sniffFormat(ftyp('mif1', 'mif1', 'avif'), 'heic')?.format).toBe('avif')
    expect(sniffFormat(ftyp('avif', 'mif1'), '')?.format).toBe('avif')
    expect(sniffFormat(ftyp('crx ', 'isom'), 'cr3')).toEqual({
      format: 'raw',
      kind: 'image',
      rawFormat: 'cr3',
    })
    expect(sniffFormat(ftyp('qt  '), 'mp4')).toEqual({
      format: 'mov',
      kind: 'video',
      rawFormat: null,
    })
    expect(sniffFormat(ftyp('isom', 'iso2', 'avc1', 'mp41'), '')).toEqual({
      format: 'mp4',
      kind: 'video',
      rawFormat: null,
    })
    expect(sniffFormat(ftyp('mp42', 'isom'), 'mov')?.format).toBe('mov')
    expect(sniffFormat(ftyp('3gp4'), '3gp')?.format).toBe('mp4')
    // Audio in an MP4 container is not media we import.
    expect(sniffFormat(ftyp('M4A ', 'isom'), 'm4a')).toBeNull()
    // Old QuickTime without ftyp.
    expect(sniffFormat(Buffer.from('\0\0\0\x08wide\0\0\0\x10mdat', 'latin1'), 'mov')?.format).toBe(
      'mov',
    )
  })

  it('recognises RAW formats by signature, TIFF-based ones with the extension as tie-breaker', () => {
    expect(sniffFormat(tiffLE([0x43, 0x52, 0x02, 0x00]), 'cr2')?.rawFormat).toBe('cr2')
    // CR2 by signature even when renamed.
    expect(sniffFormat(tiffLE([0x43, 0x52, 0x02, 0x00]), 'tif')?.rawFormat).toBe('cr2')
    expect(sniffFormat(tiffLE(), 'nef')?.rawFormat).toBe('nef')
    expect(sniffFormat(tiffLE(), 'arw')?.rawFormat).toBe('arw')
    expect(sniffFormat(tiffLE(), 'dng')?.rawFormat).toBe('dng')
    expect(sniffFormat(tiffLE(), 'tif')).toEqual({ format: 'tiff', kind: 'image', rawFormat: null })
    expect(
      sniffFormat(Buffer.from('IIRO\x08\0\0\0' + '\0'.repeat(56), 'latin1'), 'orf')?.rawFormat,
    ).toBe('orf')
    expect(
      sniffFormat(Buffer.from('IIU\0\x08\0\0\0' + '\0'.repeat(56), 'latin1'), 'rw2')?.rawFormat,
    ).toBe('rw2')
    expect(
      sniffFormat(Buffer.from('FUJIFILMCCD-RAW 0201FF383501', 'latin1'), 'raf')?.rawFormat,
    ).toBe('raf')
  })

  it('returns null for non-media content', () => {
    expect(sniffFormat(Buffer.from('hello, this is text\n'), 'jpg')).toBeNull()
    expect(sniffFormat(Buffer.from('PK\x03\x04\x14\0\0\0', 'latin1'), 'jpg')).toBeNull()
    expect(sniffFormat(Buffer.from('BM6\0\0\0\0\0', 'latin1'), 'bmp')).toBeNull()
    expect(sniffFormat(Buffer.alloc(0), 'jpg')).toBeNull()
  })
})

describe(dispositionOf.name, () => {
  it('classifies names: media claims, ignored non-media, probed unknowns', () => {
    expect(dispositionOf('a.JPG')).toBe('media')
    expect(dispositionOf('a.heic')).toBe('media')
    expect(dispositionOf('a.bmp')).toBe('media')
    expect(dispositionOf('notes.txt')).toBe('ignore')
    expect(dispositionOf('IMG_0001.xmp')).toBe('ignore')
    expect(dispositionOf('catalog.db')).toBe('ignore')
    expect(dispositionOf('README')).toBe('probe')
    expect(dispositionOf('scan.dat')).toBe('probe')
  })
})

describe(inspectHeader.name, () => {
  it('reads JPEG and PNG dimensions from the header', async () => {
    const jpeg = readFileSync(path.join(FIXTURES, 'kde_Kite.jpg'))
    expect(inspectHeader(jpeg, jpeg.length, 'jpeg')).toMatchObject({ width: 2560, height: 1600 })
    const png = readFileSync(path.join(FIXTURES, 'skimage_coffee.png'))
    expect(inspectHeader(png, png.length, 'png')).toMatchObject({ width: 600, height: 400 })
    const webp = await sharp(png).webp().toBuffer()
    expect(inspectHeader(webp, webp.length, 'webp')).toMatchObject({ width: 600, height: 400 })
    const gif = await sharp(png).gif().toBuffer()
    expect(inspectHeader(gif, gif.length, 'gif')).toMatchObject({ width: 600, height: 400 })
  })

  it('refuses absurd declared sizes and cut headers', () => {
    const png = Buffer.from(readFileSync(path.join(FIXTURES, 'skimage_coffee.png')))
    png.writeUInt32BE(200_000, 16)
    expect(() => inspectHeader(png, png.length, 'png')).toThrow(ItemError)
    try {
      inspectHeader(png, png.length, 'png')
    } catch (error) {
      expect((error as ItemError).code).toBe('too_large')
    }
    const jpeg = readFileSync(path.join(FIXTURES, 'kde_Kite.jpg')).subarray(0, 300)
    expect(() => inspectHeader(jpeg, jpeg.length, 'jpeg')).toThrow(/past the end|ends before/)
  })
})

describe('ISO-BMFF facts', () => {
  it('reads HEIF ispe and movie header fields', () => {
    const ispe = Buffer.alloc(20)
    ispe.writeUInt32BE(20, 0)
    ispe.write('ispe', 4, 'latin1')
    ispe.writeUInt32BE(4032, 12)
    ispe.writeUInt32BE(3024, 16)
    const thumb = Buffer.from(ispe)
    thumb.writeUInt32BE(320, 12)
    thumb.writeUInt32BE(240, 16)
    expect(heifDimensions(Buffer.concat([Buffer.alloc(8), thumb, ispe]))).toEqual({
      width: 4032,
      height: 3024,
    })

    const mvhd = Buffer.alloc(20)
    mvhd.write('mvhd', 4, 'latin1')
    // 2020-01-01T00:00:00Z in seconds since 1904.
    mvhd.writeUInt32BE(1577836800 + 2082844800, 12)
    const tkhd = Buffer.alloc(92)
    tkhd.write('tkhd', 4, 'latin1')
    tkhd.writeUInt32BE(1920 * 65536, 84)
    tkhd.writeUInt32BE(1080 * 65536, 88)
    expect(movieFacts(Buffer.concat([Buffer.alloc(8), mvhd, tkhd]))).toEqual({
      createdMs: Date.UTC(2020, 0, 1),
      width: 1920,
      height: 1080,
    })
  })
})
