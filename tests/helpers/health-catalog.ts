import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { geohashOf } from '../../src/core/analysis/gps'
import { HASH_ALGO_VERSION } from '../../src/core/analysis/hashes'
import { QUALITY_VERSION, type QualityResult } from '../../src/core/analysis/quality'
import { HashRepository } from '../../src/core/catalog/repositories/hash.repository'
import { QualityRepository } from '../../src/core/catalog/repositories/quality.repository'
import {
  THUMBNAIL_SIZES,
  THUMBNAIL_VERSION,
  ThumbnailRepository,
} from '../../src/core/catalog/repositories/thumbnail.repository'
import type { Catalog } from '../../src/core/catalog/open-catalog'
import {
  PhotoImportRepository,
  type PhotoImportRow,
} from '../../src/core/catalog/repositories/photo-import.repository'

/** A photos row as the import writes it, with overrides. */
export function photoRow(file: string, over: Partial<PhotoImportRow> = {}): PhotoImportRow {
  return {
    path: file,
    name: path.basename(file),
    folder: path.dirname(file),
    size: 1000,
    mtimeMs: 1_700_000_000_000,
    checksum: `sum-${file}`,
    format: 'jpeg',
    mediaKind: 'image',
    rawFormat: null,
    width: 4000,
    height: 3000,
    orientation: 1,
    takenAt: '2024-05-01T10:00:00',
    dateSource: 'exif-original',
    dateConfidence: 95,
    dateSuspicious: null,
    tzOffset: null,
    make: 'Canon',
    model: 'EOS',
    lens: null,
    iso: 100,
    exposureTime: 0.01,
    fNumber: 4,
    focalLength: 35,
    gpsLat: null,
    gpsLon: null,
    gpsAlt: null,
    gpsSuspicious: null,
    geohash: null,
    ...over,
  }
}

export function withGps(lat: number, lon: number): Partial<PhotoImportRow> {
  return { gpsLat: lat, gpsLon: lon, geohash: geohashOf(lat, lon) }
}

/** Inserts rows through the import's repository; returns their ids in order. */
export function insertPhotos(catalog: Catalog, rows: readonly PhotoImportRow[]): number[] {
  const repo = new PhotoImportRepository(catalog.db)
  catalog.db.transaction(() => {
    for (const row of rows) repo.upsertImported(row, '2026-01-01T00:00:00.000Z')
  })()
  const byPath = catalog.db.prepare('SELECT id FROM photos WHERE path = ?')
  return rows.map((row) => (byPath.get(row.path) as { id: number }).id)
}

export interface AnalyzedOptions {
  /** Write the thumbnail rows (default true) and their files (default: every size). */
  readonly thumbnails?: boolean
  /** Sizes whose file is written to the cache (default all). */
  readonly thumbnailFiles?: readonly number[]
  readonly hashes?: boolean
  readonly hashVersion?: number
  readonly quality?: boolean
  readonly qualityVersion?: number
  /** The mtime the rows were computed from (default: the photo's own). */
  readonly sourceMtimeMs?: number
}

/**
 * Writes what the analyze job would have written for a photo, through the analysis repositories,
 * with thumbnail files in the catalog's cache dir (tests of coverage without decoding images).
 */
export function analyzed(catalog: Catalog, photoId: number, options: AnalyzedOptions = {}): void {
  const photo = catalog.db.prepare('SELECT mtime_ms FROM photos WHERE id = ?').get(photoId) as {
    mtime_ms: number
  }
  const source = options.sourceMtimeMs ?? photo.mtime_ms
  const at = '2026-01-02T00:00:00.000Z'
  if (options.thumbnails !== false) {
    const thumbs = new ThumbnailRepository(catalog.db)
    for (const size of THUMBNAIL_SIZES) {
      const rel = path.join(String(photoId % 7), `${photoId}-${size}.webp`)
      if ((options.thumbnailFiles ?? THUMBNAIL_SIZES).includes(size)) {
        mkdirSync(path.join(catalog.paths.cacheDir, path.dirname(rel)), { recursive: true })
        writeFileSync(path.join(catalog.paths.cacheDir, rel), 'thumb')
      }
      thumbs.upsert(
        {
          photoId,
          size,
          path: rel,
          bytes: 5,
          width: size,
          height: size,
          format: 'webp',
          sourceMtimeMs: source,
        },
        THUMBNAIL_VERSION,
        at,
      )
    }
  }
  if (options.hashes !== false) {
    new HashRepository(catalog.db).upsert(
      {
        photoId,
        ahash: BigInt(photoId),
        dhash: BigInt(photoId) << 8n,
        phash: 1n,
        whash: 2n,
        algoVersion: options.hashVersion ?? HASH_ALGO_VERSION,
        lowInformation: false,
        greyMean: 128,
        greyStddev: 40,
        sourceMtimeMs: source,
      },
      at,
    )
  }
  if (options.quality !== false) {
    const quality = {
      version: options.qualityVersion ?? QUALITY_VERSION,
      score: 70,
      metrics: {
        sharpness: 500,
        clippedHigh: 0,
        clippedLow: 0,
        meanLuminance: 120,
        wellExposed: 0.8,
        noise: 2,
      },
      exposure: 0.9,
      megapixels: 12,
      parts: {},
      explanation: 'test',
    } as unknown as QualityResult
    new QualityRepository(catalog.db).upsert(photoId, quality, source, at)
  }
}
