import type { Database } from 'better-sqlite3'
import type { PhotoFilter } from '../../../shared/contract/photos'
import { filterClause } from './photo.repository'

/** Float32 vector → the BLOB stored (little-endian, as typed arrays are on every platform we ship). */
export function vectorToBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)
}

/** BLOB → Float32Array (copied: SQLite's buffer may not be 4-byte aligned). */
export function blobToVector(blob: Buffer): Float32Array {
  const out = new Float32Array(blob.byteLength / 4)
  new Uint8Array(out.buffer).set(blob)
  return out
}

/** A photo the clip job still has to embed. */
export interface PendingPhoto {
  readonly id: number
  readonly path: string
  readonly format: string | null
}

/** CLIP image vectors, one per (photo, model). */
export class EmbeddingRepository {
  constructor(private readonly db: Database) {}

  /** Writes vectors (replacing a photo's earlier vector of the same model). Call inside a batch transaction. */
  upsertMany(
    modelId: string,
    rows: readonly { photoId: number; vector: Float32Array }[],
    at = new Date().toISOString(),
  ): void {
    const stmt = this.db.prepare(
      `INSERT INTO embeddings (photo_id, model_id, vector, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(photo_id, model_id) DO UPDATE SET vector = excluded.vector, created_at = excluded.created_at`,
    )
    for (const row of rows) stmt.run(row.photoId, modelId, vectorToBlob(row.vector), at)
  }

  get(photoId: number, modelId: string): Float32Array | null {
    const row = this.db
      .prepare('SELECT vector FROM embeddings WHERE photo_id = ? AND model_id = ?')
      .get(photoId, modelId) as { vector: Buffer } | undefined
    return row ? blobToVector(row.vector) : null
  }

  countForModel(modelId: string): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM embeddings WHERE model_id = ?').get(modelId) as {
        n: number
      }
    ).n
  }

  /** Vectors of every other model (kept, never searched with this one). */
  countStale(activeModelId: string): number {
    return (
      this.db
        .prepare('SELECT COUNT(*) AS n FROM embeddings WHERE model_id <> ?')
        .get(activeModelId) as { n: number }
    ).n
  }

  /** Every vector of a model in photo-id order, streamed (100k × 2 KB never sits in one array of Buffers). */
  *iterate(modelId: string): IterableIterator<{ photo_id: number; vector: Buffer }> {
    yield* this.db
      .prepare('SELECT photo_id, vector FROM embeddings WHERE model_id = ? ORDER BY photo_id')
      .iterate(modelId) as IterableIterator<{ photo_id: number; vector: Buffer }>
  }

  /** Ids of the photos a grid filter shows (search's allowed set, before mapping to vectors). */
  photoIdsMatching(filter: PhotoFilter): number[] {
    const { sql, params } = filterClause(filter)
    // No join with embeddings: the caller maps ids to matrix rows and drops those without a
    // vector anyway, and the join made this 3–4× slower (100k photos, 10% matching).
    return this.db.prepare(`SELECT p.id FROM photos p ${sql}`).pluck().all(params) as number[]
  }

  /** Vectors of a model written (inserted or replaced) at or after `since` (ISO time). */
  *changedSince(
    modelId: string,
    since: string,
  ): IterableIterator<{ photo_id: number; vector: Buffer }> {
    yield* this.db
      .prepare('SELECT photo_id, vector FROM embeddings WHERE model_id = ? AND created_at >= ?')
      .iterate(modelId, since) as IterableIterator<{ photo_id: number; vector: Buffer }>
  }

  /**
   * Photos after `afterId` (id order) that have no vector of the model; with `all`, every photo
   * (`--force`). Missing files are left out: there is nothing to decode.
   */
  pending(modelId: string, afterId: number, limit: number, all = false): PendingPhoto[] {
    const lacking = all
      ? ''
      : 'AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.photo_id = p.id AND e.model_id = @modelId)'
    return this.db
      .prepare(
        `SELECT p.id, p.path, p.format FROM photos p
         WHERE p.id > @afterId AND p.missing_since IS NULL ${lacking}
         ORDER BY p.id LIMIT @limit`,
      )
      .all({ modelId, afterId, limit }) as PendingPhoto[]
  }

  /** How many photos `pending` will go through, and how many already have a vector. */
  coverage(modelId: string): { eligible: number; embedded: number } {
    return this.db
      .prepare(
        `SELECT COUNT(*) AS eligible,
           COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM embeddings e WHERE e.photo_id = p.id AND e.model_id = ?)) AS embedded
         FROM photos p WHERE p.missing_since IS NULL`,
      )
      .get(modelId) as { eligible: number; embedded: number }
  }
}
