import type { Database } from 'better-sqlite3'
import { hashToHex, hashToSigned, signedToHash } from '../../analysis/hashes'

export interface NewHashes {
  readonly photoId: number
  readonly ahash: bigint
  readonly dhash: bigint
  readonly phash: bigint
  readonly whash: bigint
  readonly algoVersion: number
  readonly lowInformation: boolean
  readonly greyMean: number
  readonly greyStddev: number
  readonly sourceMtimeMs: number | null
}

/** A photo's hashes as unsigned 64-bit BigInts plus their hex form. */
export interface StoredHashes {
  readonly photoId: number
  readonly ahash: bigint
  readonly dhash: bigint
  readonly phash: bigint
  readonly whash: bigint
  readonly hex: {
    readonly ahash: string
    readonly dhash: string
    readonly phash: string
    readonly whash: string
  }
  readonly algoVersion: number
  readonly lowInformation: boolean
  readonly greyMean: number
  readonly greyStddev: number
  readonly computedAt: string
}

interface HashRow {
  photo_id: bigint
  ahash: bigint
  dhash: bigint
  phash: bigint
  whash: bigint
  algo_version: bigint
  low_information: bigint
  grey_mean: number
  grey_stddev: number
  computed_at: string
}

function toStored(r: HashRow): StoredHashes {
  const ahash = signedToHash(r.ahash)
  const dhash = signedToHash(r.dhash)
  const phash = signedToHash(r.phash)
  const whash = signedToHash(r.whash)
  return {
    photoId: Number(r.photo_id),
    ahash,
    dhash,
    phash,
    whash,
    hex: {
      ahash: hashToHex(ahash),
      dhash: hashToHex(dhash),
      phash: hashToHex(phash),
      whash: hashToHex(whash),
    },
    algoVersion: Number(r.algo_version),
    lowInformation: r.low_information === 1n,
    greyMean: r.grey_mean,
    greyStddev: r.grey_stddev,
    computedAt: r.computed_at,
  }
}

/** The hashes table: 64-bit values stored as signed INTEGERs (SQLite's only 64-bit type). */
export class HashRepository {
  constructor(private readonly db: Database) {}

  upsert(h: NewHashes, at = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO hashes (photo_id, ahash, dhash, phash, whash, algo_version, low_information,
           grey_mean, grey_stddev, source_mtime_ms, computed_at)
         VALUES (@photoId, @ahash, @dhash, @phash, @whash, @algoVersion, @lowInformation,
           @greyMean, @greyStddev, @sourceMtimeMs, @at)
         ON CONFLICT(photo_id) DO UPDATE SET ahash = excluded.ahash, dhash = excluded.dhash,
           phash = excluded.phash, whash = excluded.whash, algo_version = excluded.algo_version,
           low_information = excluded.low_information, grey_mean = excluded.grey_mean,
           grey_stddev = excluded.grey_stddev, source_mtime_ms = excluded.source_mtime_ms,
           computed_at = excluded.computed_at`,
      )
      .run({
        photoId: h.photoId,
        ahash: hashToSigned(h.ahash),
        dhash: hashToSigned(h.dhash),
        phash: hashToSigned(h.phash),
        whash: hashToSigned(h.whash),
        algoVersion: h.algoVersion,
        lowInformation: h.lowInformation ? 1 : 0,
        greyMean: h.greyMean,
        greyStddev: h.greyStddev,
        sourceMtimeMs: h.sourceMtimeMs,
        at,
      })
  }

  forPhoto(photoId: number): StoredHashes | null {
    const row = this.db
      .prepare('SELECT * FROM hashes WHERE photo_id = ?')
      .safeIntegers(true)
      .get(photoId) as HashRow | undefined
    return row ? toStored(row) : null
  }

  /**
   * Every current hash in id order, streamed (duplicate detection loads them into typed arrays).
   * Do not run other statements on this connection while iterating.
   */
  *iterateCurrent(algoVersion: number): IterableIterator<StoredHashes> {
    const stmt = this.db
      .prepare('SELECT * FROM hashes WHERE algo_version = ? ORDER BY photo_id')
      .safeIntegers(true)
    for (const row of stmt.iterate(algoVersion) as IterableIterator<HashRow>) yield toStored(row)
  }
}
