import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { ItemError } from '../tasks/task-error'

/**
 * The largest embedded preview JPEG of a camera RAW file, found with a small reader of our own
 * (no ExifTool process per file): CR2/NEF/ARW/DNG/ORF/RW2/PEF/SRW are TIFF containers whose IFDs
 * (IFD0 chain, SubIFDs, EXIF IFD) point at JPEGs either through JPEGInterchangeFormat/Length or
 * through strips with JPEG compression; RAF has the JPEG offset in its fixed header; CR3 is
 * ISO-BMFF with the preview in a PRVW box inside Canon's uuid box.
 *
 * Decoding the RAW sensor data itself is out of scope: the camera's own preview is what every
 * photo manager shows, and it is usually full size (CR2, NEF, ARW) or ≥ 1620 px (CR3).
 */

/** Random access to the file's bytes. */
export interface ByteSource {
  readonly size: number
  read(offset: number, length: number): Uint8Array
}

export interface RawPreview {
  readonly offset: number
  readonly length: number
  /** EXIF orientation of the RAW (the preview JPEG usually has none of its own). */
  readonly orientation: number
  readonly container: 'tiff' | 'raf' | 'cr3'
}

const TAG_COMPRESSION = 0x0103
const TAG_STRIP_OFFSETS = 0x0111
const TAG_ORIENTATION = 0x0112
const TAG_STRIP_BYTE_COUNTS = 0x0117
const TAG_SUB_IFDS = 0x014a
const TAG_JPEG_OFFSET = 0x0201
const TAG_JPEG_LENGTH = 0x0202
const TAG_EXIF_IFD = 0x8769
/** Panasonic RW2 keeps its full preview JPEG as the value of tag 0x2e. */
const TAG_RW2_JPEG = 0x002e

class Reader {
  constructor(
    private readonly src: ByteSource,
    readonly little: boolean,
  ) {}
  bytes(offset: number, length: number): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.src.size) {
      throw new ItemError('corrupt', `RAW structure points outside the file (${offset}+${length})`)
    }
    return this.src.read(offset, length)
  }
  u16(offset: number): number {
    const b = this.bytes(offset, 2)
    return this.little
      ? (b[0] as number) | ((b[1] as number) << 8)
      : ((b[0] as number) << 8) | (b[1] as number)
  }
  u32(offset: number): number {
    const b = this.bytes(offset, 4)
    const v = this.little
      ? (b[0] as number) |
        ((b[1] as number) << 8) |
        ((b[2] as number) << 16) |
        ((b[3] as number) << 24)
      : ((b[0] as number) << 24) |
        ((b[1] as number) << 16) |
        ((b[2] as number) << 8) |
        (b[3] as number)
    return v >>> 0
  }
}

interface Candidate {
  readonly offset: number
  readonly length: number
}

/** TIFF field types → byte size of one value. */
const TYPE_SIZE: Readonly<Record<number, number>> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
}

interface Entry {
  readonly tag: number
  readonly type: number
  readonly count: number
  /** Where the value bytes are (inline in the entry or at the pointed offset). */
  readonly valueOffset: number
}

function readEntries(r: Reader, ifd: number): { entries: Entry[]; next: number } {
  const count = r.u16(ifd)
  if (count > 4096) throw new ItemError('corrupt', 'RAW IFD has an absurd entry count')
  const entries: Entry[] = []
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12
    const tag = r.u16(at)
    const type = r.u16(at + 2)
    const n = r.u32(at + 4)
    const size = (TYPE_SIZE[type] ?? 1) * n
    entries.push({ tag, type, count: n, valueOffset: size <= 4 ? at + 8 : r.u32(at + 8) })
  }
  return { entries, next: r.u32(ifd + 2 + count * 12) }
}

function values(r: Reader, e: Entry): number[] {
  const out: number[] = []
  for (let i = 0; i < Math.min(e.count, 1024); i++) {
    out.push(e.type === 3 ? r.u16(e.valueOffset + i * 2) : r.u32(e.valueOffset + i * 4))
  }
  return out
}

