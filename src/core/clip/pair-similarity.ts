import type { Database } from 'better-sqlite3'
import { ClipModelRepository } from '../catalog/repositories/clip-model.repository'
import { EmbeddingRepository } from '../catalog/repositories/embedding.repository'

/**
 * CLIP cosine similarity of photo pairs under the active model, as *evidence* for duplicate
 * review ("these also look alike: 0.97"). Never a reason to group on its own: CLIP puts two
 * different photos of the same beach close together. Null for a pair when there is no active
 * model or either photo has no vector yet.
 */
export function clipPairSimilarities(
  db: Database,
  pairs: readonly (readonly [number, number])[],
): (number | null)[] {
  const active = new ClipModelRepository(db).active()
  if (!active) return pairs.map(() => null)
  const embeddings = new EmbeddingRepository(db)
  const cache = new Map<number, Float32Array | null>()
  const vectorOf = (id: number) => {
    if (!cache.has(id)) cache.set(id, embeddings.get(id, active.model_id))
    return cache.get(id) ?? null
  }
  return pairs.map(([a, b]) => {
    const va = vectorOf(a)
    const vb = vectorOf(b)
    if (!va || !vb || va.length !== vb.length) return null
    let dot = 0
    for (let i = 0; i < va.length; i++) dot += (va[i] as number) * (vb[i] as number)
    return dot
  })
}
