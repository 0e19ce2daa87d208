import { execFile } from 'node:child_process'
import { accessSync, constants, promises as fsp } from 'node:fs'
import path from 'node:path'
import sharp, { type Sharp, type SharpOptions } from 'sharp'
import type { MediaFormat } from '../../shared/photos'
import { ItemError } from '../tasks/task-error'
import { readRawPreview } from './raw-preview'
import { SNIFF_BYTES, extensionOf, sniffFormat } from './sniff'

/**
 * Decode once: every analysis output (thumbnails, hashes, quality) is derived from ONE decode of
 * the original to an RGB buffer of at most DECODE_SIZE px on the long side, EXIF orientation
 * applied. sharp/libvips does the heavy lifting with shrink-on-load: for a JPEG, libjpeg decodes
 * straight at 1/2, 1/4 or 1/8 scale (the largest reduction that still leaves ≥ DECODE_SIZE px), so
 * a 12 MP photo is never expanded to full size in memory.
 */

/** Long side of the one decoded buffer; the 1024 px preview is this buffer, encoded. */
export const DECODE_SIZE = 1024

/**
 * Inputs larger than this are refused as `too_large` before any pixel is decoded (libvips reads
 * the dimensions from the header). 120 MP covers the largest camera JPEGs (GFX100 ≈ 102 MP) while
 * keeping the worst case (a progressive JPEG or interlaced PNG, which must be buffered whole)
 * below the ~300 MB a worker may use. A decompression bomb is refused, never an OOM.
 */
export const MAX_INPUT_PIXELS = 120_000_000

/** What the analysis derives everything from. */
export interface DecodedImage {
  /** Packed 8-bit RGB, `width * height * 3` bytes, orientation applied. */
  readonly data: Buffer
  readonly width: number
  readonly height: number
  /** How the pixels were obtained. */
  readonly via: 'sharp' | 'raw-preview' | 'heic' | 'video'
}

export interface DecodeRequest {
  readonly path: string
  /** The catalog's format; null means sniff the file. */
  readonly format: MediaFormat | null
  /** ffmpeg executable; undefined = look it up on PATH (or $VAM_FFMPEG); null = none. */
  readonly ffmpegPath?: string | null
}

let sharpConfigured = false

/**
 * sharp settings for a worker process, set once and explicitly:
 * - concurrency 1: each worker is its own process and the pool already runs one per core; more
 *   libvips threads per worker only contend for the same cores. Measured with
 *   bench/analyze.bench.ts on 2 cores, 2 workers, 300 12 MP JPEGs: 1 thread 15.8 images/s,
 *   2 threads 16.8 (within the run-to-run noise of a shared machine), the same 68 ms of CPU per
 *   image either way — so 1 thread, with fewer stacks and buffers per worker.
 * - cache off: libvips' operation cache keeps recent decodes for re-use, but we never decode the
 *   same file twice, so it would only hold memory.
 */
export function configureSharpForWorker(
  threads = Number(process.env.VAM_SHARP_THREADS) || 1,
): void {
  if (sharpConfigured) return
  sharpConfigured = true
  // VAM_SHARP_THREADS: a tuning knob for benchmarks on other machines, not a user setting.
  sharp.concurrency(threads)
  sharp.cache(false)
}

async function sniffFile(file: string): Promise<MediaFormat | null> {
  const handle = await fsp.open(file, 'r')
  try {
    const head = Buffer.alloc(SNIFF_BYTES)
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0)
    return sniffFormat(head.subarray(0, bytesRead), extensionOf(file))?.format ?? null
  } finally {
    await handle.close()
  }
}

/** Maps libvips/sharp failures onto item error codes. */
export function decodeError(error: unknown): ItemError {
  if (error instanceof ItemError) return error
  const message = error instanceof Error ? error.message : String(error)
  if (/pixel limit/i.test(message))
    return new ItemError('too_large', `image too large to decode safely: ${message}`)
  if (
    /unsupported image format|no decoder|not a known file format|compression format has not been built in/i.test(
      message,
    )
  ) {
    return new ItemError('unsupported', message)
  }
  if (/ENOENT|no such file|input file is missing/i.test(message))
    return new ItemError('vanished', message)
  if (/EACCES|EPERM|EISDIR|permission/i.test(message)) return new ItemError('unreadable', message)
  return new ItemError('corrupt', message)
}

/**
 * Explicit EXIF-orientation transform, for pixels whose orientation is known from elsewhere (a RAW
 * file's IFD0 while its preview JPEG has none). sharp applies flip/flop before rotation whatever
 * the call order, so the transposing orientations are flop + rotate.
 */
export function applyOrientation(pipeline: Sharp, orientation: number): Sharp {
  switch (orientation) {
    case 2:
      return pipeline.flop()
    case 3:
      return pipeline.rotate(180)
    case 4:
      return pipeline.flip()
    case 5:
      return pipeline.rotate(270).flop()
    case 6:
      return pipeline.rotate(90)
    case 7:
      return pipeline.rotate(90).flop()
    case 8:
      return pipeline.rotate(270)
    default:
      return pipeline
  }
}

