import { existsSync } from 'node:fs'
import path from 'node:path'
import { HASH_ALGO_VERSION } from '../analysis/hashes'
import { QUALITY_VERSION } from '../analysis/quality'
import { HashRepository } from '../catalog/repositories/hash.repository'
import { QualityRepository, type QualityMetrics } from '../catalog/repositories/quality.repository'
import {
  THUMBNAIL_VERSION,
  ThumbnailRepository,
} from '../catalog/repositories/thumbnail.repository'
import type { Engine } from '../engine'

/** The info panel's / `vam show`'s hashes section: 16-hex imagehash values. */
export interface HashesDetail {
  readonly ahash: string
  readonly dhash: string
  readonly phash: string
  readonly whash: string
  readonly algoVersion: number
  /** Computed by the current algorithm version. */
  readonly current: boolean
  /** Near-uniform image: duplicate detection asks for stricter evidence. */
  readonly lowInformation: boolean
  readonly greyMean: number
  readonly greyStddev: number
  readonly computedAt: string
}

/** The quality section: the 0–100 score, its parts and the sentence explaining it. */
export interface QualityDetail {
  readonly score: number
  readonly explanation: string
  readonly parts: Readonly<Record<string, { value: number; weight: number; points: number }>>
  readonly metrics: QualityMetrics
  readonly version: number
  readonly current: boolean
  readonly computedAt: string
}

export interface ThumbnailDetail {
  readonly size: number
  readonly path: string
  readonly bytes: number
  readonly width: number
  readonly height: number
  readonly format: string
  readonly version: number
  /** Current version and the file is on disk. */
  readonly current: boolean
}

export function hashesDetailSection(engine: Engine, photoId: number): HashesDetail | null {
  const h = new HashRepository(engine.catalog.db).forPhoto(photoId)
  if (!h) return null
  return {
    ...h.hex,
    algoVersion: h.algoVersion,
    current: h.algoVersion === HASH_ALGO_VERSION,
    lowInformation: h.lowInformation,
    greyMean: h.greyMean,
    greyStddev: h.greyStddev,
    computedAt: h.computedAt,
  }
}

export function qualityDetailSection(engine: Engine, photoId: number): QualityDetail | null {
  const q = new QualityRepository(engine.catalog.db).forPhoto(photoId)
  if (!q) return null
  return {
    score: q.score,
    explanation: q.explanation,
    parts: q.parts,
    metrics: q.metrics,
    version: q.version,
    current: q.version === QUALITY_VERSION,
    computedAt: q.computedAt,
  }
}

export function thumbnailsDetailSection(engine: Engine, photoId: number): ThumbnailDetail[] {
  const { cacheDir } = engine.catalog.paths
  return new ThumbnailRepository(engine.catalog.db).forPhoto(photoId).map((t) => {
    const file = path.join(cacheDir, t.path)
    return {
      size: t.size,
      path: file,
      bytes: t.bytes,
      width: t.width,
      height: t.height,
      format: t.format,
      version: t.version,
      current: t.version === THUMBNAIL_VERSION && existsSync(file),
    }
  })
}
