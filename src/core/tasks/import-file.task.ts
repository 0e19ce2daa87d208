import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import path from 'node:path'
import { createXXHash128, type IHasher } from 'hash-wasm'
import type { ImportedPhotoFields, MediaFormat } from '../../shared/photos'
import { resolveDate, type DateEvidence } from '../analysis/dates'
import { validateGps } from '../analysis/gps'
import { readExif, readXmpDates, type ExifFacts } from '../media/exif'
import {
  checkBoxes,
  checkDimensions,
  heifDimensions,
  indexOfAscii,
  inspectHeader,
  lastEoi,
  movieFacts,
  tailLooksComplete,
} from '../media/image-header'
import { extensionOf, MEDIA_EXTENSIONS, sniffFormat } from '../media/sniff'
import { ItemError } from './task-error'

/**
 * Imports one file inside a worker: one pass over its bytes computes the checksum, the head of
 * the same read feeds format sniffing, header checks and EXIF, and the result is a plain record
 * the main process only has to insert. No catalog access here.
 */

export interface ImportFileInput {
  readonly path: string
  /** `now` for "date in the future" checks (the job's clock, so one run agrees with itself). */
  readonly nowMs: number
}

/** One file as the catalog stores it, plus what the job log should hear about it. */
export interface ImportedFile extends ImportedPhotoFields {
  /** Problems that did not stop the import (malformed EXIF…), for the job log. */
  readonly warnings: readonly string[]
}

export type ImportFileOutput =
  | { readonly kind: 'photo'; readonly file: ImportedFile }
  /** Not media and its name never claimed to be: not an import item at all. */
  | { readonly kind: 'not-media' }

/**
 * Read size. 256 KiB holds a JPEG's whole metadata region (EXIF is ≤ 64 KiB by the standard) and
 * stays in L2 cache between the read's copy and the hasher's copy into WASM memory: measured on
 * 2.9 MB JPEGs, 256 KiB reads cost ~20% less CPU per file than 4 MiB reads.
 */
const CHUNK = 256 * 1024
const TAIL = 64 * 1024
/** Moov/meta boxes larger than this are not read for facts (the file still imports). */
const MAX_BOX_READ = 32 * 1024 * 1024

let hasherPromise: Promise<IHasher> | null = null
let chunk: Buffer | null = null

function unreadable(error: unknown, file: string): ItemError {
  const e = error as NodeJS.ErrnoException
  if (e.code === 'ENOENT')
    return new ItemError('vanished', `${file} disappeared before it was read`)
  return new ItemError(
    'unreadable',
    `cannot read ${path.basename(file)}: ${e.code ?? ''} ${e.message}`.trim(),
  )
}