const SHARP_INPUT: SharpOptions = {
  limitInputPixels: MAX_INPUT_PIXELS,
  // Top-to-bottom reading lets libvips stream the decode through the shrink instead of holding
  // the whole image: lower peak memory per worker.
  sequentialRead: true,
  // Tolerate libjpeg warnings (a few bad bytes in an otherwise fine photo) but not errors.
  failOn: 'error',
}

/** The common tail: orientation, shrink to DECODE_SIZE, 8-bit sRGB, no alpha, raw pixels. */
async function toRgb(pipeline: Sharp, via: DecodedImage['via']): Promise<DecodedImage> {
  const { data, info } = await pipeline
    .resize(DECODE_SIZE, DECODE_SIZE, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
  if (info.channels !== 3)
    throw new ItemError('unsupported', `unexpected ${info.channels}-channel decode`)
  return { data, width: info.width, height: info.height, via }
}

async function decodeHeic(file: string): Promise<DecodedImage> {
  // sharp's prebuilt libheif has no HEVC decoder (patents); libheif compiled to WASM does.
  const { default: decode } = await import('heic-decode')
  const buffer = await fsp.readFile(file)
  let images: Awaited<ReturnType<typeof decode.all>>
  try {
    images = await decode.all({ buffer })
  } catch (error) {
    throw new ItemError(
      'corrupt',
      `HEIC: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  let image: { width: number; height: number; data: Uint8ClampedArray }
  try {
    // heic-decode's typings omit the width/height it puts on each image before decoding.
    const primary = images[0] as
      ((typeof images)[number] & { width: number; height: number }) | undefined
    if (!primary) throw new ItemError('corrupt', 'HEIC file has no image')
    if (primary.width * primary.height > MAX_INPUT_PIXELS) {
      throw new ItemError('too_large', `HEIC image ${primary.width}x${primary.height} is too large`)
    }
    image = await primary.decode()
  } finally {
    // The WASM heap is not garbage-collected: free libheif's images explicitly.
    ;(images as unknown as { dispose?: () => void }).dispose?.()
  }
  // libheif has already applied the HEIF rotation/mirror properties (irot/imir).
  const rgba = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength)
  return toRgb(
    sharp(rgba, { raw: { width: image.width, height: image.height, channels: 4 } }),
    'heic',
  )
}

let ffmpegLookup: string | null | undefined

/** ffmpeg from $VAM_FFMPEG or PATH, or null. */
export function findFfmpeg(env = process.env): string | null {
  if (ffmpegLookup !== undefined && env === process.env) return ffmpegLookup
  const candidates = env.VAM_FFMPEG
    ? [env.VAM_FFMPEG]
    : (env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg'))
  let found: string | null = null
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK)
      found = candidate
      break
    } catch {
      // not here
    }
  }
  if (env === process.env) ffmpegLookup = found
  return found
}

function runFfmpeg(ffmpeg: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      ffmpeg,
      args,
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new ItemError(
              'corrupt',
              `ffmpeg: ${stderr.toString().trim().split('\n').at(-1) ?? error.message}`,
            ),
          )
        else resolve(stdout)
      },
    )
  })
}

async function decodeVideo(
  file: string,
  ffmpegPath: string | null | undefined,
): Promise<DecodedImage> {
  const ffmpeg = ffmpegPath === undefined ? findFfmpeg() : ffmpegPath
  if (!ffmpeg) {
    throw new ItemError(
      'needs_ffmpeg',
      'a video frame needs ffmpeg: install it (e.g. apt-get install ffmpeg) and run analyze again',
    )
  }
  // One frame a second in (past fades from black), scaled by ffmpeg so only a small PNG crosses
  // the pipe; ffmpeg applies the rotation metadata itself. Very short clips: the first frame.
  const frameArgs = (seek: string[]) => [
    '-nostdin',
    '-v',
    'error',
    ...seek,
    '-i',
    file,
    '-frames:v',
    '1',
    '-vf',
    `scale='min(${DECODE_SIZE},iw)':-2`,
    '-f',
    'image2pipe',
    '-c:v',
    'png',
    '-',
  ]
  let png = await runFfmpeg(ffmpeg, frameArgs(['-ss', '1']))
  if (png.length === 0) png = await runFfmpeg(ffmpeg, frameArgs([]))
  if (png.length === 0) throw new ItemError('corrupt', 'ffmpeg found no video frame')
  return toRgb(sharp(png, SHARP_INPUT), 'video')
}

/** Decodes one photo (or a video's frame) once, to ≤ DECODE_SIZE px RGB, oriented. */
export async function decodeOnce(request: DecodeRequest): Promise<DecodedImage> {
  try {
    await fsp.access(request.path, constants.R_OK)
    const format = request.format ?? (await sniffFile(request.path))
    switch (format) {
      case 'raw': {
        const { jpeg, orientation } = readRawPreview(request.path)
        return await toRgb(applyOrientation(sharp(jpeg, SHARP_INPUT), orientation), 'raw-preview')
      }
      case 'heic':
        return await decodeHeic(request.path)
      case 'mp4':
      case 'mov':
        return await decodeVideo(request.path, request.ffmpegPath)
      default:
        // `.rotate()` with no angle applies the EXIF orientation.
        return await toRgb(sharp(request.path, SHARP_INPUT).rotate(), 'sharp')
    }
  } catch (error) {
    throw decodeError(error)
  }
}