function first(r: Reader, entries: Entry[], tag: number): number | undefined {
  const e = entries.find((x) => x.tag === tag)
  return e ? values(r, e)[0] : undefined
}

/** True when the bytes start a JPEG that libjpeg can decode (baseline/progressive, not lossless). */
function isDecodableJpeg(r: Reader, c: Candidate): boolean {
  if (c.length < 128) return false
  const head = r.bytes(c.offset, Math.min(c.length, 65536))
  if (head[0] !== 0xff || head[1] !== 0xd8) return false
  // Walk markers to the first SOF: SOF3 (lossless, DNG/CR2 raw data) is not a preview.
  let i = 2
  while (i + 4 <= head.length) {
    if (head[i] !== 0xff) return false
    const marker = head[i + 1] as number
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return marker === 0xc0 || marker === 0xc1 || marker === 0xc2
    }
    const len = ((head[i + 2] as number) << 8) | (head[i + 3] as number)
    i += 2 + len
  }
  // SOF beyond the first 64 KB (huge EXIF block): trust the SOI.
  return true
}

function tiffCandidates(
  r: Reader,
  firstIfd: number,
): { candidates: Candidate[]; orientation: number } {
  const candidates: Candidate[] = []
  let orientation = 1
  const seen = new Set<number>()
  const queue: { ifd: number; chain: boolean }[] = [{ ifd: firstIfd, chain: true }]
  while (queue.length > 0 && seen.size < 64) {
    const item = queue.shift()
    if (!item || item.ifd === 0 || seen.has(item.ifd)) continue
    seen.add(item.ifd)
    const { entries, next } = readEntries(r, item.ifd)
    if (seen.size === 1) orientation = first(r, entries, TAG_ORIENTATION) ?? 1
    const jpegOffset = first(r, entries, TAG_JPEG_OFFSET)
    const jpegLength = first(r, entries, TAG_JPEG_LENGTH)
    if (jpegOffset && jpegLength) candidates.push({ offset: jpegOffset, length: jpegLength })
    const compression = first(r, entries, TAG_COMPRESSION)
    const strips = entries.find((e) => e.tag === TAG_STRIP_OFFSETS)
    const counts = entries.find((e) => e.tag === TAG_STRIP_BYTE_COUNTS)
    // Compression 6 (old JPEG, CR2's full-size preview) or 7 (JPEG; DNG previews — but also DNG's
    // lossless raw data, which isDecodableJpeg rejects). Only single-strip images are previews.
    if ((compression === 6 || compression === 7) && strips && counts && strips.count === 1) {
      candidates.push({ offset: values(r, strips)[0] ?? 0, length: values(r, counts)[0] ?? 0 })
    }
    const rw2 = entries.find((e) => e.tag === TAG_RW2_JPEG)
    if (rw2) candidates.push({ offset: rw2.valueOffset, length: rw2.count })
    const subs = entries.find((e) => e.tag === TAG_SUB_IFDS)
    if (subs) for (const sub of values(r, subs)) queue.push({ ifd: sub, chain: false })
    const exif = first(r, entries, TAG_EXIF_IFD)
    if (exif) queue.push({ ifd: exif, chain: false })
    if (item.chain && next) queue.push({ ifd: next, chain: true })
  }
  return { candidates, orientation }
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes)
}

