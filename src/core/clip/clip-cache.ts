import type { Database } from 'better-sqlite3'
import type { Taxonomy } from '../../shared/contract/search'
import { ClipModelRepository } from '../catalog/repositories/clip-model.repository'
import { EmbeddingRepository } from '../catalog/repositories/embedding.repository'
import type { ClipModel } from './model-manager'
import { promptsOf, taxonomyKey, type TagPrompt } from './tags'
import { ClipTextEncoder } from './text-encoder'
import { rowIndex, type VectorMatrix } from './vector-search'

/**
 * What the host process keeps in memory for CLIP, all loaded lazily: the text encoder of the
 * active model, the prompt vectors of the taxonomy, and the active model's vectors as one matrix.
 */

let text: { modelId: string; encoder: Promise<ClipTextEncoder> } | null = null

/** The text encoder of `model`, loaded once per process; switching models releases the old one. */
export function textEncoderFor(model: ClipModel): Promise<ClipTextEncoder> {
  if (text?.modelId !== model.modelId) {
    const previous = text?.encoder
    const modelId = model.modelId
    // One intra-op thread: queries are short, and the host process must stay responsive.
    text = { modelId, encoder: ClipTextEncoder.load(model, 1) }
    text.encoder.catch(() => {
      if (text?.modelId === modelId) text = null
    })
    void previous?.then((e) => e.release()).catch(() => undefined)
  }
  return text.encoder
}

export interface PromptVectors {
  readonly prompts: readonly TagPrompt[]
  readonly matrix: VectorMatrix
}

const promptCache = new Map<string, Promise<PromptVectors>>()

/** The taxonomy's prompts encoded by `model` (cached per model and taxonomy). */
export function promptVectorsFor(model: ClipModel, taxonomy: Taxonomy): Promise<PromptVectors> {
  const key = `${model.modelId}\0${taxonomyKey(taxonomy)}`
  let cached = promptCache.get(key)
  if (!cached) {
    cached = (async () => {
      const prompts = promptsOf(taxonomy)
      const vectors = await (await textEncoderFor(model)).encode(prompts.map((p) => p.prompt))
      const data = new Float32Array(prompts.length * model.dim)
      vectors.forEach((v, i) => data.set(v, i * model.dim))
      return { prompts, matrix: { dim: model.dim, count: prompts.length, data, ids: Int32Array.from(prompts.keys()) } }
    })()
    cached.catch(() => promptCache.delete(key))
    // A handful of taxonomies at most; keep the newest few.
    if (promptCache.size >= 8) promptCache.delete(promptCache.keys().next().value as string)
    promptCache.set(key, cached)
  }
  return cached
}

/** The active model's vectors in memory, with what is needed to search them. */
export interface VectorIndex {
  readonly modelId: string
  /** clip_models.vectors_version when loaded: any vector write since makes it differ. */
  readonly version: number
  readonly matrix: VectorMatrix
  readonly rowOf: ReadonlyMap<number, number>
  /** Reused score buffer (one float per vector). */
  readonly scratch: Float32Array
}

const indexes = new WeakMap<Database, VectorIndex>()

/**
 * The model's vectors as one contiguous matrix, reloaded only when they changed (the version
 * is bumped by triggers on every write, from any process: a `vam run clip` in a terminal
 * invalidates the app's copy too). Loaded inside one read transaction for a consistent snapshot.
 */
export function vectorIndexFor(db: Database, model: ClipModel): VectorIndex {
  const models = new ClipModelRepository(db)
  const current = indexes.get(db)
  if (current && current.modelId === model.modelId && current.version === models.vectorsVersion(model.modelId)) {
    return current
  }
  const index = db.transaction((): VectorIndex => {
    const embeddings = new EmbeddingRepository(db)
    const version = models.vectorsVersion(model.modelId)
    const count = embeddings.countForModel(model.modelId)
    const dim = model.dim
    const data = new Float32Array(count * dim)
    // Byte view of the matrix: each BLOB is copied straight into its row, no per-row allocation.
    const bytes = new Uint8Array(data.buffer)
    const ids = new Int32Array(count)
    let r = 0
    for (const row of embeddings.iterate(model.modelId)) {
      if (row.vector.byteLength !== dim * 4 || r >= count) continue
      bytes.set(row.vector, r * dim * 4)
      ids[r++] = row.photo_id
    }
    const matrix: VectorMatrix = { dim, count: r, data: data.subarray(0, r * dim), ids: ids.subarray(0, r) }
    return { modelId: model.modelId, version, matrix, rowOf: rowIndex(matrix), scratch: new Float32Array(r) }
  })()
  indexes.set(db, index)
  return index
}

/** Drops the cached matrix of this catalog (after bulk changes made in this process). */
export function forgetVectorIndex(db: Database): void {
  indexes.delete(db)
}