/** A few words on what a non-media file actually is, for the error message. */
function describeBytes(head: Uint8Array): string {
  const sig = Buffer.from(head.subarray(0, 8)).toString('latin1')
  if (sig.startsWith('PK\x03\x04')) return 'a ZIP archive'
  if (sig.startsWith('%PDF')) return 'a PDF document'
  if (sig.startsWith('BM')) return 'a BMP image (not supported)'
  if (sig.startsWith('8BPS')) return 'a Photoshop document (not supported)'
  if (sig.startsWith('SQLite')) return 'an SQLite database'
  const sample = head.subarray(0, 512)
  const text = sample.every(
    (b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128,
  )
  return text ? 'text' : 'not a recognised image or video format'
}

export async function importFileTask(input: ImportFileInput): Promise<ImportFileOutput> {
  hasherPromise ??= createXXHash128()
  const hasher = await hasherPromise
  chunk ??= Buffer.allocUnsafe(CHUNK)
  const buf = chunk
  const file = input.path
  const name = path.basename(file)
  const ext = extensionOf(name)
  const claimed = MEDIA_EXTENSIONS[ext]

  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (error) {
    throw unreadable(error, file)
  }
  try {
    const stats = fstatSync(fd)
    const size = stats.size
    if (size === 0) {
      if (!claimed) return { kind: 'not-media' }
      throw new ItemError('empty', `${name} is empty (0 bytes)`)
    }

    // First read: enough for sniffing, headers and (JPEG) EXIF; the whole file when it is small.
    let first: number
    try {
      first = readSync(fd, buf, 0, Math.min(CHUNK, size), 0)
    } catch (error) {
      throw unreadable(error, file)
    }
    const sniffed = sniffFormat(buf.subarray(0, first), ext)
    if (!sniffed) {
      if (!claimed) return { kind: 'not-media' }
      throw new ItemError(
        'unsupported',
        `${name} claims to be ${ext.toUpperCase()} but its content is ${describeBytes(buf.subarray(0, first))}`,
      )
    }
    const header = inspectHeader(buf.subarray(0, first), size, sniffed.format)

    // EXIF from the head before the buffer is reused for the rest of the file. JPEG metadata all
    // sits before the first scan, so exifr gets exactly that region; other formats can keep
    // metadata anywhere (PNG eXIf after IDAT, TIFF/RAW directories, HEIF items), so unless the
    // whole file is in hand exifr reads the chunks it needs from the file itself.
    const whole = first === size
    const head = buf.subarray(0, first)
    const warnings: string[] = []
    const exifSource: Buffer | string | null =
      sniffed.kind === 'video'
        ? null
        : sniffed.format === 'jpeg' && header.jpegScanOffset !== null
          ? head.subarray(0, header.jpegScanOffset)
          : whole
            ? head
            : file
    let exif: ExifFacts | null = null
    let xmpDates: string[] = []
    if (exifSource !== null) {
      try {
        exif = await readExif(exifSource)
        if (!exif?.dateTimeOriginal && !exif?.createDate) xmpDates = await readXmpDates(exifSource)
      } catch (error) {
        warnings.push(`metadata unreadable: ${(error as Error).message}`)
      }
    }

    // Checksum: the bytes already read, then the rest chunk by chunk.
    hasher.init()
    hasher.update(head)
    let pos = first
    let last: Uint8Array = head
    while (pos < size) {
      let n: number
      try {
        n = readSync(fd, buf, 0, Math.min(CHUNK, size - pos), pos)
      } catch (error) {
        throw unreadable(error, file)
      }
      if (n === 0) throw new ItemError('truncated', `${name} got shorter while it was read`)
      last = buf.subarray(0, n)
      hasher.update(last)
      pos += n
    }
    const checksum = hasher.digest('hex')

    const readAt = (offset: number, length: number): Uint8Array => {
      const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)))
      const n = readSync(fd, out, 0, out.length, offset)
      return out.subarray(0, n)
    }
    await checkCompleteness(
      sniffed.format,
      header.jpegScanOffset,
      size,
      whole ? head : null,
      last,
      readAt,
      name,
    )

    let width = header.width
    let height = header.height
    let videoCreatedMs: number | null = null
    if (
      sniffed.format === 'heic' ||
      sniffed.format === 'avif' ||
      sniffed.format === 'mp4' ||
      sniffed.format === 'mov' ||
      sniffed.rawFormat === 'cr3'
    ) {
      const boxes = await checkBoxes(async (o, l) => readAt(o, l), size, sniffed.format)
      if (
        boxes.meta &&
        boxes.meta.size <= MAX_BOX_READ &&
        (sniffed.format === 'heic' || sniffed.format === 'avif')
      ) {
        const dims = heifDimensions(readAt(boxes.meta.offset, boxes.meta.size))
        if (dims) ({ width, height } = dims)
      }
      if (boxes.moov && boxes.moov.size <= MAX_BOX_READ) {
        const facts = movieFacts(readAt(boxes.moov.offset, boxes.moov.size))
        width = facts.width ?? width
        height = facts.height ?? height
        videoCreatedMs = facts.createdMs
      }
    }
    width ??= exif?.width ?? null
    height ??= exif?.height ?? null
    checkDimensions(width, height, sniffed.format.toUpperCase())

    const mtimeMs = Math.trunc(stats.mtimeMs)
    const evidence: DateEvidence = {
      exifOriginal: exif?.dateTimeOriginal,
      exifOriginalOffset: exif?.offsetTimeOriginal,
      exifCreate: exif?.createDate,
      exifCreateOffset: exif?.offsetTimeDigitized,
      exifModify: exif?.modifyDate ?? (videoCreatedMs !== null ? isoLocal(videoCreatedMs) : null),
      exifModifyOffset: exif?.modifyDate
        ? exif.offsetTime
        : videoCreatedMs !== null
          ? offsetAt(videoCreatedMs)
          : null,
      gpsDateStamp: exif?.gpsDateStamp,
      gpsTimeStamp: exif?.gpsTimeStamp,
      xmp: xmpDates,
      fileName: name,
      folder: path.dirname(file),
      mtimeMs,
    }
    const date = resolveDate(evidence, input.nowMs)
    const gps = validateGps(exif?.gpsLat, exif?.gpsLon, exif?.gpsAlt)
    return {
      kind: 'photo',
      file: {
        path: file,
        name,
        folder: path.dirname(file),
        size,
        mtimeMs,
        checksum,
        format: sniffed.format,
        mediaKind: sniffed.kind,
        rawFormat: sniffed.rawFormat,
        width,
        height,
        orientation: exif?.orientation ?? null,
        takenAt: date?.takenAt ?? null,
        dateSource: date?.source ?? null,
        dateConfidence: date?.confidence ?? null,
        dateSuspicious: date?.suspicious ?? null,
        tzOffset: date?.tzOffset ?? null,
        make: exif?.make ?? null,
        model: exif?.model ?? null,
        lens: exif?.lens ?? null,
        iso: exif?.iso ?? null,
        exposureTime: exif?.exposureTime ?? null,
        fNumber: exif?.fNumber ?? null,
        focalLength: exif?.focalLength ?? null,
        gpsLat: gps.lat,
        gpsLon: gps.lon,
        gpsAlt: gps.alt,
        gpsSuspicious: gps.suspicious,
        geohash: gps.geohash,
        warnings,
      },
    }
  } finally {
    closeSync(fd)
  }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** A UTC instant as local wall-clock 'YYYY-MM-DD HH:MM:SS' (the process's zone). */
function isoLocal(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

function offsetAt(ms: number): string {
  const minutes = -new Date(ms).getTimezoneOffset()
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/**
 * JPEG must end with EOI and PNG with IEND. The tail is checked first (cheap); only when it does
 * not end cleanly is the file searched, because complete images can carry appended data.
 */
async function checkCompleteness(
  format: MediaFormat,
  scanOffset: number | null,
  size: number,
  whole: Uint8Array | null,
  lastChunk: Uint8Array,
  readAt: (offset: number, length: number) => Uint8Array,
  name: string,
): Promise<void> {
  if (format !== 'jpeg' && format !== 'png') return
  // The last chunk read is the file's tail (a marker split across chunks falls to the search).
  if (tailLooksComplete(format, lastChunk.subarray(Math.max(0, lastChunk.length - TAIL)))) return
  const from = format === 'jpeg' ? (scanOffset ?? 0) : 8
  if (searchFile(format, whole, readAt, size, from)) return
  throw new ItemError(
    'truncated',
    format === 'jpeg'
      ? `${name}: JPEG data ends without an end-of-image marker (file cut short)`
      : `${name}: PNG has no IEND chunk (file cut short)`,
  )
}

function searchFile(
  format: 'jpeg' | 'png',
  whole: Uint8Array | null,
  readAt: (offset: number, length: number) => Uint8Array,
  size: number,
  from: number,
): boolean {
  const find = (b: Uint8Array, start: number) =>
    format === 'jpeg' ? lastEoi(b, start) >= 0 : indexOfAscii(b, 'IEND', start) >= 0
  if (whole) return find(whole, from)
  // Overlapping windows so a marker split across two reads is still found.
  for (let pos = from; pos < size; pos += CHUNK - 4) {
    if (find(readAt(pos, CHUNK), 0)) return true
  }
  return false
}
