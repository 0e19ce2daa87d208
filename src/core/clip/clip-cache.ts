import type { Database } from 'better-sqlite3'
import type { Taxonomy } from '../../shared/contract/search'
import { ClipModelRepository } from '../catalog/repositories/clip-model.repository'
import { EmbeddingRepository } from '../catalog/repositories/embedding.repository'
import type { ClipModel } from './model-manager'
import { promptsOf, taxonomyKey, type TagPrompt } from './tags'
import { ClipTextEncoder } from './text-encoder'
import { allocateMatrix, rowIndex, type VectorMatrix } from './vector-search'
import { readSnapshot, writeSnapshot } from './vector-snapshot'

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
      return {
        prompts,
        matrix: {
          dim: model.dim,
          count: prompts.length,
          data,
          ids: Int32Array.from(prompts.keys()),
        },
      }
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

/** The mutable state behind a VectorIndex: room to append the vectors a running job adds. */
interface LoadedIndex extends VectorIndex {
  readonly capacity: number
  readonly ids: Int32Array
  readonly rows: Map<number, number>
  /** When the snapshot was read (ISO), for the incremental refresh. */
  readonly loadedAt: string
}

/**
 * Rows re-read on refresh reach back this far before the last load: a writer's transaction can
 * stamp created_at a little before it commits (checkpoints are ~1 s; the margin is generous).
 */
const REFRESH_MARGIN_MS = 60_000

const indexes = new WeakMap<Database, LoadedIndex>()

function withCount(
  index: LoadedIndex,
  count: number,
  version: number,
  loadedAt: string,
): LoadedIndex {
  const matrix: VectorMatrix = { ...index.matrix, count, ids: index.ids.subarray(0, count) }
  const scratch = index.scratch.length >= count ? index.scratch : new Float32Array(index.capacity)
  return { ...index, version, matrix, scratch, loadedAt }
}

function fullLoad(db: Database, model: ClipModel): LoadedIndex {
  return db.transaction((): LoadedIndex => {
    const embeddings = new EmbeddingRepository(db)
    const loadedAt = new Date().toISOString()
    const version = new ClipModelRepository(db).vectorsVersion(model.modelId)
    const count = embeddings.countForModel(model.modelId)
    const dim = model.dim
    // Headroom so the vectors a running clip job adds are appended, not a reason to reload.
    const capacity = Math.ceil(count * 1.25) + 1024
    const { data, ids } = allocateMatrix(capacity, dim)
    // Byte view of the matrix: each BLOB is copied straight into its row, no per-row allocation.
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    let r = 0
    for (const row of embeddings.iterate(model.modelId)) {
      if (row.vector.byteLength !== dim * 4 || r >= count) continue
      bytes.set(row.vector, r * dim * 4)
      ids[r++] = row.photo_id
    }
    // The same `data` object whatever the count: it keys the SIMD kernel.
    const matrix: VectorMatrix = { dim, count: r, data, ids: ids.subarray(0, r) }
    const rows = rowIndex(matrix)
    return {
      modelId: model.modelId,
      version,
      matrix,
      rowOf: rows,
      rows,
      ids,
      capacity,
      loadedAt,
      scratch: new Float32Array(capacity),
    }
  })()
}

/**
 * Applies the vectors written since the last load (a running clip job adds a batch every
 * second or so): rewrites changed rows in place and appends new ones. Returns null when a full
 * reload is needed instead (rows were deleted, or the headroom is used up).
 */
function refresh(db: Database, index: LoadedIndex): LoadedIndex | null {
  return db.transaction((): LoadedIndex | null => {
    const embeddings = new EmbeddingRepository(db)
    const loadedAt = new Date().toISOString()
    const version = new ClipModelRepository(db).vectorsVersion(index.modelId)
    const since = new Date(Date.parse(index.loadedAt) - REFRESH_MARGIN_MS).toISOString()
    const { dim, data } = index.matrix
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    let count = index.matrix.count
    for (const row of embeddings.changedSince(index.modelId, since)) {
      if (row.vector.byteLength !== dim * 4) continue
      let r = index.rows.get(row.photo_id)
      if (r === undefined) {
        if (count >= index.capacity) return null
        r = count++
        index.rows.set(row.photo_id, r)
        index.ids[r] = row.photo_id
      }
      bytes.set(row.vector, r * dim * 4)
    }
    // Fewer vectors in the catalog than in memory: some were deleted (photos removed).
    if (embeddings.countForModel(index.modelId) !== count) return null
    return withCount(index, count, version, loadedAt)
  })()
}

/** An index from a snapshot file, to be brought up to date by `refresh`. */
function fromSnapshot(file: string, model: ClipModel): LoadedIndex | null {
  const snapshot = readSnapshot(file, model.modelId, model.dim)
  if (!snapshot) return null
  const { header } = snapshot
  const capacity = Math.ceil(header.count * 1.25) + 1024
  const { data, ids } = allocateMatrix(capacity, model.dim)
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(snapshot.vectors)
  ids.set(snapshot.ids)
  const matrix: VectorMatrix = {
    dim: model.dim,
    count: header.count,
    data,
    ids: ids.subarray(0, header.count),
  }
  const rows = rowIndex(matrix)
  return {
    modelId: model.modelId,
    version: header.version,
    matrix,
    rowOf: rows,
    rows,
    ids,
    capacity,
    loadedAt: header.loadedAt,
    scratch: new Float32Array(capacity),
  }
}

function saveSnapshot(file: string, index: LoadedIndex): void {
  const { modelId, version, loadedAt, ids, matrix } = index
  const header = { modelId, dim: matrix.dim, count: matrix.count, version, loadedAt }
  void writeSnapshot(file, header, ids, matrix.data)
}

/** Refreshes that brought in more rows than this rewrite the snapshot, so the next process starts close. */
const SNAPSHOT_REWRITE_ROWS = 5000

/**
 * The model's vectors as one contiguous matrix, kept current cheaply: the version (bumped by
 * triggers on every write, from any process — a `vam run clip` in a terminal too) says whether
 * anything changed; if so, only rows written since the last load are read, and a full reload
 * happens only after deletions. A new process starts from the snapshot file in the cache folder
 * when there is one (then the same refresh). Each read runs in one transaction.
 */
export function vectorIndexFor(db: Database, model: ClipModel, snapshotFile?: string): VectorIndex {
  const version = new ClipModelRepository(db).vectorsVersion(model.modelId)
  const current = indexes.get(db)
  let index: LoadedIndex | null = null
  if (current && current.modelId === model.modelId && current.matrix.dim === model.dim) {
    index = current
  } else if (snapshotFile) {
    index = fromSnapshot(snapshotFile, model)
    // A snapshot of a different history (e.g. the catalog was restored from a backup) is
    // caught by the refresh's count check at the latest; this catches it without a refresh.
    if (index && index.version === version && !sameCount(db, index)) index = null
  }
  if (index && index.version !== version) {
    const before = index.matrix.count
    index = refresh(db, index)
    if (index && snapshotFile && index.matrix.count - before >= SNAPSHOT_REWRITE_ROWS) {
      saveSnapshot(snapshotFile, index)
    }
  }
  if (!index) {
    index = fullLoad(db, model)
    if (snapshotFile) saveSnapshot(snapshotFile, index)
  }
  indexes.set(db, index)
  return index
}

function sameCount(db: Database, index: LoadedIndex): boolean {
  return new EmbeddingRepository(db).countForModel(index.modelId) === index.matrix.count
}

/** Drops the cached matrix of this catalog (after bulk changes made in this process). */
export function forgetVectorIndex(db: Database): void {
  indexes.delete(db)
}
