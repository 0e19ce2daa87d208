import type { MediaFormat } from '../../shared/photos'
import { ItemError } from '../tasks/task-error'

/**
 * Structural checks on a file's header and tail, cheap enough to run on every import: the
 * dimensions a file declares (to refuse decompression bombs before anything decodes them), and
 * whether the file is complete. Pure over buffers; the import task supplies the bytes.
 */

/** Declared sizes we refuse (sharp's own limit is ~268 Mpx; a real panorama stays far below). */
export const MAX_SIDE = 100_000
export const MAX_PIXELS = 1_000_000_000

export interface HeaderInfo {
  readonly width: number | null
  readonly height: number | null
  /** JPEG: offset of the first SOS marker (entropy data starts after it; EOI must follow). */
  readonly jpegScanOffset: number | null
}

/** A header that declares nothing checkable. */
const empty: HeaderInfo = { width: null, height: null, jpegScanOffset: null }

const u16be = (b: Uint8Array, o: number) => ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0)
const u16le = (b: Uint8Array, o: number) => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8)
const u24le = (b: Uint8Array, o: number) => u16le(b, o) | ((b[o + 2] ?? 0) << 16)
const u32be = (b: Uint8Array, o: number) => u16be(b, o) * 0x10000 + u16be(b, o + 2)
const u32le = (b: Uint8Array, o: number) => u16le(b, o) + u16le(b, o + 2) * 0x10000

export function checkDimensions(width: number | null, height: number | null, what: string): void {
  if (width === null || height === null) return
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new ItemError(
      'too_large',
      `${what} declares ${width}×${height} px (limit ${MAX_SIDE} px per side, ${MAX_PIXELS / 1e6} Mpx)`,
    )
  }
}

// prettier-ignore
const SOF_MARKERS = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
])

/** Walks JPEG segments up to the first scan: dimensions from SOF, structure errors as codes. */
function jpegHeader(b: Uint8Array, fileSize: number): HeaderInfo {
  let off = 2
  let width: number | null = null
  let height: number | null = null
  while (off < b.length) {
    if (b[off] !== 0xff) throw new ItemError('corrupt', `JPEG: no marker at byte ${off}`)
    // Any number of 0xFF fill bytes may precede a marker.
    while (b[off] === 0xff && off < b.length) off++
    if (off >= b.length) break
    const marker = b[off] as number
    off++
    if (marker === 0xd8 || marker === 0xd9) {
      throw new ItemError(
        'corrupt',
        `JPEG: unexpected ${marker === 0xd9 ? 'EOI' : 'SOI'} in header`,
      )
    }
    // Standalone markers (RSTn, TEM) carry no length.
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue
    if (off + 2 > b.length) break
    const length = u16be(b, off)
    if (length < 2) throw new ItemError('corrupt', `JPEG: segment length ${length} at byte ${off}`)
    if (off + length > fileSize) {
      throw new ItemError('truncated', `JPEG: a header segment runs past the end of the file`)
    }
    if (SOF_MARKERS.has(marker) && off + 7 <= b.length) {
      height = u16be(b, off + 3)
      width = u16be(b, off + 5)
      if (width === 0) throw new ItemError('corrupt', 'JPEG: frame header declares width 0')
    }
    if (marker === 0xda) {
      if (width === null) throw new ItemError('corrupt', 'JPEG: image data before any frame header')
      return { width, height: height || null, jpegScanOffset: off + length }
    }
    off += length
  }
  if (off >= fileSize) throw new ItemError('truncated', 'JPEG: file ends before the image data')
  // The head we were given ended first (huge APP segments): dimensions may come from EXIF.
  return { width, height, jpegScanOffset: null }
}

function pngHeader(b: Uint8Array, fileSize: number): HeaderInfo {
  if (fileSize < 33) throw new ItemError('truncated', 'PNG: file ends inside the header')
  if (String.fromCharCode(...b.subarray(12, 16)) !== 'IHDR') {
    throw new ItemError('corrupt', 'PNG: first chunk is not IHDR')
  }
  const width = u32be(b, 16)
  const height = u32be(b, 20)
  if (width === 0 || height === 0) throw new ItemError('corrupt', 'PNG: zero width or height')
  return { width, height, jpegScanOffset: null }
}

