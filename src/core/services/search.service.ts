import type { ServiceImpl } from '../../shared/contract/define'
import type { PhotoFilter } from '../../shared/contract/photos'
import type {
  ClipModelInfo,
  PhotoTagDto,
  SearchResult,
  Taxonomy,
  TagsInfo,
  searchContract,
} from '../../shared/contract/search'
import { strictAssert } from '../../shared/assert'
import { requireActiveModel, resolveActiveModel, setActiveModel } from '../clip/active-model'
import {
  promptVectorsFor,
  textEncoderFor,
  vectorIndexFor,
  type VectorIndex,
} from '../clip/clip-cache'
import type { ClipModel } from '../clip/model-manager'
import { snapshotFileOf } from '../clip/vector-snapshot'
import { DEFAULT_TAXONOMY, tagImages } from '../clip/tags'
import { rowVector, rowsOf, searchTopK } from '../clip/vector-search'
import { ClipModelRepository } from '../catalog/repositories/clip-model.repository'
import { EmbeddingRepository } from '../catalog/repositories/embedding.repository'
import { PhotoRepository, toSummary } from '../catalog/repositories/photo.repository'
import { TagRepository } from '../catalog/repositories/tag.repository'
import type { Engine } from '../engine'

const DEFAULT_LIMIT = 50
/** Tags re-scored per transaction when the taxonomy changes. */
const RETAG_CHUNK = 5000

/** The active model's vectors, starting a new process from the snapshot in the cache folder. */
function indexOf(engine: Engine, model: ClipModel): VectorIndex {
  const snapshot = snapshotFileOf(engine.catalog.paths.cacheDir, model.modelId)
  return vectorIndexFor(engine.catalog.db, model, snapshot)
}

function hasFilter(filter: PhotoFilter | undefined): filter is PhotoFilter {
  return filter !== undefined && Object.values(filter).some((v) => v !== undefined)
}

/** Ranks the index against `query`, restricted to the grid filter's photos, with summaries. */
function rank(
  engine: Engine,
  index: VectorIndex,
  query: Float32Array,
  options: { limit?: number; filter?: PhotoFilter; excludeId?: number; encodeMs: number },
): SearchResult {
  const { db } = engine.catalog
  const t0 = performance.now()
  const allowedRows = hasFilter(options.filter)
    ? rowsOf(index.rowOf, new EmbeddingRepository(db).photoIdsMatching(options.filter))
    : undefined
  const exclude = options.excludeId !== undefined ? index.rowOf.get(options.excludeId) : undefined
  const top = searchTopK(index.matrix, query, {
    k: options.limit ?? DEFAULT_LIMIT,
    allowedRows,
    excludeRows: exclude !== undefined ? [exclude] : [],
    scratch: index.scratch,
  })
  const searchMs = performance.now() - t0
  const photos = new PhotoRepository(db)
  const hits = top.flatMap(({ id, score }) => {
    const row = photos.get(id)
    return row ? [{ photo: toSummary(row), score }] : []
  })
  return {
    modelId: index.modelId,
    hits,
    candidates: allowedRows?.length ?? index.matrix.count,
    searchMs,
    encodeMs: options.encodeMs,
  }
}

function modelInfo(engine: Engine, model: ClipModel): ClipModelInfo {
  const { db } = engine.catalog
  const embeddings = new EmbeddingRepository(db)
  const row = new ClipModelRepository(db).get(model.modelId)
  const coverage = embeddings.coverage(model.modelId)
  return {
    modelId: model.modelId,
    name: model.name,
    dir: model.dir,
    layout: model.layout,
    dim: model.dim,
    imageSize: model.image.size,
    contextLength: model.contextLength,
    mean: model.image.mean,
    std: model.image.std,
    files: model.files.map((f) => ({ role: f.role, path: f.path, bytes: f.bytes })),
    addedAt: row?.added_at ?? '',
    embedded: coverage.embedded,
    photos: coverage.eligible,
    stale: embeddings.countStale(model.modelId),
  }
}

function taxonomyOf(engine: Engine): Taxonomy {
  return new TagRepository(engine.catalog.db).taxonomy() ?? DEFAULT_TAXONOMY
}

