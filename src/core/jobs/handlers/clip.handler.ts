import os from 'node:os'
import { DEFAULT_TAXONOMY, tagImages } from '../../clip/tags'
import { requireActiveModel } from '../../clip/active-model'
import { promptVectorsFor, type PromptVectors } from '../../clip/clip-cache'
import type { VisualModelRef } from '../../clip/image-encoder'
import type { ClipModel } from '../../clip/model-manager'
import { matrixFromRows } from '../../clip/vector-search'
import {
  EmbeddingRepository,
  type PendingPhoto,
} from '../../catalog/repositories/embedding.repository'
import { ItemErrorRepository } from '../../catalog/repositories/item-error.repository'
import { TagRepository } from '../../catalog/repositories/tag.repository'
import { thumbnailFileFor } from '../../media/thumbnail-files'
import type { ClipEmbedItem, ClipEmbedOutput, ClipEmbedResult } from '../../tasks/clip-embed.task'
import { ItemError, codeOf } from '../../tasks/task-error'
import type { MediaFormat } from '../../../shared/photos'
import type { JobContext, JobHandler } from '../job-handler'

/** Photos per worker task: one encoder run per batch amortises onnxruntime's per-call cost. */
const TASK_BATCH = 16
/** Rows per checkpoint transaction (the engine's rule: ≥ 500 rows or ~1 s). */
const CHECKPOINT_ROWS = 500
const CHECKPOINT_MS = 1000
/** Ids read from the catalog at a time. */
const PAGE = 1024
/** The preview thumbnail the analyze job writes; ≥ 224 px, and ~20× cheaper to decode than a 12 MP original. */
const PREVIEW_SIZE = 1024

interface BatchOutcome {
  readonly items: readonly ClipEmbedItem[]
  readonly lastId: number
  readonly output: ClipEmbedOutput | null
  readonly error: Error | null
}

/**
 * The `clip` job: embeds every photo that has no vector of the active model (all with --force)
 * in the worker pool, batch by batch, and stores vectors and zero-shot tags. Incremental,
 * cancellable and resumable: the cursor is the last photo id whose batch is written, and
 * batches complete in id order so every id up to it is done.
 */
export const clipHandler: JobHandler<'clip'> = {
  kind: 'clip',
  async run(ctx) {
    const model = await requireActiveModel(ctx.db, ctx.settings.clipModelDir)
    const embeddings = new EmbeddingRepository(ctx.db)
    const force = ctx.params.force === true
    ctx.log(
      'info',
      `model ${model.name} (${model.modelId}), ${model.dim}-d, ${model.image.size} px`,
    )
    if (ctx.resumeCursor === null) {
      const { eligible, embedded } = embeddings.coverage(model.modelId)
      ctx.setTotal(eligible)
      if (!force && embedded > 0) ctx.itemSkipped(embedded)
    }
    const prompts = await loadPrompts(ctx, model)
    await embedAll(ctx, model, prompts, force)
  },
}

/** Prompt vectors for tagging; without them vectors are still stored (tags can be redone later). */
async function loadPrompts(
  ctx: JobContext<'clip'>,
  model: ClipModel,
): Promise<PromptVectors | null> {
  const taxonomy = new TagRepository(ctx.db).taxonomy() ?? DEFAULT_TAXONOMY
  if (taxonomy.categories.length === 0) return null
  try {
    return await promptVectorsFor(model, taxonomy)
  } catch (error) {
    ctx.log('warn', `zero-shot tags skipped: the text encoder failed (${(error as Error).message})`)
    return null
  }
}