function gifHeader(b: Uint8Array, fileSize: number): HeaderInfo {
  if (fileSize < 13) throw new ItemError('truncated', 'GIF: file ends inside the header')
  return { width: u16le(b, 6), height: u16le(b, 8), jpegScanOffset: null }
}

function webpHeader(b: Uint8Array, fileSize: number): HeaderInfo {
  const riffSize = u32le(b, 4)
  if (fileSize < 20 || fileSize < riffSize + 8) {
    throw new ItemError(
      'truncated',
      `WebP: header says ${riffSize + 8} bytes, file has ${fileSize}`,
    )
  }
  const chunk = String.fromCharCode(...b.subarray(12, 16))
  if (chunk === 'VP8X' && b.length >= 30) {
    return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1, jpegScanOffset: null }
  }
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = u32le(b, 21)
    return {
      width: (bits & 0x3fff) + 1,
      height: ((bits >>> 14) & 0x3fff) + 1,
      jpegScanOffset: null,
    }
  }
  if (chunk === 'VP8 ' && b.length >= 30) {
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff, jpegScanOffset: null }
  }
  return empty
}

function tiffHeader(b: Uint8Array, fileSize: number): HeaderInfo {
  if (fileSize < 16) throw new ItemError('truncated', 'TIFF: file ends inside the header')
  const little = b[0] === 0x49
  // Classic TIFF (and its RAW variants) point at the first IFD from byte 4; BigTIFF uses 64 bits.
  const bigTiff = (little ? u16le(b, 2) : u16be(b, 2)) === 0x2b
  if (!bigTiff) {
    const ifd = little ? u32le(b, 4) : u32be(b, 4)
    if (ifd >= fileSize)
      throw new ItemError('truncated', `TIFF: first directory at ${ifd} is past the end`)
  }
  return empty
}

/** What the head of a file of each format declares. */
const HEADER_READERS: Record<MediaFormat, (head: Uint8Array, fileSize: number) => HeaderInfo> = {
  jpeg: jpegHeader,
  png: pngHeader,
  gif: gifHeader,
  webp: webpHeader,
  tiff: tiffHeader,
  // TIFF-structured RAW files start like a TIFF (II / MM); the others declare nothing here.
  raw: (head, fileSize) =>
    head[0] === 0x49 || head[0] === 0x4d ? tiffHeader(head, fileSize) : empty,
  // ISO-BMFF boxes are checked by `checkBoxes` (they need reads beyond the head).
  heic: () => empty,
  avif: () => empty,
  mp4: () => empty,
  mov: () => empty,
}

/**
 * Dimensions and structure from the head of a file (the first chunk read; the whole file when
 * small). Throws ItemError('corrupt' | 'truncated' | 'too_large').
 */
export function inspectHeader(head: Uint8Array, fileSize: number, format: MediaFormat): HeaderInfo {
  const info = HEADER_READERS[format](head, fileSize)
  checkDimensions(info.width, info.height, format.toUpperCase())
  return info
}

/** Index of the last EOI (FF D9) in `b` at or after `from`, or -1. */
export function lastEoi(b: Uint8Array, from = 0): number {
  const at = Buffer.from(b.buffer, b.byteOffset, b.byteLength).lastIndexOf(EOI)
  return at >= from ? at : -1
}

const EOI = Buffer.from([0xff, 0xd9])

/**
 * Whether the last bytes of a file look like a complete file of this format. `false` means "not
 * at the very end": the caller searches the whole file before calling it truncated, because
 * phones append data after a complete image (motion photos, Samsung trailers).
 */
export function tailLooksComplete(format: MediaFormat, tail: Uint8Array): boolean {
  if (format === 'jpeg') {
    // Some writers pad with zeros after EOI.
    let end = tail.length
    while (end > 0 && tail[end - 1] === 0x00) end--
    return end >= 2 && tail[end - 2] === 0xff && tail[end - 1] === 0xd9
  }
  if (format === 'png') return indexOfAscii(tail, 'IEND') >= 0
  return true
}

export function indexOfAscii(b: Uint8Array, text: string, from = 0): number {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).indexOf(text, from, 'latin1')
}

