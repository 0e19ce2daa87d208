import path from 'node:path'
import sharp from 'sharp'
import { HASH_ALGO_VERSION, greyFromRgb, hashToHex, hashesWithStats } from '../analysis/hashes'
import {
  QUALITY_VERSION,
  resizeForAnalysis,
  scoreQuality,
  type QualityResult,
} from '../analysis/quality'
import { DECODE_SIZE, configureSharpForWorker, decodeOnce } from '../media/decode'
import { thumbnailRelativePath, writeFileAtomic } from '../media/thumbnail-files'
import type { MediaFormat } from '../../shared/photos'

/** One photo to analyse: what the worker needs, nothing it must look up. */
export interface AnalyzeTaskInput {
  readonly photoId: number
  readonly path: string
  readonly format: MediaFormat | null
  /** Original dimensions from the catalog (resolution part of the score); null = use decode. */
  readonly width: number | null
  readonly height: number | null
  readonly bytes: number
  readonly hasDate: boolean
  readonly hasGps: boolean
  readonly hasCamera: boolean
  /** Absolute cache dir of the catalog. */
  readonly cacheDir: string
}

export interface AnalyzeThumbnail {
  readonly size: number
  /** Relative to the cache dir. */
  readonly path: string
  readonly bytes: number
  readonly width: number
  readonly height: number
  readonly format: 'webp' | 'jpeg'
}

export interface AnalyzeTaskOutput {
  readonly photoId: number
  readonly thumbnails: readonly AnalyzeThumbnail[]
  /** 16-hex imagehash strings (BigInts stay inside the worker). */
  readonly hashes: {
    readonly ahash: string
    readonly dhash: string
    readonly phash: string
    readonly whash: string
  }
  readonly hashVersion: number
  readonly lowInformation: boolean
  readonly greyMean: number
  readonly greyStddev: number
  readonly quality: QualityResult
  readonly decodedVia: string
  readonly ms: { readonly decode: number; readonly derive: number; readonly total: number }
}

/** Grid thumbnail: small WebP (many are shown at once; ~12 ms to encode at 256 px). */
const GRID = { size: 256, format: 'webp', ext: 'webp' } as const
/**
 * Preview: JPEG. WebP at 1024 px costs ~95 ms per image at the default effort (libwebp), JPEG
 * ~11 ms (libjpeg-turbo) — WebP here alone would halve the job's throughput.
 */
const PREVIEW = { size: DECODE_SIZE, format: 'jpeg', ext: 'jpg' } as const

/**
 * Test-only fault injection: a worker started with VAM_FAULT_EXIT_ON=<text> exits hard on any
 * photo whose path contains <text>, like a native abort would (tests of crash recovery).
 */
const FAULT_EXIT_ON = process.env.VAM_FAULT_EXIT_ON

/**
 * Analyses one photo inside a worker: one decode, then thumbnails (written to the cache, atomic),
 * perceptual hashes and quality, all from the same pixels. The main process only writes rows.
 */
export async function analyzeTask(input: AnalyzeTaskInput): Promise<AnalyzeTaskOutput> {
  configureSharpForWorker()
  if (FAULT_EXIT_ON && input.path.includes(FAULT_EXIT_ON)) process.exit(70)
  const t0 = performance.now()
  const decoded = await decodeOnce({ path: input.path, format: input.format })
  const t1 = performance.now()
  const raw = { raw: { width: decoded.width, height: decoded.height, channels: 3 as const } }

  // Start both encodes first: they run on libuv threads while this thread computes the hashes and
  // quality below, so JavaScript and libvips overlap instead of taking turns.
  const encodes = [
    sharp(decoded.data, raw)
      .resize(GRID.size, GRID.size, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true })
      .then((r) => ({ spec: GRID, ...r })),
    sharp(decoded.data, raw)
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true })
      .then((r) => ({ spec: PREVIEW, ...r })),
  ]

  // Hashes and quality both work on the 512 px greyscale: the hashes' Lanczos kernels cost 4x
  // less than at 1024 px and agree with imagehash just as well (tests/unit/hashes.test.ts).
  const grey = resizeForAnalysis(greyFromRgb(decoded.data, decoded.width, decoded.height, 3))
  const hashed = hashesWithStats(grey)
  const quality = scoreQuality(grey, {
    format: input.format,
    width: input.width ?? decoded.width,
    height: input.height ?? decoded.height,
    bytes: input.bytes,
    hasDate: input.hasDate,
    hasGps: input.hasGps,
    hasCamera: input.hasCamera,
  })

  const thumbnails: AnalyzeThumbnail[] = []
  for (const { spec, data, info } of await Promise.all(encodes)) {
    const rel = thumbnailRelativePath(input.photoId, spec.size, spec.ext)
    await writeFileAtomic(path.join(input.cacheDir, rel), data)
    thumbnails.push({
      size: spec.size,
      path: rel,
      bytes: data.length,
      width: info.width,
      height: info.height,
      format: spec.format,
    })
  }
  const t2 = performance.now()
  return {
    photoId: input.photoId,
    thumbnails,
    hashes: {
      ahash: hashToHex(hashed.hashes.ahash),
      dhash: hashToHex(hashed.hashes.dhash),
      phash: hashToHex(hashed.hashes.phash),
      whash: hashToHex(hashed.hashes.whash),
    },
    hashVersion: HASH_ALGO_VERSION,
    lowInformation: hashed.lowInformation,
    greyMean: hashed.mean,
    greyStddev: hashed.stddev,
    quality: { ...quality, version: QUALITY_VERSION },
    decodedVia: decoded.via,
    ms: { decode: t1 - t0, derive: t2 - t1, total: t2 - t0 },
  }
}
