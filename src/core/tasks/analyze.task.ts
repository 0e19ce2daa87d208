import path from 'node:path'
import sharp from 'sharp'
import {
  HASH_ALGO_VERSION,
  HASH_INPUT_SIZE,
  greyFromRgb,
  hashToHex,
  hashesWithStats,
} from '../analysis/hashes'
import {
  QUALITY_VERSION,
  resizeForAnalysis,
  scoreQuality,
  type FileFacts,
  type QualityResult,
} from '../analysis/quality'
import { DECODE_SIZE, configureSharpForWorker, decodeOnce } from '../media/decode'
import { thumbnailRelativePath, writeFileAtomic } from '../media/thumbnail-files'
import type { MediaFormat } from '../../shared/photos'

/**
 * One photo to analyse: what the worker needs, nothing it must look up. The file facts of the
 * quality score come from the catalog; width and height null = use the decoded size.
 */
export interface AnalyzeTaskInput extends FileFacts {
  readonly photoId: number
  readonly path: string
  readonly format: MediaFormat | null
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
  readonly format: 'jpeg'
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

/**
 * Both sizes are JPEG (libjpeg-turbo): measured per 12 MP photo on this machine, WebP costs ~13 ms
 * at 256 px vs ~8 ms for JPEG, and ~95 ms at 1024 px vs ~13 ms — WebP would cost the job a third
 * of its throughput for files ~15–35% smaller. Every browser and Electron decode JPEG natively.
 */
const GRID = { size: 256, format: 'jpeg', ext: 'jpg', quality: 80 } as const
const PREVIEW = { size: DECODE_SIZE, format: 'jpeg', ext: 'jpg', quality: 82 } as const

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
      .jpeg({ quality: GRID.quality })
      .toBuffer({ resolveWithObject: true })
      .then((r) => ({ spec: GRID, ...r })),
    sharp(decoded.data, raw)
      .jpeg({ quality: PREVIEW.quality })
      .toBuffer({ resolveWithObject: true })
      .then((r) => ({ spec: PREVIEW, ...r })),
  ]

  // Quality is measured on the 512 px greyscale (its fixed analysis size); the hashes on a 256 px
  // box reduction of it: their Lanczos kernels then cost ~4x less and they agree with imagehash
  // just as well (tests/unit/hashes.test.ts prints the figures).
  const grey = resizeForAnalysis(greyFromRgb(decoded.data, decoded.width, decoded.height, 3))
  const hashed = hashesWithStats(resizeForAnalysis(grey, HASH_INPUT_SIZE))
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