/** ISO-BMFF box walk result: what the top level holds. */
export interface BoxSummary {
  readonly types: readonly string[]
  /** Offset and size of the 'moov' (video) or 'meta' (HEIF) box when found. */
  readonly moov: { readonly offset: number; readonly size: number } | null
  readonly meta: { readonly offset: number; readonly size: number } | null
}

/**
 * Walks the top-level boxes of an ISO-BMFF file (MP4/MOV/HEIC/AVIF/CR3) with small reads: a box
 * that runs past the end of the file means the file was cut short.
 */
export async function checkBoxes(
  readAt: (offset: number, length: number) => Promise<Uint8Array>,
  fileSize: number,
  format: MediaFormat,
): Promise<BoxSummary> {
  const types: string[] = []
  let moov: BoxSummary['moov'] = null
  let meta: BoxSummary['meta'] = null
  let off = 0
  for (let n = 0; off < fileSize && n < 10_000; n++) {
    if (off + 8 > fileSize)
      throw new ItemError('truncated', `${format}: file ends inside a box header`)
    const h = await readAt(off, 16)
    let size = u32be(h, 0)
    const type = String.fromCharCode(...h.subarray(4, 8))
    let headerSize = 8
    if (size === 1) {
      size = u32be(h, 8) * 0x1_0000_0000 + u32be(h, 12)
      headerSize = 16
    } else if (size === 0) {
      size = fileSize - off
    }
    if (size < headerSize)
      throw new ItemError('corrupt', `${format}: box "${type}" has size ${size}`)
    if (off + size > fileSize) {
      throw new ItemError(
        'truncated',
        `${format}: box "${type}" runs ${off + size - fileSize} bytes past the end`,
      )
    }
    types.push(type)
    if (type === 'moov') moov = { offset: off, size }
    if (type === 'meta') meta = { offset: off, size }
    off += size
  }
  if ((format === 'mp4' || format === 'mov') && !moov) {
    throw new ItemError(
      'truncated',
      `${format}: no movie header (moov box); the recording was cut short`,
    )
  }
  if ((format === 'heic' || format === 'avif') && !meta) {
    throw new ItemError('corrupt', `${format}: no meta box`)
  }
  return { types, moov, meta }
}

/** Largest 'ispe' (image spatial extents) in a HEIF meta box: the primary image's size. */
export function heifDimensions(meta: Uint8Array): { width: number; height: number } | null {
  let best: { width: number; height: number } | null = null
  for (let i = indexOfAscii(meta, 'ispe'); i >= 4; i = indexOfAscii(meta, 'ispe', i + 4)) {
    // box: size(4) 'ispe' version/flags(4) width(4) height(4)
    const width = u32be(meta, i + 8)
    const height = u32be(meta, i + 12)
    if (!best || width * height > best.width * best.height) best = { width, height }
  }
  return best
}

/** Video facts from a 'moov' box: creation time (UTC ms) and the largest track's size. */
export function movieFacts(moov: Uint8Array): {
  createdMs: number | null
  width: number | null
  height: number | null
} {
  // Seconds between 1904-01-01 (QuickTime epoch) and 1970-01-01.
  const EPOCH_1904 = 2_082_844_800
  let createdMs: number | null = null
  const mvhd = indexOfAscii(moov, 'mvhd')
  if (mvhd >= 4) {
    const version = moov[mvhd + 4]
    const secs =
      version === 1
        ? u32be(moov, mvhd + 8) * 0x1_0000_0000 + u32be(moov, mvhd + 12)
        : u32be(moov, mvhd + 8)
    // Zero means "not set": many encoders leave it.
    if (secs > EPOCH_1904) createdMs = (secs - EPOCH_1904) * 1000
  }
  let width: number | null = null
  let height: number | null = null
  for (let i = indexOfAscii(moov, 'tkhd'); i >= 4; i = indexOfAscii(moov, 'tkhd', i + 4)) {
    const version = moov[i + 4]
    // Width and height are 16.16 fixed point, the last 8 bytes of the box.
    const base = i + 4 + (version === 1 ? 88 : 76)
    const w = Math.round(u32be(moov, base) / 65536)
    const h = Math.round(u32be(moov, base + 4) / 65536)
    if (w > 0 && h > 0 && w * h > (width ?? 0) * (height ?? 0)) {
      width = w
      height = h
    }
  }
  return { createdMs, width, height }
}