function tagsInfo(engine: Engine, model: ClipModel | null): TagsInfo {
  return {
    taxonomy: taxonomyOf(engine),
    modelId: model?.modelId ?? null,
    counts: model ? new TagRepository(engine.catalog.db).counts(model.modelId) : [],
  }
}

/**
 * Re-scores every stored vector of the model against a new taxonomy (no image is decoded: tags
 * are the vectors' similarities to the prompts). Chunked transactions keep the writer lock short.
 */
async function retag(engine: Engine, model: ClipModel, taxonomy: Taxonomy): Promise<void> {
  const { db } = engine.catalog
  const tags = new TagRepository(db)
  if (taxonomy.categories.length === 0) {
    tags.clearModel(model.modelId)
    return
  }
  const prompts = await promptVectorsFor(model, taxonomy)
  const { matrix } = indexOf(engine, model)
  // All scores in one go (one kernel pass per prompt), then written in chunks.
  const tagged = tagImages(
    matrix,
    prompts.matrix,
    prompts.prompts,
    taxonomy.minConfidence,
    model.logitScale,
  )
  tags.clearModel(model.modelId)
  for (let start = 0; start < tagged.length; start += RETAG_CHUNK) {
    const chunk = tagged.slice(start, start + RETAG_CHUNK)
    db.transaction(() =>
      tags.replaceForPhotos(
        model.modelId,
        chunk.map((t) => ({ photoId: t.id, tags: t.tags })),
      ),
    )()
    // Let the host serve other calls between chunks.
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** Semantic search over the active CLIP model's vectors. */
export function createSearchService(engine: Engine): ServiceImpl<typeof searchContract> {
  const { db } = engine.catalog
  const active = () => requireActiveModel(db, engine.settings.getAll().clipModelDir)
  return {
    async text({ query, limit, filter }) {
      const model = await active()
      const t0 = performance.now()
      const [vector] = await (await textEncoderFor(model)).encode([query])
      strictAssert(vector, 'the text encoder returned a vector')
      const encodeMs = performance.now() - t0
      return rank(engine, indexOf(engine, model), vector, { limit, filter, encodeMs })
    },
    async similar({ photoId, limit, filter }) {
      const model = await active()
      const index = indexOf(engine, model)
      const row = index.rowOf.get(photoId)
      if (row === undefined) {
        throw new Error(
          `photo ${photoId} has no ${model.name} vector yet: run \`vam run clip\` first`,
        )
      }
      // A copy: the scratch scores and a reload must not alias the query.
      const query = rowVector(index.matrix, row).slice()
      return rank(engine, index, query, { limit, filter, excludeId: photoId, encodeMs: 0 })
    },
    async model() {
      const model = await resolveActiveModel(db, engine.settings.getAll().clipModelDir)
      return model ? modelInfo(engine, model) : null
    },
    async setModel({ dir }) {
      const model = await setActiveModel(db, dir)
      return modelInfo(engine, model)
    },
    async tags() {
      return tagsInfo(engine, await resolveActiveModel(db, engine.settings.getAll().clipModelDir))
    },
    async setTags({ taxonomy }) {
      new TagRepository(db).setTaxonomy(taxonomy)
      const model = await resolveActiveModel(db, engine.settings.getAll().clipModelDir)
      if (model) await retag(engine, model, taxonomy)
      engine.events.emit('catalogChanged', { reason: 'tags' })
      return tagsInfo(engine, model)
    },
  }
}

/** The info panel's CLIP section: whether the photo has a vector of the active model, and its tags. */
export function clipDetailSection(
  engine: Engine,
  photoId: number,
): { modelId: string; hasEmbedding: boolean; tags: PhotoTagDto[] } | null {
  const { db } = engine.catalog
  const row = new ClipModelRepository(db).active()
  if (!row) return null
  return {
    modelId: row.model_id,
    hasEmbedding: new EmbeddingRepository(db).get(photoId, row.model_id) !== null,
    tags: new TagRepository(db).forPhoto(photoId, row.model_id).slice(0, 8),
  }
}