async function embedAll(
  ctx: JobContext<'clip'>,
  model: ClipModel,
  prompts: PromptVectors | null,
  force: boolean,
): Promise<void> {
  const embeddings = new EmbeddingRepository(ctx.db)
  const tags = new TagRepository(ctx.db)
  const errors = new ItemErrorRepository(ctx.db)
  const taxonomy = tags.taxonomy() ?? DEFAULT_TAXONOMY
  const threads = Math.max(1, Math.floor(os.availableParallelism() / ctx.pool.size))
  const visual: VisualModelRef = {
    modelId: model.modelId,
    dir: model.dir,
    dim: model.dim,
    image: model.image,
    visual: model.visual,
  }

  let afterId = Number(ctx.resumeCursor ?? 0) || 0
  let page: PendingPhoto[] = []
  let exhausted = false
  const nextBatch = (): PendingPhoto[] => {
    if (page.length === 0 && !exhausted) {
      page = embeddings.pending(model.modelId, afterId, PAGE, force)
      if (page.length === 0) exhausted = true
      else afterId = (page.at(-1) as PendingPhoto).id
    }
    return page.splice(0, TASK_BATCH)
  }
  const toItem = (p: PendingPhoto): ClipEmbedItem => ({
    photoId: p.id,
    preview: thumbnailFileFor(ctx.db, ctx.paths, p.id, PREVIEW_SIZE),
    path: p.path,
    format: p.format as MediaFormat | null,
  })
  const dispatch = (batch: PendingPhoto[]): Promise<BatchOutcome> => {
    const items = batch.map(toItem)
    const lastId = (batch.at(-1) as PendingPhoto).id
    // Never rejects: a cancelled job leaves batches in flight, and their outcome must not
    // become an unhandled rejection.
    return ctx.pool.run('clip-embed', { model: visual, threads, items }).then(
      (output) => ({ items, lastId, output, error: null }),
      (error: unknown) => ({ items, lastId, output: null, error: error as Error }),
    )
  }

  // Batches in flight, in id order; ≈ 2 per worker so none idles while we write.
  const inFlight: Promise<BatchOutcome>[] = []
  const refill = () => {
    while (inFlight.length < 2 * ctx.pool.size && !ctx.signal.aborted) {
      const batch = nextBatch()
      if (batch.length === 0) return
      inFlight.push(dispatch(batch))
    }
  }

  let buffered: { photoId: number; vector: Float32Array }[] = []
  let lastCheckpoint = Date.now()
  const stats = { preview: 0, original: 0, decodeMs: 0, encodeMs: 0 }
  refill()
  while (inFlight.length > 0) {
    const outcome = await (inFlight.shift() as Promise<BatchOutcome>)
    refill()
    const results = await resultsOf(ctx, outcome, visual, threads)
    for (const result of results) {
      const item = outcome.items.find((i) => i.photoId === result.photoId) as ClipEmbedItem
      if (result.ok) {
        buffered.push({ photoId: result.photoId, vector: result.vector })
        stats[result.source]++
        ctx.itemDone()
      } else {
        ctx.itemFailed({
          photoId: item.photoId,
          path: item.path,
          stage: 'clip',
          code: result.code,
          message: result.message,
        })
      }
    }
    if (outcome.output) {
      stats.decodeMs += outcome.output.decodeMs
      stats.encodeMs += outcome.output.encodeMs
    }
    ctx.setCurrent(outcome.items.at(-1)?.path ?? null)
    const due = buffered.length >= CHECKPOINT_ROWS || Date.now() - lastCheckpoint >= CHECKPOINT_MS
    if (due || inFlight.length === 0) {
      const rows = buffered
      buffered = []
      const tagged = prompts ? tagRows(rows, model, prompts, taxonomy.minConfidence) : []
      await ctx.checkpoint(String(outcome.lastId), () => {
        embeddings.upsertMany(model.modelId, rows)
        tags.replaceForPhotos(
          model.modelId,
          tagged.map((t) => ({ photoId: t.id, tags: t.tags })),
        )
        for (const row of rows) errors.clearForPhoto(row.photoId, 'clip')
      })
      lastCheckpoint = Date.now()
      if (rows.length > 0) ctx.catalogChanged('clip')
    }
  }
  const n = stats.preview + stats.original
  if (n > 0) {
    ctx.log(
      'info',
      `embedded ${n} (${stats.preview} from previews, ${stats.original} from originals); ` +
        `per image: decode ${(stats.decodeMs / n).toFixed(1)} ms, encode ${(stats.encodeMs / n).toFixed(1)} ms`,
    )
  }
}

/** Zero-shot tags of freshly embedded photos (pure math on the vectors, no encoder run). */
function tagRows(
  rows: readonly { photoId: number; vector: Float32Array }[],
  model: ClipModel,
  prompts: PromptVectors,
  minConfidence: number,
) {
  const images = matrixFromRows(
    model.dim,
    rows.map((r) => ({ id: r.photoId, vector: r.vector })),
  )
  return tagImages(images, prompts.matrix, prompts.prompts, minConfidence, model.logitScale)
}

/**
 * The per-photo results of a batch. A worker crash takes the whole batch down: retry its photos
 * one by one so only the photo that crashes it again is marked failed. Any other task-level
 * error (the model cannot load, onnxruntime fails) would fail every batch alike: fail the job.
 */
async function resultsOf(
  ctx: JobContext<'clip'>,
  outcome: BatchOutcome,
  model: VisualModelRef,
  threads: number,
): Promise<readonly ClipEmbedResult[]> {
  if (outcome.output) return outcome.output.results
  const error = outcome.error as Error
  if (!(error instanceof ItemError)) throw new Error(`CLIP image encoding failed: ${error.message}`)
  if (outcome.items.length === 1) {
    const item = outcome.items[0] as ClipEmbedItem
    return [{ photoId: item.photoId, ok: false, code: error.code, message: error.message }]
  }
  const results: ClipEmbedResult[] = []
  for (const item of outcome.items) {
    try {
      const single = await ctx.pool.run('clip-embed', { model, threads, items: [item] })
      results.push(...single.results)
    } catch (retryError) {
      results.push({
        photoId: item.photoId,
        ok: false,
        code: codeOf(retryError),
        message: retryError instanceof Error ? retryError.message : String(retryError),
      })
    }
  }
  return results
}