/** CR3: ftyp 'crx ', then moov → uuid(Canon) …; the PRVW box sits in a top-level uuid box. */
function cr3Candidate(src: ByteSource, r: Reader): Candidate | undefined {
  let offset = 0
  while (offset + 8 <= src.size) {
    let size = r.u32(offset)
    const type = ascii(r.bytes(offset + 4, 4))
    let header = 8
    if (size === 1) {
      size = r.u32(offset + 8) * 2 ** 32 + r.u32(offset + 12)
      header = 16
    } else if (size === 0) {
      size = src.size - offset
    }
    if (size < header) return undefined
    if (type === 'uuid' && size < 64 * 1024 * 1024) {
      // Scan this box for PRVW: [size][PRVW][8 unknown][u16 w][u16 h][u32 jpeg length][jpeg].
      const box = r.bytes(offset, Math.min(size, src.size - offset))
      for (let i = header; i + 24 < box.length; i++) {
        if (box[i] === 0x50 && box[i + 1] === 0x52 && box[i + 2] === 0x56 && box[i + 3] === 0x57) {
          const at = offset + i + 4 + 8 + 4
          const length = r.u32(at)
          return { offset: at + 4, length }
        }
      }
    }
    offset += size
  }
  return undefined
}

/** Finds the largest decodable preview JPEG. Throws ItemError('unsupported') when none. */
export function findRawPreview(src: ByteSource): RawPreview {
  if (src.size < 16) throw new ItemError('corrupt', 'file too short for a RAW container')
  const head = src.read(0, Math.min(src.size, 16))
  const magic = ascii(head.subarray(0, 16))
  if (magic.startsWith('FUJIFILMCCD-RAW')) {
    const r = new Reader(src, false)
    const c = { offset: r.u32(84), length: r.u32(88) }
    if (!isDecodableJpeg(r, c)) throw new ItemError('unsupported', 'RAF without a JPEG preview')
    return { ...c, orientation: 1, container: 'raf' }
  }
  if (ascii(head.subarray(4, 8)) === 'ftyp') {
    const r = new Reader(src, false)
    const c = cr3Candidate(src, r)
    if (!c || !isDecodableJpeg(r, c))
      throw new ItemError('unsupported', 'CR3 without a PRVW preview')
    return { ...c, orientation: 1, container: 'cr3' }
  }
  const order = ascii(head.subarray(0, 2))
  if (order !== 'II' && order !== 'MM')
    throw new ItemError('unsupported', 'not a TIFF-based RAW file')
  const r = new Reader(src, order === 'II')
  const magicNumber = r.u16(2)
  // 42 TIFF (CR2, NEF, ARW, DNG, PEF…); 0x55 Panasonic RW2; 0x4f52 / 0x5352 Olympus ORF.
  if (![42, 0x55, 0x4f52, 0x5352].includes(magicNumber)) {
    throw new ItemError('unsupported', `unknown TIFF magic ${magicNumber}`)
  }
  const { candidates, orientation } = tiffCandidates(r, r.u32(4))
  const usable = candidates
    .filter((c) => c.offset > 0 && c.length > 0 && c.offset + c.length <= src.size)
    .filter((c) => isDecodableJpeg(r, c))
    .sort((a, b) => b.length - a.length)
  const best = usable[0]
  if (!best) throw new ItemError('unsupported', 'no embedded preview JPEG in this RAW file')
  return {
    ...best,
    orientation: orientation >= 1 && orientation <= 8 ? orientation : 1,
    container: 'tiff',
  }
}

/** A ByteSource over an open file (reads only what the IFD walk needs). */
export function withFileSource<T>(file: string, fn: (src: ByteSource) => T): T {
  const fd = openSync(file, 'r')
  try {
    const size = fstatSync(fd).size
    return fn({
      size,
      read(offset, length) {
        const buf = Buffer.allocUnsafe(length)
        const n = readSync(fd, buf, 0, length, offset)
        return buf.subarray(0, n)
      },
    })
  } finally {
    closeSync(fd)
  }
}

/** Reads the preview JPEG bytes of a RAW file. */
export function readRawPreview(file: string): { jpeg: Buffer; orientation: number } {
  return withFileSource(file, (src) => {
    const preview = findRawPreview(src)
    return {
      jpeg: Buffer.from(src.read(preview.offset, preview.length)),
      orientation: preview.orientation,
    }
  })
}

/** A ByteSource over a buffer (tests). */
export function bufferSource(buf: Uint8Array): ByteSource {
  return { size: buf.length, read: (offset, length) => buf.subarray(offset, offset + length) }
}
